//! Opening sled: waiting for its file lock, and telling a damaged database (reported as
//! `ActorError::Damaged`) from a machine problem (reported as it is); sled's errors as the
//! domain's.

use crate::base::error::{ActorError, Result};
use std::path::Path;

/// How long `open` waits for the database's file lock.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// A sled error as the domain's: I/O errors keep their kind and OS code (a full disk stays
/// recognisable), the others become I/O errors naming them.
pub fn storage_error(e: sled::Error) -> ActorError {
    match e {
        sled::Error::Io(io) => ActorError::Storage(io),
        other => ActorError::Storage(std::io::Error::other(other.to_string())),
    }
}

fn io_error(e: std::io::Error) -> ActorError {
    ActorError::Storage(e)
}

/// Opens sled, waiting up to `LOCK_WAIT` for its file lock: a store closed just before (a
/// restart in the same process) can keep it for a moment while sled's IO threads finish. After
/// that the lock is held by someone else, e.g. another Orchard process on the same data.
fn open_waiting_for_lock(config: &sled::Config) -> Result<sled::Db> {
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    loop {
        match config.open() {
            Err(sled::Error::Io(e))
                if e.to_string().contains("could not acquire lock")
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") => {
                return Err(io_error(std::io::Error::other(format!(
                    "{e} (is another Orchard process using this data directory?)"
                ))));
            }
            other => return other.map_err(storage_error),
        }
    }
}

/// I/O errors that say something about the machine, not the files (permissions, a full disk,
/// too many open files, a read-only mount): reported as they are, never as a damaged database
/// (whose advice, restoring a backup, would lose data for nothing).
fn not_damage(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        PermissionDenied | StorageFull | QuotaExceeded | ReadOnlyFilesystem | OutOfMemory
    ) || matches!(e.raw_os_error(), Some(13 | 23 | 24 | 28 | 30 | 122))
}

/// Opens sled in `path` (waiting for its lock; `cache_bytes` bounds its page cache, None:
/// sled's default); an error or a panic of sled reading damaged files becomes
/// `ActorError::Damaged` naming the directory.
pub fn open(path: &Path, cache_bytes: Option<u64>) -> Result<sled::Db> {
    let mut config = sled::Config::new().path(path);
    if let Some(bytes) = cache_bytes {
        config = config.cache_capacity(bytes);
    }
    let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        open_waiting_for_lock(&config)
    }));
    let reason = match opened {
        Ok(Ok(db)) => return Ok(db),
        Ok(Err(ActorError::Storage(e))) => {
            if e.to_string().contains("another Orchard process") || not_damage(&e) {
                return Err(io_error(std::io::Error::new(
                    e.kind(),
                    format!("cannot open the database at {}: {e}", path.display()),
                )));
            }
            format!("it cannot be read: {e}")
        }
        Ok(Err(e)) => format!("it cannot be read: {e}"),
        Err(_) => "reading it failed (the storage engine gave up on its files)".to_string(),
    };
    Err(ActorError::Damaged {
        path: path.display().to_string(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_of_the_machine_are_not_reported_as_damage() {
        use std::io::{Error, ErrorKind};
        for os in [13, 24, 28, 30] {
            assert!(not_damage(&Error::from_raw_os_error(os)), "{os}");
        }
        assert!(!not_damage(&Error::new(ErrorKind::UnexpectedEof, "short")));
        assert!(!not_damage(&Error::new(ErrorKind::InvalidData, "crc")));
    }
}
