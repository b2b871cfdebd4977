//! `orchard restore --from FILE --to DIR`: a backup archive into an empty data directory (the
//! database in `DIR/db`, the repositories in `DIR/repos`: point `[storage] path` at `DIR/db`).
//! Pass 1 reads the whole archive and checks the manifest, every member's checksum and the
//! database dump's own checksums, writing nothing; pass 2 writes the database and the
//! repositories (readable by the restoring user only; hook scripts are not written back);
//! then the restored directory is checked (`check`).

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

/// Creates `dir` and its missing parents, readable by the server's user only.
fn private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    Ok(std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?)
}

/// Whether a repository member is a hook script: never written back, since an archive's
/// checksums say it is whole, not that it is trusted (git would run a hook on the next push).
fn is_hook(rest: &str) -> bool {
    rest.split('/').nth(1) == Some("hooks")
}

fn write_file(repos: &Path, m: Member<'_>) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let rest = m.path.strip_prefix(manifest::REPOS).unwrap_or(m.path);
    if is_hook(rest) {
        return Ok(std::io::copy(m.content, &mut std::io::sink()).map(|_| ())?);
    }
    let path: PathBuf = repos.join(rest);
    if let Some(parent) = path.parent() {
        private_dir(parent)?;
    }
    let mode = if m.executable { 0o700 } else { 0o600 };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&path)?;
    std::io::copy(m.content, &mut f)?;
    f.flush()?;
    Ok(())
}

/// The directories a bare repository needs and an archive (files only) does not carry: a
/// repository never pushed to, or with every ref packed, has empty `objects/` or `refs/`.
fn bare_skeletons(repos: &Path) -> Result<()> {
    for entry in std::fs::read_dir(repos)? {
        let dir = entry?.path();
        for sub in ["objects/info", "objects/pack", "refs/heads", "refs/tags"] {
            private_dir(&dir.join(sub))?;
        }
    }
    Ok(())
}

/// Pass 2: the database and the repositories are written.
fn write(from: &Path, to: &Path) -> Result<Manifest> {
    let (db, repos) = (to.join("db"), to.join("repos"));
    private_dir(&db)?;
    private_dir(&repos)?;
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
    bare_skeletons(&repos)?;
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
