//! Storage faults the server handles itself: a full disk (`507 Insufficient Storage` with
//! Retry-After and a clear reason, logged at most once a minute, see `FullDiskLog`), and at start
//! the leftovers of a push killed by a crash (`objects/tmp_objdir-incoming-*` directories in the
//! bare repositories), which are removed.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Seconds a client is told to wait (Retry-After) when the disk is full.
pub const FULL_DISK_RETRY_SECS: u64 = 60;
/// Shortest time between two log lines about the full disk.
const LOG_INTERVAL: Duration = Duration::from_secs(60);

/// True for the error the OS gives when the disk (or quota) is full: ENOSPC, EDQUOT.
pub fn is_full_disk(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT))
        || e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
}

/// Logs the full disk at most once per `LOG_INTERVAL`, with how many requests were refused
/// since the last line. Shared by all HTTP workers.
#[derive(Clone, Default)]
pub struct FullDiskLog {
    state: Arc<Mutex<(Option<Instant>, u64)>>,
}

impl FullDiskLog {
    /// A request was answered 507.
    pub fn refused(&self) {
        let mut st = match self.state.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        st.1 += 1;
        if st.0.is_none_or(|t| t.elapsed() >= LOG_INTERVAL) {
            tracing::error!(
                refused = st.1,
                "storage is full: writes are answered 507 until space is freed"
            );
            *st = (Some(Instant::now()), 0);
        }
    }
}

/// Removes `objects/tmp_objdir-incoming-*` in every bare repository under `repos`; answers how
/// many were removed.
pub fn clean_incoming_leftovers(repos: &Path) -> std::io::Result<usize> {
    let mut removed = 0;
    let Ok(entries) = std::fs::read_dir(repos) else {
        return Ok(0);
    };
    for repo in entries.flatten() {
        let Ok(objects) = std::fs::read_dir(repo.path().join("objects")) else {
            continue;
        };
        for entry in objects.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with("tmp_objdir-incoming-") {
                std::fs::remove_dir_all(entry.path())?;
                tracing::info!(path = %entry.path().display(), "removed the leftover of an interrupted push");
                removed += 1;
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_disk_errors_are_recognised() {
        assert!(is_full_disk(&std::io::Error::from_raw_os_error(
            libc::ENOSPC
        )));
        assert!(!is_full_disk(&std::io::Error::from_raw_os_error(
            libc::EACCES
        )));
    }

    #[test]
    fn leftovers_of_interrupted_pushes_are_removed_and_nothing_else() {
        let repos = tempfile::tempdir().unwrap();
        let objects = repos.path().join("r1.git/objects");
        std::fs::create_dir_all(objects.join("tmp_objdir-incoming-abc/pack")).unwrap();
        std::fs::write(objects.join("tmp_objdir-incoming-abc/pack/x"), b"x").unwrap();
        std::fs::create_dir_all(objects.join("pack")).unwrap();
        std::fs::create_dir_all(objects.join("ab")).unwrap();
        assert_eq!(clean_incoming_leftovers(repos.path()).unwrap(), 1);
        assert!(!objects.join("tmp_objdir-incoming-abc").exists());
        assert!(objects.join("pack").exists() && objects.join("ab").exists());
    }
}
