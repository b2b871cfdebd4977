//! Tickets over real HTTP: A hosts a TicketTracker made through its Factory; people on B (C2S
//! through their outbox) and a fake remote server (signed S2S) open, comment on, resolve and
//! reopen tickets, driven by the ForgeFed spec examples; every broken rule is a Reject that
//! creates nothing; a non-public tracker needs a `report` Grant.

mod common;

use common::forge::{create_via_factory, world, World, B_SETTINGS};
use common::remote::{FakeRemote, Sign};
use common::{eventually, Instance};
use serde_json::{json, Value};

/// A ForgeFed spec example with its IRIs swapped (in the order given) and its `id` removed.
fn vector(name: &str, swaps: &[(&str, &str)]) -> Value {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/tests/vectors/forgefed-spec"
    );
    let mut text = std::fs::read_to_string(format!("{dir}/{name}")).expect("vector");
    for (from, to) in swaps {
        text = text.replace(from, to);
    }
    let mut v: Value = serde_json::from_str(&text).expect("vector JSON");
    v.as_object_mut().expect("object").remove("id");
    v
}

fn offer(tracker: &str, summary: &str) -> Value {
    json!({"type": "Offer", "to": [tracker], "target": tracker,
           "object": {"type": "Ticket", "summary": summary, "content": "<p>details</p>"}})
}

/// `base` with the keys of `extra` set (null values included).
fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        base[k] = v;
    }
    base
}

fn rejected(answer: Value, reason: &str) {
    assert_eq!(answer["type"], "Reject", "{answer}");
    let summary = answer["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains(reason),
        "{summary:?} should say {reason:?}"
    );
}

struct Forge {
    w: World,
    b: Instance,
    tracker: String,
    admin_grant: String,
}

