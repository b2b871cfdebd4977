//! The storage an instance opens at start: the database directory and the repositories
//! directory (leftovers of interrupted pushes removed), the free-space guard over both, and
//! the store (sled, with `[storage] cache_mb`).

use crate::disk_guard::DiskGuard;
use crate::error::{Error, Result};
use crate::settings::Settings;
use actors::Store;
use std::path::PathBuf;

/// The opened storage.
pub struct Storage {
    pub store: Store,
    pub repos: PathBuf,
    /// Refuses writes while the storage is almost full (`[storage] min_free_mb`).
    pub disk: DiskGuard,
}

/// Creates the directories, cleans up after interrupted pushes and opens the store.
pub fn open(settings: &Settings) -> Result<Storage> {
    let repos = settings.storage.repos_dir();
    std::fs::create_dir_all(&settings.storage.path)?;
    std::fs::create_dir_all(&repos)?;
    crate::storage_faults::clean_incoming_leftovers(&repos)?;
    let disk = DiskGuard::new(
        vec![settings.storage.path.clone(), repos.clone()],
        settings.storage.min_free_mb,
    );
    disk.refresh();
    let cache_bytes = settings.storage.cache_mb.saturating_mul(1024 * 1024);
    let store =
        Store::open_with_cache(&settings.storage.path, Some(cache_bytes)).map_err(|e| match e {
            damaged @ actors::ActorError::Damaged { .. } => Error::Actor(damaged),
            e => Error::Io(std::io::Error::other(format!(
                "cannot open the store at {} ([storage] path): {e}",
                settings.storage.path.display()
            ))),
        })?;
    Ok(Storage { store, repos, disk })
}
