use super::*;
use crate::urls::names::{owner_of_collection, tracker_of_ticket};

fn urls() -> Urls {
    Urls::new(Url::parse("http://127.0.0.1:7000/").unwrap())
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

#[test]
fn builds_and_parses_actor_iris() {
    let u = urls();
    let r = ActorRef::new(ActorKind::Repository, "r1");
    let iri = u.actor(&r);
    assert_eq!(iri.as_str(), "http://127.0.0.1:7000/repos/r1");
    assert_eq!(u.parse_actor(&iri), Some(r.clone()));
    assert_eq!(
        u.key_id(&r).as_str(),
        "http://127.0.0.1:7000/repos/r1/main-key"
    );
    let alice = ActorRef::new(ActorKind::Person, "alice");
    assert_eq!(
        u.key_id(&alice).as_str(),
        "http://127.0.0.1:7000/people/alice#main-key"
    );
    assert_eq!(u.key_owner(&u.key_id(&alice)), Some(alice.clone()));
    assert_eq!(u.key_owner(&u.key_id(&r)), Some(r.clone()));
    assert_eq!(
        u.key_owner(&url("http://127.0.0.1:7000/people/alice/main-key")),
        None
    );
    assert_eq!(
        u.key_owner(&url("http://127.0.0.1:7000/repos/r1#main-key")),
        None
    );
    assert_eq!(u.authority(), "127.0.0.1:7000");
}

#[test]
fn rejects_foreign_and_malformed() {
    let u = urls();
    for s in [
        "http://127.0.0.1:7001/people/a",
        "https://127.0.0.1:7000/people/a",
        "http://127.0.0.1:7000/people/a/inbox",
        "http://127.0.0.1:7000/people/a/",
        "http://127.0.0.1:7000/people/a?x=1",
        "http://127.0.0.1:7000/people/A",
        "http://127.0.0.1:7000/nothing/a",
    ] {
        assert_eq!(u.parse_actor(&url(s)), None, "{s}");
    }
}

#[test]
fn every_shape_under_a_base_path() {
    let u = Urls::new(url("https://forge.example/orchard/"));
    let r = ActorRef::new(ActorKind::TicketTracker, "bugs");
    let shapes = [
        (u.actor(&r), "/orchard/trackers/bugs"),
        (
            u.collection(&r, Collection::Followers),
            "/orchard/trackers/bugs/followers",
        ),
        (
            u.activity(&r, "abc"),
            "/orchard/trackers/bugs/activities/abc",
        ),
        (u.tickets(&r), "/orchard/trackers/bugs/tickets"),
        (u.ticket(&r, 3), "/orchard/trackers/bugs/tickets/3"),
        (
            u.ticket_part(&r, 3, TicketPart::Discussion),
            "/orchard/trackers/bugs/tickets/3/discussion",
        ),
        (
            u.ticket_part(&r, 3, TicketPart::Followers),
            "/orchard/trackers/bugs/tickets/3/followers",
        ),
        (
            u.ticket_comment(&r, 3, 2),
            "/orchard/trackers/bugs/tickets/3/comments/2",
        ),
        (u.instance_actor(), "/orchard/actor"),
        (u.instance_inbox(), "/orchard/actor/inbox"),
        (u.instance_outbox(), "/orchard/actor/outbox"),
        (u.shared_inbox(), "/orchard/inbox"),
        (u.nodeinfo(), "/orchard/nodeinfo/2.1"),
    ];
    for (iri, path) in shapes {
        assert_eq!(iri.path(), path);
    }
    assert_eq!(u.parse_actor(&u.actor(&r)), Some(r.clone()));
    assert_eq!(u.parse_ticket(&u.ticket(&r, 3)), Some((r.clone(), 3)));
    assert_eq!(
        u.parse_activity(&u.activity(&r, "abc")),
        Some((r.clone(), "abc".into()))
    );
}

#[test]
fn repository_and_person_shapes() {
    let u = urls();
    let repo = ActorRef::new(ActorKind::Repository, "r1");
    assert_eq!(u.commit(&repo, "ab12").path(), "/repos/r1/commits/ab12");
    assert_eq!(
        u.branch(&repo, "feature/x").path(),
        "/repos/r1/branches/feature/x"
    );
    let alice = ActorRef::new(ActorKind::Person, "alice");
    assert_eq!(
        u.ssh_key(&alice, "SHA256:ab+c/d").path(),
        "/people/alice/ssh-keys/ab_c_d"
    );
    // The kind-specific patterns start with their kind's segment.
    for (pattern, kind) in [
        (routes::COMMIT, ActorKind::Repository),
        (routes::BRANCH, ActorKind::Repository),
        (routes::GIT_INFO_REFS, ActorKind::Repository),
        (routes::PUSH_LOG, ActorKind::Repository),
        (routes::SSH_KEY, ActorKind::Person),
        (routes::TICKET_COMMENT, ActorKind::TicketTracker),
    ] {
        assert!(pattern.starts_with(&format!("/{}/{{id}}/", kind.path_segment())));
    }
}

#[test]
fn activity_and_ticket_parsing_is_exact() {
    let u = urls();
    let alice = ActorRef::new(ActorKind::Person, "alice");
    let id = u.activity(&alice, "0a1b");
    assert_eq!(u.activity_local_id(&alice, id.as_str()), Some("0a1b"));
    let bob = ActorRef::new(ActorKind::Person, "bob");
    assert_eq!(u.activity_local_id(&bob, id.as_str()), None);
    let nested = format!("{id}/more");
    assert_eq!(u.activity_local_id(&alice, &nested), None);
    let t = ActorRef::new(ActorKind::TicketTracker, "bugs");
    for s in [
        "tickets/0",
        "tickets/01",
        "tickets/x",
        "tickets/1/discussion",
    ] {
        let iri = url(&format!("{}/{s}", u.actor(&t)));
        assert_eq!(u.parse_ticket(&iri), None, "{s}");
    }
    let not_a_tracker = url("http://127.0.0.1:7000/repos/bugs/tickets/1");
    assert_eq!(u.parse_ticket(&not_a_tracker), None);
    assert_eq!(
        tracker_of_ticket(&url("https://b.example/trackers/t/tickets/4")),
        Some(url("https://b.example/trackers/t"))
    );
    assert_eq!(
        owner_of_collection(
            &url("https://b.example/u/x/followers"),
            Collection::Followers
        ),
        Some(url("https://b.example/u/x"))
    );
}

#[test]
fn patterns_expand_and_match() {
    assert_eq!(
        expand(routes::BRANCH, &[("id", "r"), ("name", "a/b")]),
        "/repos/r/branches/a/b"
    );
    assert_eq!(
        captures(routes::BRANCH, "/repos/r/branches/a/b"),
        Some(vec![("id", "r"), ("name", "a/b")])
    );
    assert_eq!(captures(routes::BRANCH, "/repos/r/branches/"), None);
    assert_eq!(captures(routes::ACTOR, "/people"), None);
    assert_eq!(captures(routes::ACTOR, "/people//"), None);
    assert_eq!(captures(routes::INSTANCE_ACTOR, "/actor"), Some(vec![]));
    assert_eq!(captures(routes::INSTANCE_ACTOR, "/actor/"), None);
    for c in Collection::ALL {
        assert_eq!(Collection::from_name(c.name()), Some(c));
    }
}

#[test]
fn push_uris_are_ssh_urls_on_the_public_host() {
    let r = ActorRef::new(ActorKind::Repository, "r1");
    assert_eq!(urls().push_uri(&r), None);
    let with_path = Urls::new(url("https://forge.example/sub/")).with_ssh_port(2222);
    assert_eq!(
        with_path.push_uri(&r).unwrap().as_str(),
        "ssh://git@forge.example:2222/repos/r1"
    );
}

#[test]
fn merge_request_iris_follow_the_trackers_kind() {
    let u = urls();
    let p = ActorRef::new(ActorKind::PatchTracker, "patches");
    let mr = u.ticket(&p, 2);
    assert_eq!(mr.path(), "/patch-trackers/patches/merge-requests/2");
    assert_eq!(
        u.tickets(&p).path(),
        "/patch-trackers/patches/merge-requests"
    );
    let parts = [
        (u.ticket_part(&p, 2, TicketPart::Discussion), "discussion"),
        (u.ticket_part(&p, 2, TicketPart::Followers), "followers"),
        (u.ticket_comment(&p, 2, 5), "comments/5"),
        (u.mr_version(&p, 2, 3), "versions/3"),
    ];
    for (iri, tail) in parts {
        assert_eq!(iri.path(), format!("{}/{tail}", mr.path()));
    }
    assert_eq!(u.parse_ticket(&mr), Some((p.clone(), 2)));
    let crossed = url(&format!(
        "{}/merge-requests/2",
        u.actor(&ActorRef::new(ActorKind::TicketTracker, "t"))
    ));
    assert_eq!(
        u.parse_ticket(&crossed),
        None,
        "a TicketTracker has no merge requests"
    );
    assert_eq!(
        tracker_of_ticket(&url("https://b.example/patch-trackers/p/merge-requests/4")),
        Some(url("https://b.example/patch-trackers/p"))
    );
    let repo = ActorRef::new(ActorKind::Repository, "game");
    let diff = u.compare(&repo, "main", "abc123");
    assert!(
        diff.as_str()
            .ends_with("/api/v1/repos/game/compare/main...abc123"),
        "{diff}"
    );
}