/// A, whose admin makes the tracker "Bugs" through the Factory, and B with `people`.
async fn forge(people: &[&str]) -> Forge {
    let w = world().await;
    let b = Instance::start("b", B_SETTINGS).await;
    for p in people {
        b.register(p).await;
    }
    let (f, admin) = (w.factory.clone(), w.admin_grant.clone());
    let answer = create_via_factory(&w.a, "admin", &f, "TicketTracker", "Bugs", Some(&admin)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let tracker = answer["result"].as_str().expect("result").to_string();
    let grant = w.a.grant_on("admin", &tracker, "active", 10).await;
    let admin_grant = grant.expect("admin Grant on the tracker")["id"]
        .as_str()
        .unwrap()
        .into();
    Forge {
        w,
        b,
        tracker,
        admin_grant,
    }
}

impl Forge {
    fn ticket(&self, n: u64) -> String {
        format!("{}/tickets/{n}", self.tracker)
    }

    /// The tracker's admin invites `user` (on `inst`) to `role`; they accept. Answers the Grant.
    async fn grant(&self, inst: &Instance, user: &str, role: &str) -> String {
        let who = inst.at(&format!("/people/{user}"));
        let invite = json!({"type": "Invite", "object": who, "instrument": role,
                            "target": self.tracker, "capability": self.admin_grant});
        let (s, body) = self
            .w
            .a
            .post_outbox("admin", &self.w.admin_token, &invite)
            .await;
        assert_eq!(s, 201, "{body}");
        let invite_id = body["id"].as_str().unwrap().to_string();
        let token = inst.login(user).await;
        let got = inst
            .find_in_inbox(user, &token, 10, |v| v["id"] == invite_id)
            .await;
        assert!(got.is_some(), "{user} was invited");
        let accept = json!({"type": "Accept", "object": invite_id});
        assert_eq!(inst.post_outbox(user, &token, &accept).await.0, 201);
        let grant = inst
            .grant_on(user, &self.tracker, "active", 10)
            .await
            .expect("Grant");
        assert_eq!(grant["object"], role);
        grant["id"].as_str().unwrap().to_string()
    }

    /// `user` posts `activity` through their outbox; answers its id and the tracker's Accept
    /// or Reject of it.
    async fn post(&self, inst: &Instance, user: &str, activity: &Value) -> (String, Value) {
        let id = self.send(inst, user, activity).await;
        let token = inst.login(user).await;
        let answer = inst
            .find_in_inbox(user, &token, 15, |v| {
                v["actor"] == self.tracker
                    && (v["type"] == "Accept" || v["type"] == "Reject")
                    && v["object"]["id"] == id
            })
            .await;
        (
            id.clone(),
            answer.unwrap_or_else(|| panic!("no answer to {id}")),
        )
    }

    /// `user` posts `activity` through their outbox; answers its id.
    async fn send(&self, inst: &Instance, user: &str, activity: &Value) -> String {
        let token = inst.login(user).await;
        let (s, body) = inst.post_outbox(user, &token, activity).await;
        assert_eq!(s, 201, "{body}");
        body["id"].as_str().unwrap_or_default().to_string()
    }

    /// `user` on `inst` opens a ticket; answers its IRI.
    async fn open(&self, inst: &Instance, user: &str, summary: &str) -> String {
        let (_, answer) = self.post(inst, user, &offer(&self.tracker, summary)).await;
        assert_eq!(answer["type"], "Accept", "{answer}");
        answer["result"].as_str().unwrap().to_string()
    }

    /// Waits for an Announce of the activity `id` in `user`'s inbox.
    async fn announced(&self, inst: &Instance, user: &str, id: &str) -> Value {
        let token = inst.login(user).await;
        let found = inst
            .find_in_inbox(user, &token, 15, |v| {
                v["type"] == "Announce" && v["object"]["id"] == id
            })
            .await;
        found.unwrap_or_else(|| panic!("{user} received no Announce of {id}"))
    }

    async fn tickets(&self) -> u64 {
        self.w
            .a
            .total(&format!("{}/tickets", self.tracker), None)
            .await
    }
}

#[tokio::test]
async fn spec_examples_open_comment_on_resolve_and_reopen_a_ticket() {
    let f = forge(&["bob", "carol"]).await;
    let (a, b) = (&f.w.a, &f.b);
    let alice = a.register("alice").await;
    let (bob, carol) = (b.at("/people/bob"), b.at("/people/carol"));
    let carol_grant = f.grant(b, "carol", "triage").await;

    // bob on B opens a ticket with the spec's Offer.
    let spec_tracker = "https://dev.example/aviva/game-of-life";
    let swaps = [
        (spec_tracker, f.tracker.as_str()),
        ("https://forge.example/luke", &bob),
    ];
    let open = vector("Offer-Ticket--opening-issue.json", &swaps);
    let (offer_id, answer) = f.post(b, "bob", &open).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    assert_eq!(answer["object"]["id"], offer_id);
    let ticket = f.ticket(1);
    assert_eq!(answer["result"], ticket);
    let (s, doc) = a.get_ap(&ticket).await;
    assert_eq!(s, 200, "{doc}");
    let expected = json!({"type": "Ticket", "id": ticket, "context": f.tracker,
        "attributedTo": bob, "summary": "Test test test", "content": "<p>Just testing</p>",
        "mediaType": "text/html", "isResolved": false, "followers": format!("{ticket}/followers"),
        "replies": format!("{ticket}/discussion")});
    for (k, v) in expected.as_object().unwrap() {
        assert_eq!(&doc[k], v, "{k}");
    }
    assert_eq!(doc["source"]["content"], "Just testing");
    assert!(doc["published"].is_string());
    assert_eq!(f.tickets().await, 1);
    let listed = a.collection(&format!("{}/tickets", f.tracker), None).await;
    assert_eq!(listed, vec![doc.clone()]);

    // alice on A comments with the spec's Create{Note}; bob (the author, on B) is told.
    let mr = "https://dev.example/aviva/game-of-life/merge-requests/19";
    let swaps = [
        (mr, ticket.as_str()),
        ("https://dev.example/aviva/comments/E9AGE", &ticket),
        (spec_tracker, &f.tracker),
        ("https://forge.example/luke", &alice),
    ];
    let mut create = vector("Create-Note--commenting.json", &swaps);
    create["object"].as_object_mut().unwrap().remove("id");
    let create_id = f.send(a, "alice", &create).await;
    let announce = f.announced(b, "bob", &create_id).await;
    assert_eq!(announce["actor"], f.tracker);
    assert_eq!(announce["context"], ticket);
    f.announced(a, "alice", &create_id).await;
    let first = format!("{ticket}/comments/1");
    let notes = a.collection(&format!("{ticket}/discussion"), None).await;
    assert_eq!(notes.len(), 1);
    assert_eq!(
        (&notes[0]["id"], &notes[0]["attributedTo"]),
        (&json!(first), &json!(alice))
    );
    let content = notes[0]["content"].as_str().unwrap_or_default();
    assert!(content.contains("Thank you for the review"), "{content}");
    assert_eq!(a.get_ap(&first).await.1["content"], content);

    // carol on B replies; she follows the ticket; alice on A receives the Announce.
    let reply = json!({"type": "Create", "to": [f.tracker, format!("{ticket}/followers")],
        "object": {"type": "Note", "context": ticket, "inReplyTo": first, "content": "Same"}});
    let reply_id = f.send(b, "carol", &reply).await;
    f.announced(a, "alice", &reply_id).await;
    let notes = a.collection(&format!("{ticket}/discussion"), None).await;
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[1]["content"], "Same", "oldest first");
    let mut followers = a.collection(&format!("{ticket}/followers"), None).await;
    followers.sort_by_key(|v| v.to_string());
    let mut expected = vec![json!(alice), json!(bob), json!(carol)];
    expected.sort_by_key(|v| v.to_string());
    assert_eq!(followers, expected);

    // carol (triage) resolves it with the spec's Resolve, then reopens it with Undo{Resolve}.
    let deck = "https://fig.fr33domlover.site/decks/W058b";
    let spec_ticket = format!("{deck}/tickets/3bPVn");
    let swaps = [
        (spec_ticket.as_str(), ticket.as_str()),
        (deck, &f.tracker),
        ("https://grape.fr33domlover.site/people/WZpnG", &carol),
    ];
    let resolve = vector("Resolve--vocab-Resolve.json", &swaps);
    let resolve = with(resolve, json!({"capability": carol_grant}));
    let (resolve_id, answer) = f.post(b, "carol", &resolve).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let doc = a.get_ap(&ticket).await.1;
    assert_eq!(
        (&doc["isResolved"], &doc["resolvedBy"]),
        (&json!(true), &json!(carol))
    );
    assert!(doc["resolved"].is_string());
    let undo = json!({"type": "Undo", "object": resolve_id, "to": [f.tracker],
                      "capability": carol_grant});
    let (_, answer) = f.post(b, "carol", &undo).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let doc = a.get_ap(&ticket).await.1;
    assert_eq!(doc["isResolved"], false);
    assert!(doc.get("resolvedBy").is_none());
}

