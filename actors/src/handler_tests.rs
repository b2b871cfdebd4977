//! Unit tests of activity handlers' rules, on a `TestActor` (in memory, no server): the state
//! each activity changes, and the Reject or refusal of those that break a rule.

use crate::activities::{follow, invite, stars};
use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorKind;
use crate::runtime::dispatch;
use crate::testing::TestActor;
use serde_json::{json, Value};

/// What a Person or a Repository does with these types, as their kinds' dispatch does
/// (`kinds::person`, `kinds::repository`).
fn handle(core: &mut ActorCore, a: &schema::Activity, raw: &Value) -> Result<()> {
    match a.kind.as_str() {
        "Follow" => follow::received(core, a, raw),
        "Undo" => dispatch::undo(core, a, raw),
        "Invite" => invite::received(core, a, raw),
        "Like" => stars::liked(core, a, raw),
        other => panic!("these tests send no {other}"),
    }
}

const ALICE: &str = "https://remote.example/users/alice";
const EVE: &str = "https://remote.example/users/eve";

fn follow(id: &str, actor: &str, object: &str) -> Value {
    json!({"id": id, "type": "Follow", "actor": actor, "object": object})
}

#[test]
fn a_follow_is_recorded_once_and_accepted_and_only_its_actor_undoes_it() {
    let mut bob = TestActor::new(ActorKind::Person, "bob");
    let f = follow("https://remote.example/f/1", ALICE, &bob.iri());
    bob.receive(f.clone(), handle).unwrap();
    bob.receive(f.clone(), handle).unwrap();
    assert_eq!(bob.collection("followers", None)["totalItems"], 1);
    assert_eq!(
        bob.collection("followers", Some(1))["orderedItems"],
        json!([ALICE])
    );
    assert_eq!(bob.published_types(), ["Accept", "Accept"]);
    assert_eq!(
        bob.published()[0]["object"]["id"],
        "https://remote.example/f/1"
    );

    let by_eve = json!({"id": "https://remote.example/u/1", "type": "Undo", "actor": EVE,
        "object": follow("https://remote.example/f/1", ALICE, &bob.iri())});
    assert!(
        bob.receive(by_eve, handle).is_err(),
        "eve follows nobody here"
    );
    let forged = json!({"id": "https://remote.example/u/2", "type": "Undo", "actor": ALICE,
        "object": follow("https://remote.example/f/1", EVE, &bob.iri())});
    let refused = bob.receive(forged, handle);
    assert!(
        matches!(refused, Err(ActorError::Forbidden(_))),
        "{refused:?}"
    );
    assert_eq!(bob.collection("followers", None)["totalItems"], 1);

    let undo = json!({"id": "https://remote.example/u/3", "type": "Undo", "actor": ALICE,
        "object": "https://remote.example/f/1"});
    bob.receive(undo, handle).unwrap();
    assert_eq!(bob.collection("followers", None)["totalItems"], 0);
    assert_eq!(
        bob.collection("followers", Some(1))["orderedItems"],
        json!([])
    );
}

#[test]
fn a_follow_of_someone_else_changes_nothing() {
    let mut bob = TestActor::new(ActorKind::Person, "bob");
    let f = follow(
        "https://remote.example/f/2",
        ALICE,
        "https://orchard.test/people/carol",
    );
    assert!(matches!(
        bob.receive(f, handle),
        Err(ActorError::Invalid(_))
    ));
    assert_eq!(bob.collection("followers", None)["totalItems"], 0);
    assert!(bob.published().is_empty());
}

#[test]
fn an_invite_without_an_admin_grant_is_rejected_and_not_recorded() {
    let mut repo = TestActor::new(ActorKind::Repository, "tree");
    let target = repo.iri();
    let invite = |id: &str, capability: Option<&str>| {
        let mut a = json!({"id": id, "type": "Invite", "actor": EVE, "object": ALICE,
            "target": target, "instrument": "admin"});
        if let Some(c) = capability {
            a["capability"] = json!(c);
        }
        a
    };
    let (no_cap, forged) = (
        invite("https://remote.example/i/1", None),
        invite(
            "https://remote.example/i/2",
            Some("https://orchard.test/x/activities/nope"),
        ),
    );
    repo.receive(no_cap, handle).unwrap();
    repo.receive(forged, handle).unwrap();
    assert_eq!(repo.published_types(), ["Reject", "Reject"]);
    assert!(repo.published()[0]["summary"]
        .as_str()
        .unwrap_or_default()
        .contains("capability"));
    assert!(!invited(&repo, "https://remote.example/i/1"));

    // With the admin Grant this repository issued to eve, the Invite is recorded.
    let eve = url(EVE);
    let grant = crate::grants::issue::issue_grant(
        &repo.core,
        &eve,
        schema::Role::Admin,
        None,
        &Default::default(),
        &[],
    )
    .unwrap();
    let ok = invite("https://remote.example/i/3", Some(grant.as_str()));
    repo.receive(ok, handle).unwrap();
    assert_eq!(repo.published_types(), ["Reject", "Reject", "Grant"]);
    assert!(invited(&repo, "https://remote.example/i/3"));
}

fn url(s: &str) -> url::Url {
    url::Url::parse(s).unwrap()
}

/// Whether the resource recorded the Invite `id`.
fn invited(repo: &TestActor, id: &str) -> bool {
    let key = crate::storage::layout::key(crate::storage::layout::INVITE, id.as_bytes());
    repo.core.tree.contains_key(key).unwrap()
}

