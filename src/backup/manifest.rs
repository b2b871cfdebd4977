//! The manifest of a backup archive (`manifest.json`, its first member): the format version,
//! the Orchard version that wrote it, when, the instance's `public_url`, counts, and the SHA-256
//! of every other member.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The archive format this Orchard writes and reads.
pub const FORMAT: u32 = 1;
/// The manifest's name in the archive.
pub const NAME: &str = "manifest.json";
/// The database dump's name in the archive (`actors::storage::export`).
pub const DB_DUMP: &str = "db/orchard.dump";
/// Where the bare repositories are in the archive: `repos/<id>.git/...`.
pub const REPOS: &str = "repos/";
/// Largest manifest read back (a damaged length allocates no more).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What the archive holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Trees of the database and their entries.
    pub trees: u64,
    pub keys: u64,
    /// Local actors, of which repositories, and accounts.
    pub actors: u64,
    pub repositories: u64,
    pub accounts: u64,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub orchard_version: String,
    /// RFC 3339 time the backup was written.
    pub created: String,
    /// The database's point in time (ms since the epoch): every write acknowledged before it is
    /// in the archive (see ARCHITECTURE.md, "Backup and restore").
    pub snapshot_ms: u64,
    pub public_url: String,
    pub counts: Counts,
    /// Every other member: its path and the hex SHA-256 of its content.
    pub members: BTreeMap<String, String>,
}

impl Manifest {
    /// Refuses a manifest this Orchard cannot restore.
    pub fn validate(&self) -> Result<(), String> {
        if self.format != FORMAT {
            return Err(format!(
                "archive format {} is not known to this Orchard (it reads format {FORMAT})",
                self.format
            ));
        }
        if !self.members.contains_key(DB_DUMP) {
            return Err(format!("the manifest lists no {DB_DUMP}"));
        }
        match self.members.keys().find(|p| !safe_member(p)) {
            Some(p) => Err(format!("the manifest lists an unsafe path {p:?}")),
            None => Ok(()),
        }
    }
}

/// A member path restore may write: the dump, or a relative path under `repos/` of plain
/// components (no `.` or `..`, no absolute path, no empty component).
pub fn safe_member(path: &str) -> bool {
    if path == DB_DUMP {
        return true;
    }
    let Some(rest) = path.strip_prefix(REPOS) else {
        return false;
    };
    !rest.is_empty()
        && rest
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains('\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_dump_and_plain_paths_under_repos_are_safe() {
        assert!(safe_member(DB_DUMP));
        assert!(safe_member("repos/a.git/objects/pack/p.pack"));
        for bad in [
            "repos/../x",
            "/etc/passwd",
            "repos/",
            "repos//x",
            "db/other",
            "x",
        ] {
            assert!(!safe_member(bad), "{bad}");
        }
    }
}