#[tokio::test]
async fn resolving_needs_triage() {
    let f = forge(&["bob", "dave"]).await;
    let b = &f.b;
    let ticket = f.open(b, "bob", "Crash on start").await;
    let dave_grant = f.grant(b, "dave", "report").await;
    let resolve = json!({"type": "Resolve", "object": ticket, "to": [f.tracker]});
    rejected(f.post(b, "bob", &resolve).await.1, "needs a capability");
    let resolve = with(resolve, json!({"capability": dave_grant}));
    rejected(f.post(b, "dave", &resolve).await.1, "lower than the triage");
    let stray = with(resolve, json!({"object": f.ticket(9)}));
    rejected(
        f.post(b, "dave", &stray).await.1,
        "not one of this tracker's tickets",
    );
    assert_eq!(f.w.a.get_ap(&ticket).await.1["isResolved"], false);
    let reopen = json!({"type": "Undo", "to": [f.tracker], "capability": f.admin_grant,
        "object": {"type": "Resolve", "actor": f.w.admin, "object": ticket}});
    rejected(f.post(&f.w.a, "admin", &reopen).await.1, "not resolved");
}

#[tokio::test]
async fn broken_offers_and_stray_comments_are_rejected_and_create_nothing() {
    let f = forge(&[]).await;
    let remote = FakeRemote::start();
    let (mallory, t) = (remote.actor("mallory"), f.tracker.clone());
    let ticket = json!({"type": "Ticket", "attributedTo": mallory, "summary": "Bug"});
    let (other, eve) = (f.b.at("/trackers/bugs"), remote.actor("eve"));
    let cases = json!([
        ["Ticket with an id", {"object": with(ticket.clone(), json!({"id": f.ticket(7)}))},
         "must not have an id"],
        ["context not the target", {"object": with(ticket.clone(), json!({"context": other}))},
         "is not the Offer's target"],
        ["tracker not addressed", {"to": [other]}, "does not address the tracker"],
        ["no summary", {"object": with(ticket.clone(), json!({"summary": null}))},
         "needs a summary"],
        ["another author", {"object": with(ticket.clone(), json!({"attributedTo": eve}))},
         "attributedTo"],
        ["invalid capability", {"capability": format!("{t}/activities/beef")},
         "not a Grant this resource issued"],
        ["comment on an unknown ticket", {"type": "Create",
         "object": {"type": "Note", "context": f.ticket(3), "content": "hi"}},
         "not one of this tracker's tickets"],
        ["comment without a ticket", {"type": "Create",
         "object": {"type": "Note", "content": "hi"}}, "no context"],
    ]);
    for (i, case) in cases.as_array().unwrap().iter().enumerate() {
        let (what, reason) = (&case[0], case[2].as_str().unwrap());
        let id = format!("{mallory}/activities/{i}");
        let base = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": id,
            "type": "Offer", "actor": mallory, "to": [t], "target": t, "object": ticket});
        let body = serde_json::to_vec(&with(base, case[1].clone())).unwrap();
        let sign = Sign::by("mallory");
        let (s, _) = remote.post(&format!("{t}/inbox"), &body, &sign).await;
        assert_eq!(s, 202, "{what}");
        let find = || {
            remote
                .received()
                .into_iter()
                .map(|r| r.2)
                .find(|v| v["object"]["id"] == id)
        };
        let answered = eventually(15, || async { find().is_some() }).await;
        assert!(answered, "{what}: no answer");
        rejected(find().unwrap_or_default(), reason);
    }
    assert_eq!(f.tickets().await, 0, "nothing was created");
    for path in [
        f.ticket(1),
        f.ticket(3),
        format!("{}/discussion", f.ticket(3)),
    ] {
        assert_eq!(f.w.a.get_ap(&path).await.0, 404, "{path}");
    }
    assert_eq!(
        f.w.a.get_ap(&f.w.a.at("/trackers/nope/tickets")).await.0,
        404
    );
}

