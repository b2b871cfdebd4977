//! `orchard restore --from FILE --to DIR`: a backup archive into an empty data directory (the
//! database in `DIR/db`, the repositories in `DIR/repos`: point `[storage] path` at `DIR/db`).
//! Pass 1 reads the whole archive and checks the manifest, every member's checksum and the
//! database dump's own checksums, writing nothing; pass 2 writes the database and the
//! repositories; then the restored directory is checked (`check`).

use super::archive::{self, refused, Member};
use super::manifest::{self, Manifest};
use crate::error::Result;
use actors::Store;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a restore wrote, and the check of it.
pub struct Restored {
    pub manifest: Manifest,
    pub check: super::check::Report,
}

/// Refuses a target that exists and holds anything; creates it otherwise.
fn empty_target(to: &Path) -> Result<()> {
    match std::fs::read_dir(to).map(|mut entries| entries.next().is_some()) {
        Ok(true) => Err(refused(format!(
            "{} is not empty: restore into a new or empty directory",
            to.display()
        ))),
        Ok(false) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(std::fs::create_dir_all(to)?),
        Err(e) => Err(e.into()),
    }
}

/// Pass 1: everything is checked; nothing is written.
fn verify(from: &Path) -> Result<Manifest> {
    archive::read(from, &mut |m: Member<'_>| {
        if m.path == manifest::DB_DUMP {
            actors::storage::export::verify(m.content)?;
        }
        Ok(())
    })
}

fn write_file(repos: &Path, m: Member<'_>) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let rest = m.path.strip_prefix(manifest::REPOS).unwrap_or(m.path);
    let path: PathBuf = repos.join(rest);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mode = if m.executable { 0o755 } else { 0o644 };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&path)?;
    std::io::copy(m.content, &mut f)?;
    f.flush()?;
    Ok(())
}

/// Pass 2: the database and the repositories are written.
fn write(from: &Path, to: &Path) -> Result<Manifest> {
    let (db, repos) = (to.join("db"), to.join("repos"));
    std::fs::create_dir_all(&db)?;
    std::fs::create_dir_all(&repos)?;
    let store = Store::open(&db)?;
    let manifest = archive::read(from, &mut |m: Member<'_>| {
        if m.path == manifest::DB_DUMP {
            actors::storage::export::import(&store, m.content)?;
            Ok(())
        } else {
            write_file(&repos, m)
        }
    })?;
    store.flush_blocking()?;
    drop(store);
    Ok(manifest)
}

/// Restores the archive `from` into the empty (or new) directory `to`, then checks it.
/// Blocking.
pub fn restore(from: &Path, to: &Path) -> Result<Restored> {
    empty_target(to)?;
    let checked = verify(from).map_err(|e| refused(format!("{e}; nothing was restored")))?;
    let manifest = write(from, to).map_err(|e| {
        refused(format!(
            "the restore stopped half-way: {e}; remove {} before trying again",
            to.display()
        ))
    })?;
    if manifest != checked {
        return Err(refused("the archive changed while it was restored"));
    }
    let check = super::check::check(&to.join("db"), &to.join("repos"))?;
    Ok(Restored { manifest, check })
}
