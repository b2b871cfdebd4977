//! Tickets over real HTTP: A hosts a TicketTracker made through its Factory; people on B (C2S
//! through their outbox) and a fake remote server (signed S2S) open, comment on, resolve and
//! reopen tickets, driven by the ForgeFed spec examples; every broken rule is a Reject that
//! creates nothing; a non-public tracker needs a `report` Grant.

#[path = "../common/mod.rs"]
mod common;
mod forge;

use common::activities::answered_remotely;
use common::eventually;
use common::remote::FakeRemote;
use forge::{forge, offer, rejected, vector, with, Forge};
use serde_json::json;

/// The spec's tracker IRI, swapped for ours in the vectors.
const SPEC_TRACKER: &str = "https://dev.example/aviva/game-of-life";

#[tokio::test]
async fn spec_examples_open_comment_on_resolve_and_reopen_a_ticket() {
    let f = forge(&["bob", "carol"]).await;
    let alice = f.w.a.register("alice").await;
    let carol_grant = f.grant(&f.b, "carol", "triage").await;
    let ticket = bob_opens_with_the_spec_offer(&f).await;
    let first = alice_comments_with_the_spec_note(&f, &alice, &ticket).await;
    carol_replies_and_follows(&f, &alice, &ticket, &first).await;
    carol_resolves_and_reopens(&f, &carol_grant, &ticket).await;
}

/// bob on B opens a ticket with the spec's Offer; answers the ticket's IRI.
async fn bob_opens_with_the_spec_offer(f: &Forge) -> String {
    let (a, b) = (&f.w.a, &f.b);
    let bob = b.at("/people/bob");
    let swaps = [
        (SPEC_TRACKER, f.tracker.as_str()),
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
    ticket
}

/// alice on A comments with the spec's Create{Note}; bob (the author, on B) is told. Answers
/// the comment's IRI.
async fn alice_comments_with_the_spec_note(f: &Forge, alice: &str, ticket: &str) -> String {
    let (a, b) = (&f.w.a, &f.b);
    let mr = "https://dev.example/aviva/game-of-life/merge-requests/19";
    let swaps = [
        (mr, ticket),
        ("https://dev.example/aviva/comments/E9AGE", ticket),
        (SPEC_TRACKER, &f.tracker),
        ("https://forge.example/luke", alice),
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
    first
}

/// carol on B replies to `first`; she follows the ticket; alice on A receives the Announce.
async fn carol_replies_and_follows(f: &Forge, alice: &str, ticket: &str, first: &str) {
    let (a, b) = (&f.w.a, &f.b);
    let (bob, carol) = (b.at("/people/bob"), b.at("/people/carol"));
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
}

/// carol (triage) resolves the ticket with the spec's Resolve, then reopens it with
/// Undo{Resolve}.
async fn carol_resolves_and_reopens(f: &Forge, carol_grant: &str, ticket: &str) {
    let (a, b) = (&f.w.a, &f.b);
    let carol = b.at("/people/carol");
    let deck = "https://fig.fr33domlover.site/decks/W058b";
    let spec_ticket = format!("{deck}/tickets/3bPVn");
    let swaps = [
        (spec_ticket.as_str(), ticket),
        (deck, &f.tracker),
        ("https://grape.fr33domlover.site/people/WZpnG", &carol),
    ];
    let resolve = vector("Resolve--vocab-Resolve.json", &swaps);
    let resolve = with(resolve, json!({"capability": carol_grant}));
    let (resolve_id, answer) = f.post(b, "carol", &resolve).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let doc = a.get_ap(ticket).await.1;
    assert_eq!(
        (&doc["isResolved"], &doc["resolvedBy"]),
        (&json!(true), &json!(carol))
    );
    assert!(doc["resolved"].is_string());
    let undo = json!({"type": "Undo", "object": resolve_id, "to": [f.tracker],
                      "capability": carol_grant});
    let (_, answer) = f.post(b, "carol", &undo).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let doc = a.get_ap(ticket).await.1;
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
        let answer = answered_remotely(&remote, "mallory", &t, &with(base, case[1].clone())).await;
        assert_eq!(answer["type"], "Reject", "{what}");
        rejected(answer, reason);
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
