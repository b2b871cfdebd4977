use super::*;
use crate::base::kind::ActorKind;
use crate::storage::layout::ACTOR_INDEX;
use serde_json::json;

fn stored(store: &Store, r: &ActorRef) {
    let key = layout::key(ACTOR_INDEX, r.tree_name().as_bytes());
    store.instance().insert(key, b"").unwrap();
}

fn reasons(entries: &[Entry]) -> Vec<String> {
    entries.iter().map(|e| e.reason.clone()).collect()
}

#[test]
fn the_actor_ring_wraps_keeps_the_newest_first_and_stays_bounded() {
    let store = Store::in_memory().unwrap();
    let r = ActorRef::new(ActorKind::Repository, "r");
    stored(&store, &r);
    for i in 0..(ACTOR_RING + 70) {
        record(&store, Some(&r), &Entry::new(Stage::Rejected, i));
    }
    let mine = of_actor(&store, &r).unwrap();
    assert_eq!(mine.len() as u64, ACTOR_RING, "bounded");
    let expected: Vec<String> = (70..ACTOR_RING + 70).rev().map(|i| i.to_string()).collect();
    assert_eq!(
        reasons(&mine),
        expected,
        "the newest first, the oldest overwritten"
    );
    let ks = store.keyspace(&r).unwrap();
    let slots = ks.scan_prefix(layout::prefix(ERROR_BOX)).count() as u64;
    assert_eq!(
        slots, ACTOR_RING,
        "no more slots than the ring's size on disk"
    );
    // Every entry went to the instance's ring too (not yet full).
    assert_eq!(of_instance(&store).unwrap().len() as u64, ACTOR_RING + 70);
}

#[test]
fn the_instance_ring_is_bounded_and_an_actor_not_stored_gets_nothing() {
    let store = Store::in_memory().unwrap();
    let ghost = ActorRef::new(ActorKind::Person, "ghost");
    for i in 0..(INSTANCE_RING + 5) {
        record(&store, Some(&ghost), &Entry::new(Stage::Failed, i));
    }
    let all = of_instance(&store).unwrap();
    assert_eq!(all.len() as u64, INSTANCE_RING);
    assert_eq!(all[0].reason, (INSTANCE_RING + 4).to_string());
    assert_eq!(all.last().unwrap().reason, "5");
    assert!(of_actor(&store, &ghost).unwrap().is_empty());
    assert!(!store.actor_exists(&ghost).unwrap(), "nothing created");
}

#[test]
fn rings_of_two_actors_are_apart() {
    let store = Store::in_memory().unwrap();
    let a = ActorRef::new(ActorKind::Person, "a");
    let ab = ActorRef::new(ActorKind::Person, "ab");
    stored(&store, &a);
    stored(&store, &ab);
    record(&store, Some(&a), &Entry::new(Stage::Ignored, "for a"));
    record(&store, Some(&ab), &Entry::new(Stage::Ignored, "for ab"));
    record(&store, None, &Entry::new(Stage::Malformed, "for nobody"));
    assert_eq!(reasons(&of_actor(&store, &a).unwrap()), ["for a"]);
    assert_eq!(reasons(&of_actor(&store, &ab).unwrap()), ["for ab"]);
    let all = reasons(&of_instance(&store).unwrap());
    assert_eq!(all, ["for nobody", "for ab", "for a"]);
}

#[test]
fn an_entry_reads_the_activity_and_clips_what_it_keeps() {
    let raw = json!({"id": "https://b.example:8443/acts/1", "type": "Follow",
                     "actor": {"id": "https://b.example:8443/users/bob"},
                     "object": "https://a.example/repos/r"});
    let e = Entry::about(Stage::Rejected, &raw, "needs a Grant").to("https://a.example/repos/r");
    assert_eq!(e.activity.as_deref(), Some("https://b.example:8443/acts/1"));
    assert_eq!(e.activity_type.as_deref(), Some("Follow"));
    assert_eq!(e.actor.as_deref(), Some("https://b.example:8443/users/bob"));
    assert_eq!(e.host.as_deref(), Some("b.example:8443"));
    assert_eq!(e.recipient.as_deref(), Some("https://a.example/repos/r"));
    assert!(is_about(&raw, "https://a.example/repos/r"));
    assert!(!is_about(&raw, "https://a.example/repos/other"));
    let long = Entry::new(Stage::Failed, format!("{}\n{}", "x".repeat(900), "y"));
    assert_eq!(long.reason.chars().count(), MAX_REASON);
    assert!(!Entry::new(Stage::Failed, "a\nb").reason.contains('\n'));
    let t = Entry::new(Stage::Failed, "x").time;
    assert_eq!(t.len(), "2026-12-03T12:00:00.000Z".len(), "{t}");
    assert!(
        crate::base::clock::parse_time(&t).is_some(),
        "RFC 3339: {t}"
    );
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["stage"], "rejected");
    assert_eq!(json["activityType"], "Follow");
}

#[test]
fn internal_errors_are_named_not_shown() {
    let io = std::io::Error::other("/secret/path/db: disk exploded");
    let shown = safe_reason(&ActorError::Storage(io));
    assert!(!shown.contains("secret"), "{shown}");
    let corrupt = safe_reason(&ActorError::Corrupt("key material".into()));
    assert!(!corrupt.contains("key material"));
    let invalid = ActorError::Invalid("Follow of another actor".into());
    assert_eq!(safe_reason(&invalid), "Follow of another actor");
}
