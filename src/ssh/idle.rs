//! The idle timeout of authenticated connections: one that runs no git command for
//! `[ssh] idle_without_command_secs` (since it authenticated, or since its last git session
//! ended) is disconnected, so a connection kept open with keepalives alone does not hold an
//! authenticated slot. A watchdog task per connection checks it through russh's session
//! `Handle`, and is aborted when the connection ends.

use russh::server::Handle;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// The git sessions a connection runs, and since when it runs none.
#[derive(Default)]
pub struct Activity(Mutex<State>);

#[derive(Default)]
struct State {
    running: usize,
    idle_since: Option<Instant>,
}

/// Counts one running git session until dropped.
pub struct Running(Arc<Activity>);

impl Activity {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Git sessions running now.
    pub fn running(&self) -> usize {
        self.state().running
    }

    /// When the connection is to be closed if nothing starts, or None while git runs.
    fn due(&self, idle: Duration, watched_since: Instant) -> Option<Instant> {
        let state = self.state();
        if state.running > 0 {
            return None;
        }
        let since = state
            .idle_since
            .map_or(watched_since, |t| t.max(watched_since));
        Some(since + idle)
    }
}

impl Running {
    pub fn start(activity: &Arc<Activity>) -> Running {
        activity.state().running += 1;
        Running(activity.clone())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let mut state = self.0.state();
        state.running = state.running.saturating_sub(1);
        if state.running == 0 {
            state.idle_since = Some(Instant::now());
        }
    }
}

/// The watchdog of one connection; aborted when dropped.
pub struct Watchdog(tokio::task::JoinHandle<()>);

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts watching an authenticated connection: it is disconnected once `activity` shows no
/// git session for `idle`.
pub fn watch(
    activity: Arc<Activity>,
    idle: Duration,
    handle: Handle,
    peer: SocketAddr,
) -> Watchdog {
    let since = Instant::now();
    Watchdog(tokio::spawn(async move {
        loop {
            let Some(due) = activity.due(idle, since) else {
                // Git runs: look again later (a session ending sets a new idle start).
                tokio::time::sleep(idle).await;
                continue;
            };
            if Instant::now() < due {
                tokio::time::sleep_until(due).await;
                continue;
            }
            tracing::info!(%peer, "SSH connection ran no git command in time ([ssh] idle_without_command_secs); closing");
            let why = format!(
                "no git command for {} s ([ssh] idle_without_command_secs); closing",
                idle.as_secs()
            );
            let _ = handle
                .disconnect(russh::Disconnect::ByApplication, why, "en".into())
                .await;
            return;
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_idle_clock_stops_while_git_runs_and_restarts_when_it_ends() {
        let activity = Arc::new(Activity::default());
        let idle = Duration::from_secs(60);
        let start = Instant::now();
        assert_eq!(activity.due(idle, start), Some(start + idle));
        let running = Running::start(&activity);
        assert_eq!((activity.due(idle, start), activity.running()), (None, 1));
        tokio::time::sleep(Duration::from_millis(20)).await;
        let before_end = Instant::now();
        drop(running);
        let due = activity.due(idle, start).expect("idle again");
        assert!(due >= before_end + idle && due <= Instant::now() + idle);
        assert_eq!(activity.running(), 0);
    }
}
