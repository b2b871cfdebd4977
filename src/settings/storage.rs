//! `[storage]` of the settings: the database and repositories directories, the page cache and
//! the free-space guard.

use serde::Deserialize;
use std::path::PathBuf;

/// `[storage]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageSettings {
    /// The sled database directory.
    pub path: PathBuf,
    /// Directory of the bare git repositories; default: `repos` beside `path`.
    #[serde(default)]
    pub repos: Option<PathBuf>,
    /// Size of sled's page cache in MiB (what it keeps of the database in memory).
    #[serde(default = "default_cache_mb")]
    pub cache_mb: u64,
    /// Free MiB the filesystems of `path` and the repositories must keep: below it, requests
    /// that write are refused (507) before they reach the store. 0 disables the guard.
    #[serde(default = "default_min_free_mb")]
    pub min_free_mb: u64,
}

fn default_cache_mb() -> u64 {
    256
}

fn default_min_free_mb() -> u64 {
    256
}

impl StorageSettings {
    /// Refuses out-of-range values; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        if !(16..=1_048_576).contains(&self.cache_mb) {
            return Err("key `storage.cache_mb`: must be between 16 and 1048576 (MiB)".into());
        }
        if self.min_free_mb > 1_048_576 {
            return Err(
                "key `storage.min_free_mb`: must be at most 1048576 (MiB; 0 disables the guard)"
                    .into(),
            );
        }
        Ok(())
    }

    /// The repositories directory, with its default applied.
    pub fn repos_dir(&self) -> PathBuf {
        match &self.repos {
            Some(p) => p.clone(),
            None => self
                .path
                .parent()
                .map(|p| p.join("repos"))
                .unwrap_or_else(|| PathBuf::from("repos")),
        }
    }
}
