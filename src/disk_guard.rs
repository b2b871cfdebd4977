//! The free-space guard (`[storage] min_free_mb`): keeps the store from ever failing a write on a
//! full disk. Once sled fails a write it refuses every later one until the database is reopened,
//! so the guard refuses writing requests *before* they reach the store while the filesystems of
//! `[storage] path` and the repositories directory have less than `min_free_mb` free, and accepts
//! them again on its own once space returns. A background task measures every `WATCH_PERIOD`;
//! a refused or accepted write re-measures when the last reading is older than `RECHECK_AFTER`.
//! Entering and leaving the low state are each logged once (warn, info).

use crate::error::Error;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the background task measures free space.
pub const WATCH_PERIOD: Duration = Duration::from_secs(2);
/// A write re-measures when the last reading is older than this (one statvfs per path).
const RECHECK_AFTER: Duration = Duration::from_millis(500);
const MIB: u64 = 1024 * 1024;

/// The free space, in bytes available to an unprivileged writer, of the filesystem holding `path`.
pub fn free_bytes(path: &Path) -> std::io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "NUL in path"))?;
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::zeroed();
    // SAFETY: `c` is NUL-terminated; statvfs only writes the struct passed by pointer.
    if unsafe { libc::statvfs(c.as_ptr(), st.as_mut_ptr()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: statvfs succeeded, so it filled the struct (which was zeroed anyway).
    let st = unsafe { st.assume_init() };
    Ok(st.f_bavail.saturating_mul(st.f_frsize))
}

/// The lowest free space among `readings` (failed readings are skipped), and whether it counts
/// as low: below `min_free` to enter, below `min_free` plus a sixteenth to stay (so a disk
/// hovering at the threshold does not flap). `min_free` 0 disables the guard.
pub fn assess(readings: &[Option<u64>], min_free: u64, was_low: bool) -> (Option<u64>, bool) {
    let lowest = readings.iter().flatten().copied().min();
    let limit = match was_low {
        true => min_free.saturating_add(min_free / 16),
        false => min_free,
    };
    let low = min_free > 0 && lowest.is_some_and(|free| free < limit);
    (lowest, low)
}

#[derive(Default)]
struct State {
    measured: Option<Instant>,
    free: Option<u64>,
    low: bool,
}

/// Shared by the HTTP workers and the SSH server; cheap to clone.
#[derive(Clone)]
pub struct DiskGuard {
    paths: Arc<Vec<PathBuf>>,
    min_free_mb: u64,
    state: Arc<Mutex<State>>,
}

impl DiskGuard {
    /// Guards the filesystems holding `paths`; `min_free_mb` 0 disables the guard.
    pub fn new(paths: Vec<PathBuf>, min_free_mb: u64) -> DiskGuard {
        DiskGuard {
            paths: Arc::new(paths),
            min_free_mb,
            state: Arc::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// Ok when a write may go ahead; `Error::StorageLow` (507) while free space is low.
    pub fn check(&self) -> Result<(), Error> {
        if self.min_free_mb == 0 {
            return Ok(());
        }
        let stale = self
            .lock()
            .measured
            .is_none_or(|t| t.elapsed() >= RECHECK_AFTER);
        if stale {
            self.refresh();
        }
        let st = self.lock();
        match st.low {
            false => Ok(()),
            true => Err(Error::StorageLow {
                free_mb: st.free.unwrap_or(0) / MIB,
                min_free_mb: self.min_free_mb,
            }),
        }
    }

    /// Measures free space now and records it, logging a change of state once.
    pub fn refresh(&self) {
        if self.min_free_mb == 0 {
            return;
        }
        let readings: Vec<Option<u64>> = self
            .paths
            .iter()
            .map(|p| match free_bytes(p) {
                Ok(free) => Some(free),
                Err(e) => {
                    tracing::debug!(path = %p.display(), error = %e, "cannot measure free space");
                    None
                }
            })
            .collect();
        let min_free = self.min_free_mb.saturating_mul(MIB);
        let (free, entered, left) = {
            let mut st = self.lock();
            let (free, low) = assess(&readings, min_free, st.low);
            let changed = (low && !st.low, !low && st.low);
            *st = State {
                measured: Some(Instant::now()),
                free,
                low,
            };
            (free.unwrap_or(0) / MIB, changed.0, changed.1)
        };
        let min_free_mb = self.min_free_mb;
        if entered {
            tracing::warn!(
                free_mb = free,
                min_free_mb,
                "storage almost full: requests that write are refused (507) until space is freed"
            );
        } else if left {
            tracing::info!(
                free_mb = free,
                min_free_mb,
                "storage has space again: requests that write are accepted"
            );
        }
    }

    /// Measures every `period` until the returned task is aborted.
    pub fn watch(&self, period: Duration) -> actix_rt::task::JoinHandle<()> {
        let guard = self.clone();
        actix_rt::spawn(async move {
            let mut tick = tokio::time::interval(period);
            loop {
                tick.tick().await;
                let g = guard.clone();
                // statvfs can block on a network filesystem: not on the server's own thread.
                let _ = tokio::task::spawn_blocking(move || g.refresh()).await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_below_the_threshold_and_back_above_it_plus_a_margin() {
        let min = 256 * MIB;
        assert_eq!(
            assess(&[Some(300 * MIB)], min, false),
            (Some(300 * MIB), false)
        );
        assert_eq!(
            assess(&[Some(100 * MIB)], min, false),
            (Some(100 * MIB), true)
        );
        // Leaving needs min + min/16 (272 MiB): 260 MiB stays low, 272 MiB is enough.
        assert!(assess(&[Some(260 * MIB)], min, true).1);
        assert!(!assess(&[Some(272 * MIB)], min, true).1);
        assert!(!assess(&[Some(260 * MIB)], min, false).1);
    }

    #[test]
    fn the_lowest_filesystem_counts_and_failed_readings_are_skipped() {
        let min = 10 * MIB;
        assert_eq!(
            assess(&[Some(50 * MIB), Some(5 * MIB)], min, false),
            (Some(5 * MIB), true)
        );
        assert_eq!(
            assess(&[None, Some(50 * MIB)], min, false),
            (Some(50 * MIB), false)
        );
        assert_eq!(assess(&[None, None], min, false), (None, false));
    }

    #[test]
    fn zero_disables_the_guard() {
        assert!(!assess(&[Some(0)], 0, false).1);
        assert!(!assess(&[Some(0)], 0, true).1);
        let off = DiskGuard::new(vec![PathBuf::from("/")], 0);
        assert!(off.check().is_ok());
    }

    #[test]
    fn a_guard_refuses_with_507_when_the_threshold_exceeds_the_free_space() {
        let dir = tempfile::tempdir().unwrap();
        let free = free_bytes(dir.path()).unwrap();
        assert!(free > 0);
        let plenty = DiskGuard::new(vec![dir.path().to_path_buf()], 1);
        assert!(plenty.check().is_ok() || free < MIB);
        let beyond = free / MIB + 1024 * 1024;
        let low = DiskGuard::new(vec![dir.path().to_path_buf()], beyond);
        let e = low.check().unwrap_err();
        assert_eq!(
            actix_web::ResponseError::status_code(&e),
            actix_web::http::StatusCode::INSUFFICIENT_STORAGE
        );
        let message = e.to_string();
        assert!(
            message.contains("almost full") && message.contains(&format!("min_free_mb = {beyond}")),
            "{message}"
        );
    }
}
