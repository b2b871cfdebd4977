//! Tests of `registry`.
use super::*;
use crate::actor::inbox_counters::Staged;
use crate::actor::record::{create, ActorRecord};
use crate::actor::state::ActorCore;
use crate::runtime::messages::{GetCollection, Passivate, Received};
use serde_json::json;

fn urls() -> Urls {
    Urls::new(url::Url::parse("http://127.0.0.1:9").unwrap())
}

/// What actors are given, over `store`.
fn env(store: &Store) -> Env {
    Env {
        store: store.clone(),
        urls: urls(),
        delivery: DeliveryQueue::open(store).unwrap(),
        repos: Default::default(),
        push_timeout: Duration::from_secs(60),
        git_jobs: crate::actor::git_jobs::GitJobs::disconnected(),
    }
}

/// Stores the person `bob` (a real key).
fn create_bob(store: &Store) -> ActorRef {
    let bob = ActorRef::new(ActorKind::Person, "bob");
    let record = ActorRecord::generate(ActorKind::Person, "bob", None).unwrap();
    create(store, &bob, &record).unwrap();
    bob
}

/// The first page of an actor's followers, as IRIs.
async fn followers(registry: &Registry, r: &ActorRef) -> Vec<String> {
    let page = registry
        .send(
            r,
            GetCollection {
                name: "followers".into(),
                page: Some(1),
                reader: crate::publish::audience::Reader::Anonymous,
            },
        )
        .await
        .unwrap();
    let mut items: Vec<String> = serde_json::from_value(page["orderedItems"].clone()).unwrap();
    items.sort();
    items
}

#[actix_rt::test]
async fn stored_but_unprocessed_activities_are_processed_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let bob = {
        let store = Store::open(dir.path()).unwrap();
        let bob = create_bob(&store);
        // Stored as an inbox POST stores it, then the process "crashes" before processing.
        let core = ActorCore::load(&env(&store), &bob).unwrap();
        let follow = json!({
            "id": "http://remote.example/f/1",
            "type": "Follow",
            "actor": "http://remote.example/mallory",
            "object": "http://127.0.0.1:9/people/bob",
        });
        let got = core
            .stage_received(follow.clone(), "http://remote.example/f/1")
            .unwrap();
        assert!(matches!(got, Staged::Stored { seq: 0, .. }), "{got:?}");
        // Staged, not yet committed: a second copy is a duplicate all the same.
        let again = core
            .stage_received(follow, "http://remote.example/f/1")
            .unwrap();
        assert!(matches!(again, Staged::Duplicate { .. }), "{again:?}");
        store.committed(got.ticket()).await.unwrap();
        // The process "crashes" before the item is processed.
        bob
    };
    let store = Store::open(dir.path()).unwrap();
    let env = env(&store);
    let delivery = env.delivery.clone();
    let registry = Registry::new(env, vec![], Duration::from_secs(60));
    assert_eq!(registry.resume_pending().await, 1);
    assert_eq!(registry.resume_pending().await, 0, "processed exactly once");
    assert_eq!(
        followers(&registry, &bob).await,
        vec!["http://remote.example/mallory"]
    );
    // The Accept was queued for delivery.
    assert_eq!(delivery.routes(10).unwrap().len(), 1);
}

#[actix_rt::test]
async fn inboxes_written_with_per_item_pending_markers_resume_where_they_stopped() {
    use crate::storage::codec;
    use crate::storage::layout::{self, INBOX, PENDING};
    use crate::storage::store;
    let dir = tempfile::tempdir().unwrap();
    let follow = |n: u32| {
        json!({
            "id": format!("http://remote.example/f/{n}"),
            "type": "Follow",
            "actor": format!("http://remote.example/p{n}"),
            "object": "http://127.0.0.1:9/people/bob",
        })
    };
    {
        // The layout before the `inbox-processed` counter: item 0 processed, 1 and 2 pending.
        let store = Store::open(dir.path()).unwrap();
        let bob = create_bob(&store);
        let tree = store.keyspace(&bob).unwrap();
        for n in 0..3u32 {
            let seq = u64::from(n);
            tree.insert(
                layout::seq_key(INBOX, seq),
                codec::encode(&follow(n)).unwrap(),
            )
            .unwrap();
            if n > 0 {
                tree.insert(layout::seq_key(PENDING, seq), &[][..]).unwrap();
            }
        }
        store
            .instance()
            .insert(layout::key(PENDING, bob.tree_name().as_bytes()), &[][..])
            .unwrap();
        store.flush_blocking().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let bob = ActorRef::new(ActorKind::Person, "bob");
    let registry = Registry::new(env(&store), vec![], Duration::from_secs(60));
    assert_eq!(registry.resume_pending().await, 2);
    assert_eq!(registry.resume_pending().await, 0, "processed exactly once");
    assert_eq!(
        followers(&registry, &bob).await,
        vec!["http://remote.example/p1", "http://remote.example/p2"]
    );
    let tree = store.keyspace(&bob).unwrap();
    assert_eq!(store::count(&tree, PENDING), 0, "old markers removed");
}

#[actix_rt::test]
async fn a_passivated_actor_finishes_its_receives_and_processes_them_before_stopping() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let bob = create_bob(&store);
    let registry = Registry::new(env(&store), vec![], Duration::from_secs(60));
    let addr = registry.get::<person::Person>("bob").await.unwrap();
    let follow = json!({
        "id": "http://remote.example/f/9",
        "type": "Follow",
        "actor": "http://remote.example/carol",
        "object": "http://127.0.0.1:9/people/bob",
    });
    // The stop arrives while the receive waits for its commit.
    let received = addr.send(crate::runtime::messages::Receive {
        activity: follow,
        id: "http://remote.example/f/9".into(),
    });
    addr.do_send(Passivate);
    assert_eq!(received.await.unwrap().unwrap(), Received::Stored(0));
    for _ in 0..100 {
        if !registry.is_active(&bob) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        !registry.is_active(&bob),
        "stopped once the receive was done"
    );
    assert_eq!(
        followers(&registry, &bob).await,
        vec!["http://remote.example/carol"],
        "processed before stopping"
    );
}
