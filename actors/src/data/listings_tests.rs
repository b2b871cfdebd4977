//! Tests of `listings`: paging in id order, private repositories skipped, cursors. (A deleted
//! repository leaves the actor index: `kinds::deletion` and tests/deletion.)
use super::*;
use crate::actor::record::create;
use crate::storage::delivery_queue::DeliveryQueue;
use crate::storage::store::Store;
use crate::urls::Urls;

fn env(store: &Store) -> Env {
    Env {
        store: store.clone(),
        urls: Urls::new(url::Url::parse("http://127.0.0.1:9").unwrap()).with_ssh_port(2222),
        delivery: DeliveryQueue::open(store).unwrap(),
        repos: Default::default(),
        push_timeout: std::time::Duration::from_secs(60),
        git_jobs: crate::actor::git_jobs::GitJobs::disconnected(),
    }
}

/// Stores a repository record (no key: listings never read it).
fn repo(store: &Store, id: &str, extra: Value) {
    let r = ActorRef::new(ActorKind::Repository, id);
    let record = ActorRecord {
        kind: "Repository".into(),
        id: id.into(),
        name: Some(id.to_uppercase()),
        summary: None,
        created: "2026-01-01T00:00:00Z".into(),
        private_key_pem: String::new(),
        public_key_pem: None,
        extra: extra.as_object().cloned().unwrap_or_default(),
    };
    create(store, &r, &record).unwrap();
}

fn ids(page: &Page) -> Vec<&str> {
    page.items
        .iter()
        .map(|i| i["localId"].as_str().unwrap())
        .collect()
}

#[test]
fn pages_follow_id_order_and_skip_private_ones() {
    let store = Store::in_memory().unwrap();
    let env = env(&store);
    for id in ["a", "b", "d", "e"] {
        repo(&store, id, json!({}));
    }
    repo(&store, "c", json!({"visibility": "private"}));
    let first = repositories_page(&env, None, 2).unwrap();
    assert_eq!(ids(&first), ["a", "b"]);
    assert_eq!(first.items[0]["cloneUri"], "http://127.0.0.1:9/repos/a");
    assert_eq!(
        first.items[0]["pushUri"],
        "ssh://git@127.0.0.1:2222/repos/a"
    );
    assert_eq!(first.items[0]["stars"], 0);
    let second = repositories_page(&env, first.next.as_deref(), 2).unwrap();
    assert_eq!(ids(&second), ["d", "e"]);
    assert!(second.next.is_none(), "e is the last");
    let all = repositories_page(&env, None, MAX_LIMIT).unwrap();
    assert_eq!(ids(&all), ["a", "b", "d", "e"]);
    assert!(all.next.is_none());
}

#[test]
fn bad_cursors_and_limits_are_refused() {
    let store = Store::in_memory().unwrap();
    let env = env(&store);
    for bad in ["***", "", "Li4v"] {
        let e = repositories_page(&env, Some(bad), 10).unwrap_err();
        assert!(matches!(e, ActorError::Invalid(_)), "{bad}: {e}");
    }
    assert!(repositories_page(&env, None, 0).is_err());
    assert!(repositories_page(&env, None, MAX_LIMIT + 1).is_err());
    assert!(repositories_page(&env, None, 1).unwrap().items.is_empty());
}

#[test]
fn the_private_flag() {
    let mut record = ActorRecord {
        kind: "Repository".into(),
        id: "x".into(),
        name: None,
        summary: None,
        created: String::new(),
        private_key_pem: String::new(),
        public_key_pem: None,
        extra: Default::default(),
    };
    assert!(!is_private(&record));
    record.extra.insert("visibility".into(), json!("public"));
    assert!(!is_private(&record));
    record.extra.insert("visibility".into(), json!("private"));
    assert!(is_private(&record));
}
