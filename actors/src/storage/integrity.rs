//! The integrity marker of the database: detects at open a store that lost data (a truncated or
//! overwritten data file, a deleted data file) so that Orchard refuses to serve instead of
//! serving with data silently missing.
//!
//! The marker is the file `orchard-integrity.json` in the database directory, kept in step with
//! a generation number stored in the database itself (`meta 0xFF integrity-generation` in the
//! instance tree). Every open bumps the generation in both (database first, flushed); a clean
//! close bumps it once more as the last write and records a checksum (SHA-256 over every key and
//! value of every tree) in the marker. At open:
//! - the generation in the database must equal the marker's (else the latest writes are lost);
//! - after a clean close, the checksum must match (else data was lost or changed on disk);
//! - a directory that was used before (sled's files are there) but has neither marker nor data
//!   is refused (the data file was deleted). A database from before the marker existed gets one.

use crate::base::error::{ActorError, Result};
use crate::storage::engine::Engine;
use crate::storage::layout::GENERATION_KEY;
use crate::storage::layout::INSTANCE_TREE;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The marker's file name inside the database directory.
pub const MARKER_FILE: &str = "orchard-integrity.json";

/// What the marker file holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct Marker {
    generation: u64,
    /// Set by a clean close, with the checksum of the whole database then.
    clean: bool,
    #[serde(default)]
    checksum: Option<String>,
}

fn damaged(path: &Path, reason: &str) -> ActorError {
    ActorError::Damaged {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}

/// Whether `dir` held a database before this open (any of sled's files, or the marker).
pub fn was_used(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name().to_string_lossy().to_string();
                name == "conf" || name == "db" || name == MARKER_FILE || name.starts_with("snap.")
            })
        })
        .unwrap_or(false)
}

fn marker_path(dir: &Path) -> PathBuf {
    dir.join(MARKER_FILE)
}

fn read_marker(dir: &Path) -> Result<Option<Marker>> {
    match std::fs::read(marker_path(dir)) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| damaged(dir, &format!("its {MARKER_FILE} is unreadable ({e})"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(damaged(dir, &format!("cannot read {MARKER_FILE}: {e}"))),
    }
}

/// Writes the marker atomically (temporary file, fsync, rename, fsync of the directory).
fn write_marker(dir: &Path, marker: &Marker) -> Result<()> {
    use std::io::Write;
    let tmp = dir.join(format!("{MARKER_FILE}.tmp"));
    let mut f = std::fs::File::create(&tmp).map_err(io)?;
    let bytes = serde_json::to_vec(marker).map_err(|e| ActorError::Corrupt(e.to_string()))?;
    f.write_all(&bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    std::fs::rename(&tmp, marker_path(dir)).map_err(io)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn io(e: std::io::Error) -> ActorError {
    ActorError::Storage(e)
}

fn stored_generation(db: &dyn Engine) -> Result<Option<u64>> {
    let instance = db.open_tree(INSTANCE_TREE)?;
    Ok(instance
        .get(GENERATION_KEY)?
        .map(|v| v.as_slice().try_into().map_or(0, u64::from_be_bytes)))
}

/// Writes `generation` into the database and makes it durable.
fn store_generation(db: &dyn Engine, generation: u64) -> Result<()> {
    let instance = db.open_tree(INSTANCE_TREE)?;
    instance.insert(GENERATION_KEY, &generation.to_be_bytes())?;
    db.flush()
}

/// SHA-256 over every tree's name, keys and values, in order.
fn checksum(db: &dyn Engine) -> Result<String> {
    let mut hash = Sha256::new();
    let mut names = db.tree_names();
    names.sort();
    for name in names {
        let tree = db.open_tree(&String::from_utf8_lossy(&name))?;
        hash.update((name.len() as u64).to_be_bytes());
        hash.update(&name);
        for entry in tree.range(std::ops::Bound::Unbounded, std::ops::Bound::Unbounded) {
            let (k, v) = entry?;
            hash.update((k.len() as u64).to_be_bytes());
            hash.update(&k);
            hash.update((v.len() as u64).to_be_bytes());
            hash.update(&v);
        }
    }
    Ok(crate::base::hex::hex(&hash.finalize()))
}

/// True when the database holds nothing (no tree has an entry).
fn is_empty(db: &dyn Engine) -> bool {
    db.tree_names().iter().all(|n| {
        db.open_tree(&String::from_utf8_lossy(n))
            .map(|t| t.is_empty())
            .unwrap_or(false)
    })
}

/// Checks a just-opened database against its marker (`used`: the directory held a database
/// before the open) and starts a new generation. Answers `ActorError::Damaged` when data is
/// missing.
pub fn check_and_begin(dir: &Path, db: &dyn Engine, used: bool) -> Result<()> {
    let marker = read_marker(dir)?;
    let stored = stored_generation(db)?;
    let generation = match (&marker, stored) {
        (Some(m), Some(g)) if m.generation == g => {
            if m.clean {
                if let Some(sum) = &m.checksum {
                    if *sum != checksum(db)? {
                        return Err(damaged(dir, "its content does not match the checksum recorded when it was last closed (data lost or changed on disk)"));
                    }
                }
            }
            g
        }
        // The generation reached the database but the marker write after it did not (a crash
        // between the two, at an open or a clean close): nothing is lost, nothing to compare.
        (Some(m), Some(g)) if g == m.generation + 1 => g,
        (Some(m), Some(g)) => {
            return Err(damaged(dir, &format!("it is at generation {g} but its marker says {} (the latest writes are missing)", m.generation)));
        }
        (Some(_), None) => {
            return Err(damaged(
                dir,
                "its data file is missing, empty or unreadable (the marker shows it held data)",
            ));
        }
        (None, _) if used && is_empty(db) => {
            return Err(damaged(dir, "the directory held a database but no data is left in it (data file deleted or emptied)"));
        }
        // A fresh directory, or a database from before the marker: it gets one now.
        (None, g) => g.unwrap_or(0),
    };
    let next = generation + 1;
    store_generation(db, next)?;
    write_marker(
        dir,
        &Marker {
            generation: next,
            clean: false,
            checksum: None,
        },
    )
}

/// Records a clean close: a last generation bump, then the checksum of everything. Nothing may
/// write to the database afterwards.
pub fn close_clean(dir: &Path, db: &dyn Engine) -> Result<()> {
    let generation = stored_generation(db)?.unwrap_or(0) + 1;
    store_generation(db, generation)?;
    let sum = checksum(db)?;
    write_marker(
        dir,
        &Marker {
            generation,
            clean: true,
            checksum: Some(sum),
        },
    )
}

#[cfg(test)]
#[path = "integrity_tests.rs"]
mod tests;
