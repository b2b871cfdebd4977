//! A Factory's Create re-run after a crash: the Create stays unprocessed until the new actor
//! exists, and processing it again (as resuming after a crash does when the processed mark was
//! not yet durable) creates nothing twice: no second repository, Grant or Accept.

mod common;

use actors::storage::codec;
use actors::storage::layout::{self, INBOX, INBOX_PROCESSED, PENDING};
use actors::{ActorKind, ActorRef, Store};
use common::forge::{create_via_factory, invite_and_accept, world};
use serde_json::{json, Value};

fn repos_on_disk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir.join("repos"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// Rewinds the Factory's inbox to just before the item `create_id` (as if the marks of it and
/// everything after were lost in a crash) and indexes it as pending.
fn rewind_factory_inbox(db: &std::path::Path, factory_id: &str, create_id: &str) {
    let store = Store::open(db).expect("open the stopped instance's store");
    let factory = ActorRef::new(ActorKind::Factory, factory_id);
    let tree = store.keyspace(&factory).unwrap();
    let pre = layout::prefix(INBOX);
    let seq = tree
        .scan_prefix(&pre)
        .filter_map(Result::ok)
        .find(|(_, v)| serde_json::from_slice::<Value>(v).unwrap()["id"] == create_id)
        .map(|(k, _)| codec::decode_u64(&k[pre.len()..]))
        .expect("the Create is in the Factory's inbox");
    tree.insert(INBOX_PROCESSED, &seq.to_be_bytes()[..])
        .unwrap();
    store
        .kind_index(ActorKind::Factory)
        .unwrap()
        .insert(layout::key(PENDING, factory_id.as_bytes()), &[][..])
        .unwrap();
    store.flush_blocking().unwrap();
}

#[tokio::test]
async fn a_create_processed_again_after_a_crash_creates_nothing_twice() {
    let mut w = world().await;
    w.a.register("alice").await;
    let grant = invite_and_accept(&w, &w.a, "alice", "write", json!({})).await;
    let answer = create_via_factory(
        &w.a,
        "alice",
        &w.factory,
        "Repository",
        "Rerun",
        grant["id"].as_str(),
    )
    .await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let repo = answer["result"].as_str().unwrap().to_string();
    let create_id = answer["object"]["id"].as_str().unwrap().to_string();
    let token = w.a.login("alice").await;
    let inbox = w.a.at("/people/alice/inbox");
    let accepts_of = |items: &[Value]| {
        items
            .iter()
            .filter(|v| v["type"] == "Accept" && v["object"]["id"] == create_id)
            .count()
    };
    assert_eq!(accepts_of(&w.a.collection(&inbox, Some(&token)).await), 1);
    let grants = w.a.collection(&w.a.at("/people/alice/grants"), None).await;
    let on_repo = |gs: &[Value]| gs.iter().filter(|g| g["context"] == repo).count();
    assert_eq!(on_repo(&grants), 1);
    let repos = repos_on_disk(&w.a.data_dir());

    w.a.stop().await;
    rewind_factory_inbox(&w.a.data_dir().join("db"), "main", &create_id);
    w.a.restart().await;

    // The Factory processes in order: once a later Create is answered, the re-run is done.
    let later = create_via_factory(
        &w.a,
        "alice",
        &w.factory,
        "TicketTracker",
        "Later",
        grant["id"].as_str(),
    )
    .await;
    assert_eq!(later["type"], "Accept", "{later}");
    assert_eq!(
        repos_on_disk(&w.a.data_dir()),
        repos,
        "no second repository"
    );
    let token = w.a.login("alice").await;
    assert_eq!(
        accepts_of(&w.a.collection(&inbox, Some(&token)).await),
        1,
        "the Accept was not sent again"
    );
    let grants = w.a.collection(&w.a.at("/people/alice/grants"), None).await;
    assert_eq!(on_repo(&grants), 1, "no second Grant on the repository");
    assert_eq!(w.a.get_ap(&repo).await.0, 200);
}
