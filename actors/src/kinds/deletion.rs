//! What deleting a local actor removes once its tombstone is written (`data::tombstones`):
//! every key of its keyspace, its entry in its kind's pending index, and a repository's bare
//! directory (`purge`); and an admin's release of a deleted actor's id (`release`), which purges
//! again whatever a crash or a late write left, then forgets the tombstone. Blocking: run off
//! the actor threads.

use crate::actor::env::Env;
use crate::base::error::{ActorError, Result};
use crate::base::kind::{ActorKind, ActorRef};
use crate::data::tombstones;
use crate::storage::layout::{self, PENDING};

/// Keys removed per batch.
const BATCH: usize = 1024;

/// Removes everything `r` stored (its record and private key included) and its bare
/// repository; makes it durable. Idempotent.
pub fn purge(env: &Env, r: &ActorRef) -> Result<()> {
    let keyspace = env.store.keyspace(r)?;
    loop {
        let keys = keyspace
            .scan_prefix(b"")
            .take(BATCH)
            .map(|e| e.map(|(k, _)| k))
            .collect::<Result<Vec<_>>>()?;
        if keys.is_empty() {
            break;
        }
        let mut batch = keyspace.batch();
        for k in &keys {
            batch.remove(k);
        }
        keyspace.apply_batch(batch)?;
    }
    env.store
        .kind_index(r.kind)?
        .remove(layout::key(PENDING, r.id.as_bytes()))?;
    if r.kind == ActorKind::Repository {
        let dir = crate::kinds::creation::repo_path(env, &r.id);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(ActorError::Storage)?;
        }
    }
    env.store.flush_blocking()?;
    tracing::info!(actor = %r, "deleted actor's data removed");
    Ok(())
}

/// Frees the id of the deleted actor `r`: purges what is left of it, then forgets its
/// tombstone. False when `r` is not a deleted actor (nothing changed).
pub fn release(env: &Env, r: &ActorRef) -> Result<bool> {
    if !tombstones::is_deleted(&env.store, r)? {
        return Ok(false);
    }
    purge(env, r)?;
    let forgotten = tombstones::forget(&env.store, r)?;
    env.store.flush_blocking()?;
    tracing::warn!(actor = %r, "deleted actor's id released");
    Ok(forgotten)
}
