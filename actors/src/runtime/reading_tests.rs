//! Data stored by older versions (the hidden audience inside published activities, inbox items
//! inline) is read, checked and served without its hidden audience: through the published
//! activity, the inbox item and the inbox collection.

use crate::actor::env::Env;
use crate::actor::record::{create, ActorRecord};
use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::base::kind::{ActorKind, ActorRef};
use crate::publish::audience;
use crate::publish::audience::Reader;
use crate::storage::codec;
use crate::storage::layout::{self, ACTIVITY, INBOX};
use crate::storage::store::Store;
use serde_json::json;
use url::Url;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn env_of(store: &Store) -> Env {
    Env {
        store: store.clone(),
        urls: crate::urls::Urls::new(url("http://127.0.0.1:9")),
        delivery: crate::storage::delivery_queue::DeliveryQueue::open(store).unwrap(),
        repos: Default::default(),
        push_timeout: std::time::Duration::from_secs(60),
        git_jobs: crate::actor::git_jobs::GitJobs::disconnected(),
    }
}

#[test]
fn data_stored_before_reads_and_is_served_without_its_hidden_audience() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let bob = ActorRef::new(ActorKind::Person, "bob");
    let record = ActorRecord::generate(ActorKind::Person, "bob", None).unwrap();
    create(&store, &bob, &record).unwrap();
    let tree = store.keyspace(&bob).unwrap();
    // As older versions stored them: the hidden audience inside, inbox items inline.
    let published = json!({"id": "http://127.0.0.1:9/people/bob/activities/old",
        "type": "Create", "to": ["http://remote.example/dave"],
        "bcc": ["http://remote.example/carol"]});
    tree.insert(
        layout::key(ACTIVITY, b"old"),
        codec::encode(&published).unwrap(),
    )
    .unwrap();
    let received = json!({"id": "http://remote.example/n/1", "type": "Create",
        "bto": ["http://127.0.0.1:9/people/bob"], "content": "y".repeat(2000)});
    tree.insert(layout::seq_key(INBOX, 0), codec::encode(&received).unwrap())
        .unwrap();
    let core = ActorCore::load(&env_of(&store), &bob).unwrap();
    let carol = Reader::Actor(url("http://remote.example/carol"));
    let served = audience::served(&core, "old", &carol).unwrap();
    assert!(served.get("bcc").is_none());
    assert_eq!(served["to"], published["to"]);
    let eve = Reader::Actor(url("http://remote.example/eve"));
    assert!(matches!(
        audience::served(&core, "old", &eve),
        Err(ActorError::NotFound(_))
    ));
    // A new item (a shared body) and the old inline one both read, without bto.
    let newer = json!({"id": "http://remote.example/n/2", "content": "z".repeat(2000)});
    let staged = core
        .stage_received(newer, "http://remote.example/n/2")
        .unwrap();
    block_on(store.committed(staged.ticket()));
    let items = core.inbox_items().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], "http://remote.example/n/2");
    assert_eq!(items[1]["content"], received["content"]);
    let page = crate::collections::get(
        &core,
        &crate::runtime::messages::GetCollection {
            name: "inbox".into(),
            page: Some(1),
            reader: Reader::Owner,
        },
    )
    .unwrap();
    assert!(page["orderedItems"][1].get("bto").is_none());
}

fn block_on<F: std::future::Future<Output = Result<()>>>(f: F) {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
        .unwrap();
}
