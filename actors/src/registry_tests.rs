//! Tests of `registry`.
use super::*;
use crate::core::{create, ActorCore, ActorRecord};
use crate::messages::{GetCollection, Received};
use serde_json::json;

fn urls() -> Urls {
    Urls::new(url::Url::parse("http://127.0.0.1:9").unwrap())
}

#[actix_rt::test]
async fn stored_but_unprocessed_activities_are_processed_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let bob = ActorRef::new(ActorKind::Person, "bob");
    {
        let store = Store::open(dir.path()).unwrap();
        let outbound = Outbound::open(&store).unwrap();
        let record = ActorRecord::generate(ActorKind::Person, "bob", None).unwrap();
        create(&store, &bob, &record).unwrap();
        // Stored as an inbox POST stores it, then the process "crashes" before processing.
        let env = Env {
            store: store.clone(),
            urls: urls(),
            outbound,
            repos: Default::default(),
            push_timeout: Duration::from_secs(60),
        };
        let core = ActorCore::load(&env, &bob).unwrap();
        let follow = json!({
            "id": "http://remote.example/f/1",
            "type": "Follow",
            "actor": "http://remote.example/mallory",
            "object": "http://127.0.0.1:9/people/bob",
        });
        let got = core
            .store_received(&follow, "http://remote.example/f/1")
            .unwrap();
        assert_eq!(got, Received::Stored(0));
        assert_eq!(
            core.store_received(&follow, "http://remote.example/f/1")
                .unwrap(),
            Received::Duplicate
        );
        store.flush_blocking().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let outbound = Outbound::open(&store).unwrap();
    let env = Env {
        store: store.clone(),
        urls: urls(),
        outbound: outbound.clone(),
        repos: Default::default(),
        push_timeout: Duration::from_secs(60),
    };
    let registry = Registry::new(env, vec![], Duration::from_secs(60));
    assert_eq!(registry.resume_pending().await, 1);
    assert_eq!(registry.resume_pending().await, 0, "processed exactly once");
    let followers = registry
        .send(
            &bob,
            GetCollection {
                name: "followers".into(),
                page: Some(1),
                owner: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        followers["orderedItems"],
        json!(["http://remote.example/mallory"])
    );
    // The Accept was queued for delivery.
    assert_eq!(outbound.routes(10).unwrap().len(), 1);
}
