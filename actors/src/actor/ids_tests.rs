//! Tests of `ids`: derived ids are keyed by the instance's secret.
use crate::actor::env::Env;
use crate::actor::record::{create, ActorRecord};
use crate::actor::state::ActorCore;
use crate::base::kind::{ActorKind, ActorRef};
use crate::storage::store::Store;
use crate::urls::Urls;

fn env(store: &Store) -> Env {
    Env {
        store: store.clone(),
        urls: Urls::new(url::Url::parse("http://127.0.0.1:9").unwrap()),
        delivery: crate::storage::delivery_queue::DeliveryQueue::open(store).unwrap(),
        repos: Default::default(),
        push_timeout: std::time::Duration::from_secs(60),
        git_jobs: crate::actor::git_jobs::GitJobs::disconnected(),
    }
}

/// The ids `bob` emits for the first two activities of one inbox item, in a store at `dir`.
fn emitted(dir: &std::path::Path) -> (String, String) {
    let store = Store::open(dir).unwrap();
    let bob = ActorRef::new(ActorKind::Person, "bob");
    if !store.actor_exists(&bob).unwrap() {
        let record = ActorRecord::generate(ActorKind::Person, "bob", None).unwrap();
        create(&store, &bob, &record).unwrap();
    }
    let core = ActorCore::load(&env(&store), &bob).unwrap();
    assert_eq!(core.next_emit_id("Accept"), None, "outside processing");
    *core.emit_seed.borrow_mut() = Some(("inbox 0".into(), 0));
    let ids = (
        core.next_emit_id("Accept").unwrap(),
        core.next_emit_id("Grant").unwrap(),
    );
    store.flush_blocking().unwrap();
    ids
}

#[test]
fn emitted_ids_are_stable_per_instance_and_unguessable_across() {
    let (one, other) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = emitted(one.path());
    assert_ne!(first.0, first.1);
    assert_eq!(first.0.len(), 24);
    // A re-run on the same store (after a restart) derives the same ids.
    assert_eq!(emitted(one.path()), first);
    // Another instance, same actor and same inbox item: its secret differs, so do the ids;
    // without the secret, the ids were a hash of public facts only.
    let second = emitted(other.path());
    assert_ne!(second.0, first.0);
    assert_ne!(second.1, first.1);
    use sha2::Digest;
    let bob = ActorRef::new(ActorKind::Person, "bob");
    let unkeyed = sha2::Sha256::digest(format!("{bob}\ninbox 0\n0\nAccept").as_bytes());
    let unkeyed = crate::base::hex::hex(&unkeyed[..12]);
    assert_ne!(first.0, unkeyed);
}