#[tokio::test]
async fn a_non_public_tracker_takes_offers_and_comments_only_with_a_report_grant() {
    let f = forge(&["bob", "carol", "dave"]).await;
    let (a, b) = (&f.w.a, &f.b);
    let bob_grant = f.grant(b, "bob", "report").await;
    let carol_grant = f.grant(b, "carol", "visit").await;
    let edit = json!({"type": "Edit", "object": {"id": f.tracker, "public": false}});
    // bob may report but not administer.
    let edit_by_bob = with(edit.clone(), json!({"capability": bob_grant}));
    let token = b.login("bob").await;
    let edit_id = f.send(b, "bob", &edit_by_bob).await;
    let answer = b
        .find_in_inbox("bob", &token, 15, |v| v["object"]["id"] == edit_id)
        .await;
    rejected(answer.unwrap_or_default(), "lower than the admin");
    assert_eq!(a.get_ap(&f.tracker).await.1["public"], true);
    f.send(
        a,
        "admin",
        &with(edit, json!({"capability": f.admin_grant})),
    )
    .await;
    let private = || async { a.get_ap(&f.tracker).await.1["public"] == false };
    assert!(
        eventually(10, private).await,
        "the admin made the tracker non-public"
    );

    let open = offer(&f.tracker, "needs a Grant");
    rejected(f.post(b, "dave", &open).await.1, "needs a capability");
    let visit = with(open.clone(), json!({"capability": carol_grant}));
    rejected(f.post(b, "carol", &visit).await.1, "lower than the report");
    assert_eq!(f.tickets().await, 0);
    let report = with(open, json!({"capability": bob_grant}));
    let (_, answer) = f.post(b, "bob", &report).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let ticket = f.ticket(1);
    assert_eq!(answer["result"], ticket);

    let comment = json!({"type": "Create", "to": [f.tracker],
                         "object": {"type": "Note", "context": ticket, "content": "more"}});
    rejected(f.post(b, "dave", &comment).await.1, "needs a capability");
    let comment = with(comment, json!({"capability": bob_grant}));
    let id = f.send(b, "bob", &comment).await;
    f.announced(b, "bob", &id).await;
    assert_eq!(a.total(&format!("{ticket}/discussion"), None).await, 1);
    assert_eq!(f.tickets().await, 1);
}
