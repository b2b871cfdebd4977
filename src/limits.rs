//! Process resource limits: the open-file limit (raised from the soft to the hard limit at
//! start) and the cap on concurrent HTTP connections derived from it, so that slow clients
//! cannot take every file descriptor and lock out SSH, the store and outgoing requests.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// File descriptors kept for everything but incoming HTTP connections (SSH sessions, the
/// store's files, git processes, outgoing requests): at least this many...
const MIN_RESERVE: u64 = 256;
/// ...and at least this share (in percent) of the limit.
const RESERVE_PERCENT: u64 = 25;
/// Fewest HTTP connections allowed, whatever the limit.
const MIN_CONNECTIONS: usize = 16;

/// Raises the soft RLIMIT_NOFILE to the hard limit and answers the soft limit now in force.
pub fn raise_nofile_limit() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed by pointer.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        tracing::warn!("cannot read the open-file limit; assuming 1024");
        return 1024;
    }
    if lim.rlim_cur < lim.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: lim.rlim_max,
            rlim_max: lim.rlim_max,
        };
        // SAFETY: as above.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            tracing::info!(
                from = lim.rlim_cur,
                to = lim.rlim_max,
                "raised the open-file limit"
            );
            return lim.rlim_max;
        }
        tracing::warn!(
            soft = lim.rlim_cur,
            hard = lim.rlim_max,
            "cannot raise the open-file limit"
        );
    }
    lim.rlim_cur
}

/// The HTTP connection cap: `configured` (`[http] max_connections`) when not 0, else the file
/// limit minus the reserve; never more than the file limit minus the reserve allows.
pub fn connection_cap(configured: usize, nofile: u64) -> usize {
    let reserve = MIN_RESERVE.max(nofile * RESERVE_PERCENT / 100);
    let auto = (nofile.saturating_sub(reserve) as usize).max(MIN_CONNECTIONS);
    match configured {
        0 => auto,
        n => n.min(auto),
    }
}

/// Counts open HTTP connections and logs (at most once a minute) when the cap is reached.
#[derive(Clone)]
pub struct ConnectionCount {
    open: Arc<AtomicUsize>,
    cap: usize,
    last_warned: Arc<Mutex<Option<Instant>>>,
}

/// Held in a connection's extensions; dropped when the connection closes.
pub struct ConnectionGuard(Arc<AtomicUsize>);

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl ConnectionCount {
    pub fn new(cap: usize) -> ConnectionCount {
        ConnectionCount {
            open: Arc::new(AtomicUsize::new(0)),
            cap,
            last_warned: Arc::new(Mutex::new(None)),
        }
    }

    /// A new connection: counts it and answers the guard that uncounts it.
    pub fn opened(&self) -> ConnectionGuard {
        let now_open = self.open.fetch_add(1, Ordering::Relaxed) + 1;
        if now_open >= self.cap {
            let mut last = match self.last_warned.lock() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
            if last.is_none_or(|t| t.elapsed() > Duration::from_secs(60)) {
                *last = Some(Instant::now());
                tracing::warn!(
                    cap = self.cap,
                    "HTTP connection cap reached ([http] max_connections): new connections wait until others close"
                );
            }
        }
        ConnectionGuard(self.open.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_keeps_a_reserve_below_the_file_limit() {
        assert_eq!(connection_cap(0, 1024), 768);
        assert_eq!(connection_cap(0, 512), 256);
        assert_eq!(connection_cap(0, 100_000), 75_000);
        assert_eq!(connection_cap(100, 1024), 100);
        assert_eq!(
            connection_cap(5000, 1024),
            768,
            "never above what the limit allows"
        );
        assert_eq!(connection_cap(0, 10), MIN_CONNECTIONS);
    }
}