#[test]
fn a_star_counts_once_and_only_its_liker_takes_it_back() {
    let mut repo = TestActor::new(ActorKind::Repository, "tree");
    let like = json!({"id": "https://remote.example/l/1", "type": "Like", "actor": ALICE,
        "object": repo.iri()});
    repo.receive(like.clone(), stars::liked).unwrap();
    repo.receive(like.clone(), stars::liked).unwrap();
    assert_eq!(repo.collection("likes", None)["totalItems"], 1);
    let other = json!({"type": "Like", "actor": ALICE, "object": "https://orchard.test/x"});
    assert!(repo.receive(other, stars::liked).is_err());

    let by_eve = json!({"type": "Undo", "actor": EVE, "object": like});
    let refused = repo.receive(by_eve, handle);
    assert!(
        matches!(refused, Err(ActorError::Forbidden(_))),
        "{refused:?}"
    );
    assert_eq!(
        repo.collection("likes", Some(1))["orderedItems"],
        json!([ALICE])
    );
    let undo = json!({"type": "Undo", "actor": ALICE, "object": like});
    repo.receive(undo, handle).unwrap();
    assert_eq!(repo.collection("likes", None)["totalItems"], 0);
    assert!(repo.published().is_empty(), "stars are never answered");
}

#[test]
fn an_outbox_shows_anonymous_readers_its_public_items_only() {
    use crate::publish::audience::Reader;
    let bob = TestActor::new(ActorKind::Person, "bob");
    let public = url(schema::context::PUBLIC);
    for i in 0..25 {
        let to = if i % 5 == 0 {
            url(ALICE)
        } else {
            public.clone()
        };
        crate::publish::outbox::emit(&bob.core, "Note", json!({"content": i}), &[to]).unwrap();
    }
    assert_eq!(bob.collection("outbox", None)["totalItems"], 25);
    let anonymous = bob.collection_as("outbox", None, Reader::Anonymous);
    assert_eq!(anonymous["totalItems"], 20);
    assert_eq!(anonymous["last"], format!("{}/outbox?page=1", bob.iri()));
    let page = bob.collection_as("outbox", Some(1), Reader::Anonymous);
    let contents: Vec<_> = page["orderedItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["content"].clone())
        .collect();
    let expected: Vec<_> = (0..25)
        .rev()
        .filter(|i| i % 5 != 0)
        .map(|i| json!(i))
        .collect();
    assert_eq!(
        contents, expected,
        "newest first, the private ones left out"
    );
    let alice = bob.collection_as("outbox", None, Reader::Actor(url(ALICE)));
    assert_eq!(
        alice["totalItems"], 25,
        "alice also sees what is addressed to her"
    );
}

#[test]
fn an_outbox_stored_before_its_indexes_is_indexed_once_and_kept_after() {
    use crate::publish::audience::Reader;
    use crate::storage::layout::{self, OUTBOX_AT, OUTBOX_PUBLIC, SIZE};
    let bob = TestActor::new(ActorKind::Person, "bob");
    let public = url(schema::context::PUBLIC);
    let emit = |to: &url::Url| {
        crate::publish::outbox::emit(&bob.core, "Note", json!({}), std::slice::from_ref(to))
    };
    for to in [&public, &url(ALICE), &public] {
        emit(to).unwrap();
    }
    // As stored before the indexes existed: no index entries, no sizes.
    for collection in [OUTBOX_AT, OUTBOX_PUBLIC, SIZE] {
        let keys: Vec<_> = bob
            .core
            .tree
            .scan_prefix(layout::prefix(collection))
            .collect();
        for entry in keys {
            bob.core.tree.remove(entry.unwrap().0).unwrap();
        }
    }
    let total = |reader| bob.collection_as("outbox", None, reader)["totalItems"].clone();
    assert_eq!(total(Reader::Owner), 3);
    assert_eq!(total(Reader::Anonymous), 2);
    emit(&public).unwrap();
    assert_eq!(total(Reader::Admin), 4);
    assert_eq!(total(Reader::Anonymous), 3);
    let page = bob.collection_as("outbox", Some(1), Reader::Anonymous);
    assert_eq!(page["orderedItems"].as_array().unwrap().len(), 3);
}

#[test]
fn an_edit_needs_this_actor_as_object_and_an_admin_grant() {
    use crate::activities::edit::edit_field;
    let mut repo = TestActor::new(ActorKind::Repository, "tree");
    let me = repo.iri();
    let edit = |object: &str, capability: Option<&str>| {
        let mut a = json!({"id": format!("https://remote.example/e/{}", capability.is_some()),
            "type": "Edit", "actor": EVE, "object": {"id": object, "x": 1}});
        if let Some(c) = capability {
            a["capability"] = json!(c);
        }
        a
    };
    let field = ("this repository", "x");
    let parse = |o: &Value| o.get("x").cloned().ok_or_else(|| "no x".to_string());
    let other = edit("https://orchard.test/repos/other", None);
    repo.receive(other, |c, a, r| edit_field(c, a, r, field, parse))
        .unwrap();
    repo.receive(edit(&me, None), |c, a, r| edit_field(c, a, r, field, parse))
        .unwrap();
    assert_eq!(repo.published_types(), ["Reject", "Reject"]);
    assert!(
        !repo.core.record.extra.contains_key("x"),
        "refusals change nothing"
    );

    let grant = crate::grants::issue::issue_grant(
        &repo.core,
        &url(EVE),
        schema::Role::Admin,
        None,
        &Default::default(),
        &[],
    )
    .unwrap();
    let by_admin = edit(&me, Some(grant.as_str()));
    repo.receive(by_admin, |c, a, r| edit_field(c, a, r, field, parse))
        .unwrap();
    assert_eq!(repo.core.record.extra["x"], 1);
}
