//! What deleting a local actor removes once its tombstone is written (`data::tombstones`):
//! every key of its keyspace, its entry in its kind's pending index, and a repository's bare
//! directory (`purge`); and an admin's release of a deleted actor's id (`release`), which purges
//! again whatever a crash or a late write left, then forgets the tombstone; at start,
//! `finish_interrupted` purges what a crash in the middle of a deletion left. Blocking: run off
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

/// Purges every tombstoned actor whose keyspace still holds keys (a deletion interrupted by a
/// crash, or writes committed after its purge); answers how many. Call once at start.
pub fn finish_interrupted(env: &Env) -> Result<usize> {
    let mut done = 0;
    for (name, _) in tombstones::list(&env.store)? {
        let Some(r) = ActorRef::from_tree_name(&name) else {
            continue;
        };
        let left = env.store.keyspace(&r)?.scan_prefix(b"").next().is_some();
        if left || repo_dir_left(env, &r) {
            purge(env, &r)?;
            done += 1;
        }
    }
    Ok(done)
}

/// `finish_interrupted` on a blocking thread, its outcome logged.
pub async fn finish_at_start(env: Env) {
    let finished = tokio::task::spawn_blocking(move || finish_interrupted(&env)).await;
    match finished.map_err(ActorError::from).and_then(|r| r) {
        Ok(0) => {}
        Ok(n) => tracing::warn!(actors = n, "finished interrupted deletions"),
        Err(e) => tracing::error!(error = %e, "cannot finish interrupted deletions"),
    }
}

fn repo_dir_left(env: &Env, r: &ActorRef) -> bool {
    r.kind == ActorKind::Repository && crate::kinds::creation::repo_path(env, &r.id).exists()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actor::record::{create, ActorRecord};
    use crate::data::tombstones::Tombstone;
    use crate::storage::store::Store;

    fn env(repos: &std::path::Path) -> Env {
        let store = Store::in_memory().unwrap();
        Env {
            delivery: crate::storage::delivery_queue::DeliveryQueue::open(&store).unwrap(),
            store,
            urls: crate::urls::Urls::new(url::Url::parse("https://a.example").unwrap()),
            repos: std::sync::Arc::new(repos.to_path_buf()),
            push_timeout: std::time::Duration::from_secs(60),
            git_jobs: crate::actor::git_jobs::GitJobs::disconnected(),
        }
    }

    #[test]
    fn a_deleted_repository_leaves_only_its_tombstone_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let env = env(dir.path());
        let r = ActorRef::new(ActorKind::Repository, "r");
        let neighbour = ActorRef::new(ActorKind::Repository, "r2");
        for a in [&r, &neighbour] {
            create(
                &env.store,
                a,
                &ActorRecord::generate(a.kind, &a.id, None).unwrap(),
            )
            .unwrap();
        }
        std::fs::create_dir(crate::kinds::creation::repo_path(&env, "r")).unwrap();
        let t = Tombstone {
            former_type: "Repository".into(),
            deleted: "now".into(),
            by: None,
        };
        tombstones::bury(&env.store, &r, &t).unwrap();
        assert_eq!(
            finish_interrupted(&env).unwrap(),
            1,
            "the crash's leftovers"
        );
        assert_eq!(finish_interrupted(&env).unwrap(), 0);
        assert!(env
            .store
            .keyspace(&r)
            .unwrap()
            .scan_prefix(b"")
            .next()
            .is_none());
        assert!(!crate::kinds::creation::repo_path(&env, "r").exists());
        assert!(env
            .store
            .keyspace(&neighbour)
            .unwrap()
            .scan_prefix(b"")
            .next()
            .is_some());
        env.store
            .keyspace(&r)
            .unwrap()
            .insert(b"inbox\xff\x01", b"late")
            .unwrap();
        assert!(release(&env, &r).unwrap());
        assert!(env
            .store
            .keyspace(&r)
            .unwrap()
            .scan_prefix(b"")
            .next()
            .is_none());
        assert!(!tombstones::is_deleted(&env.store, &r).unwrap());
        assert!(
            !release(&env, &neighbour).unwrap(),
            "not deleted: nothing to release"
        );
    }
}
