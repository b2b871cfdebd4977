//! Writing a backup (`orchard backup`): the database dumped under the store's write gate (one
//! point in time, `snapshot_ms`), then each repository of that dump copied, then both packed
//! into one archive (`archive::write`).
//!
//! The guarantee: every write acknowledged before `snapshot_ms` (an HTTP answer, a finished
//! push) is in the archive. A repository is copied after the dump, in its actor's mailbox
//! (`Snapshot`), so it holds no push half in; a push acknowledged after `snapshot_ms` may or may
//! not be in it. A repository's refs may therefore be ahead of the database's push log (a push
//! in the copy whose log entry came after the dump): restore and `check` accept that, as the
//! refs are what the repository holds; the push log then lacks the entry (and its Push
//! activities were published from the running instance, not the restored one).

use super::manifest::{self, Counts, Manifest};
use crate::error::{Error, Result};
use actors::kinds::repository_snapshot::{copy_bare, Snapshot};
use actors::repository::Repository;
use actors::storage::layout::{self, ACCOUNT, ACTOR_INDEX};
use actors::{ActorKind, ActorRef, Registry, Store};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the dump waits for the writes in progress to end before it gives up.
const FREEZE_WAIT: Duration = Duration::from_secs(10);

/// How the repositories are copied: through their actors on a running instance, or straight
/// from the repositories directory of a stopped one.
pub enum Repos<'a> {
    Live(&'a Registry),
    Offline(PathBuf),
}

/// The database's part of a backup: what the dump holds, taken at one point in time.
struct Dumped {
    snapshot_ms: u64,
    summary: actors::storage::export::Summary,
    actors: u64,
    accounts: u64,
    repositories: Vec<String>,
}

/// A directory removed when dropped (the staging area beside the archive).
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Creates the staging directory, new (never one that exists: it may be another backup's, or
/// a link planted there) and readable by the server's user only, like the archive.
fn private_staging(dir: PathBuf) -> Result<Staging> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
        Ok(()) => Ok(Staging(dir)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(super::archive::refused(format!(
                "{} exists: another backup to this file runs, or one stopped half-way (remove it)",
                dir.display()
            )))
        }
        Err(e) => Err(e.into()),
    }
}

fn blocking_failed(e: tokio::task::JoinError) -> Error {
    Error::Io(std::io::Error::other(format!(
        "the backup task stopped: {e}"
    )))
}

/// Dumps the database to `file` under the write gate, with the index's counts and repositories
/// read at the same point in time. Blocking.
fn dump(store: &Store, file: &Path) -> Result<Dumped> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(file)?);
    let frozen = store.freeze(FREEZE_WAIT)?;
    let snapshot_ms = actors::base::clock::now_ms();
    let summary = actors::storage::export::export(store, &mut out)?;
    let prefix = layout::prefix(ACTOR_INDEX);
    let (mut actors, mut repositories) = (0, Vec::new());
    for entry in store.instance().scan_prefix(&prefix) {
        let (k, _) = entry?;
        actors += 1;
        let name = String::from_utf8_lossy(&k[prefix.len()..]).into_owned();
        match ActorRef::from_tree_name(&name) {
            Some(r) if r.kind == ActorKind::Repository => repositories.push(r.id),
            _ => {}
        }
    }
    let accounts = store
        .instance()
        .scan_prefix(layout::prefix(ACCOUNT))
        .count() as u64;
    drop(frozen);
    out.into_inner()
        .map_err(|e| Error::Io(e.into_error()))?
        .sync_all()?;
    Ok(Dumped {
        snapshot_ms,
        summary,
        actors,
        accounts,
        repositories,
    })
}

async fn copy_repository(repos: &Repos<'_>, id: &str, to: PathBuf) -> Result<u64> {
    let copied = match repos {
        Repos::Live(registry) => match registry.get::<Repository>(id).await {
            Ok(addr) => addr
                .send(Snapshot { to })
                .await
                .map_err(actors::ActorError::from)
                .and_then(|r| r),
            Err(e) => Err(e),
        },
        Repos::Offline(dir) => {
            let from = dir.join(format!("{id}.git"));
            tokio::task::spawn_blocking(move || copy_bare(&from, &to))
                .await
                .map_err(blocking_failed)?
        }
    };
    copied.map_err(|e| {
        Error::Io(std::io::Error::other(format!(
            "cannot copy the repository {id}: {e}"
        )))
    })
}

/// Writes a backup of `store` and its repositories to the archive `to` (refused if it exists).
/// Answers the archive's manifest.
pub async fn create(
    store: &Store,
    repos: Repos<'_>,
    public_url: &url::Url,
    to: &Path,
) -> Result<Manifest> {
    if to.exists() {
        return Err(super::archive::refused(format!(
            "{} exists: choose a new file for the backup",
            to.display()
        )));
    }
    let mut staging_name = to.as_os_str().to_owned();
    staging_name.push(".staging");
    let staging = private_staging(PathBuf::from(staging_name))?;
    std::fs::create_dir_all(staging.0.join("db"))?;
    std::fs::create_dir_all(staging.0.join("repos"))?;
    let dump_file = staging.0.join(manifest::DB_DUMP);
    let dumped = {
        let store = store.clone();
        tokio::task::spawn_blocking(move || dump(&store, &dump_file))
            .await
            .map_err(blocking_failed)??
    };
    for id in &dumped.repositories {
        let to = staging.0.join("repos").join(format!("{id}.git"));
        copy_repository(&repos, id, to).await?;
    }
    let manifest = Manifest {
        format: manifest::FORMAT,
        orchard_version: env!("CARGO_PKG_VERSION").to_string(),
        created: actors::base::clock::now_rfc3339(),
        snapshot_ms: dumped.snapshot_ms,
        public_url: public_url.to_string(),
        counts: Counts {
            trees: dumped.summary.trees.len() as u64,
            keys: dumped.summary.entries(),
            actors: dumped.actors,
            repositories: dumped.repositories.len() as u64,
            accounts: dumped.accounts,
        },
        members: Default::default(),
    };
    let (dir, to) = (staging.0.clone(), to.to_path_buf());
    let written = tokio::task::spawn_blocking(move || super::archive::write(&dir, manifest, &to))
        .await
        .map_err(blocking_failed)?;
    drop(staging);
    written
}
