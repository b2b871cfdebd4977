//! Reviews of merge requests over real HTTP, two instances: A hosts a Repository and the
//! PatchTracker linked to it; people on B (C2S through their outbox) open a merge request of a
//! git patch, approve it, request changes (a binding review), comment on a line of the diff,
//! reply in the thread, resolve and unresolve it and dismiss a review, driven by the vectors of
//! `tests/reviews/vectors` and the spec's comment example; every broken rule is a Reject that
//! changes nothing.

#[path = "../common/mod.rs"]
mod common;
mod forge;
mod refusals;

use forge::{forge, vector, with, Forge, HUNK, SPEC_MR, SPEC_TRACKER};
use serde_json::{json, Value};

#[tokio::test]
async fn approve_request_changes_comment_reply_resolve_and_dismiss() {
    let f = forge().await;
    let dave_grant = f.grant("dave", "write").await;
    let mr = f.open("Shorter delay").await;
    let (thread, top) = carol_approves_with_a_line_comment(&f, &mr).await;
    dave_requests_changes(&f, &mr, &dave_grant).await;
    bob_replies_with_the_spec_note(&f, &mr, &thread, &top).await;
    dave_resolves_and_unresolves(&f, &dave_grant, &thread).await;
    dave_dismisses_carols_review(&f, &mr, &dave_grant).await;
}

/// carol (no Grant: the tracker is public) approves with a summary and a comment on line 2 of
/// src/main.c's new side. Answers the thread's IRI and its top comment's.
async fn carol_approves_with_a_line_comment(f: &Forge, mr: &str) -> (String, String) {
    let carol = f.b.at("/people/carol");
    let swaps = [
        (SPEC_MR, mr),
        (SPEC_TRACKER, &f.tracker),
        ("https://forge.example/luke", &carol),
    ];
    let offer = vector("Offer-Review--s2s-mr-review.json", &swaps);
    let (offer_id, answer) = f.post("carol", &offer).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    assert_eq!(answer["object"]["id"], offer_id);
    let review = format!("{mr}/reviews/1");
    assert_eq!(answer["result"], review);
    let doc = f.doc(&review).await;
    let expected = json!({"id": review, "type": "Review", "context": mr, "attributedTo": carol,
        "verdict": "approve", "reviewIsBinding": false, "object": format!("{mr}/versions/1")});
    for (k, v) in expected.as_object().unwrap() {
        assert_eq!(&doc[k], v, "{k}");
    }
    assert_eq!(
        doc["attachment"]["source"]["content"],
        "Looks good to me, one question inline"
    );
    let thread = format!("{review}/threads/1");
    let top = format!("{thread}/comments/1");
    let embedded = &doc["reviewThreads"][0];
    assert_eq!(
        (&embedded["id"], &embedded["object"]),
        (&json!(thread), &json!(top))
    );
    let quote = json!({"type": "CodeQuote", "cqFile": "src/main.c", "cqLine": 2,
                       "cqSide": "diffSideNew"});
    let mut served = f.doc(&thread).await;
    let hunk = served["target"].as_object_mut().unwrap().remove("cqHunk");
    assert_eq!(
        hunk,
        Some(json!(HUNK)),
        "the tracker quotes the hunk of the line"
    );
    assert_eq!(
        (&served["target"], &served["isResolved"]),
        (&quote, &json!(false))
    );
    assert_eq!(served["context"], review);
    let note = f.doc(&top).await;
    assert_eq!(
        (&note["attributedTo"], &note["context"]),
        (&json!(carol), &json!(thread))
    );
    assert_eq!(note["content"], "<p>Why is the delay 30 ms?</p>");
    carols_approval_is_listed(f, mr, &review).await;
    (thread, top)
}

/// carol's Approval is the merge request's only one; its document links its approvals.
async fn carols_approval_is_listed(f: &Forge, mr: &str, review: &str) {
    let carol = f.b.at("/people/carol");
    let approvals = f.items(&format!("{mr}/approvals")).await;
    assert_eq!(approvals.len(), 1);
    let a = &approvals[0];
    assert_eq!(
        (&a["type"], &a["attributedTo"]),
        (&json!("Approval"), &json!(carol))
    );
    assert_eq!(
        (&a["approvalStatus"], &a["attachment"]),
        (&json!("approve"), &json!(review))
    );
    let mr_doc = f.doc(mr).await;
    assert_eq!(
        mr_doc["attachment"]["individualApprovals"],
        format!("{mr}/approvals")
    );
    assert_eq!(mr_doc["reviews"], format!("{mr}/reviews"));
}

/// dave (write) requests changes with a binding review commenting on a range of lines.
async fn dave_requests_changes(f: &Forge, mr: &str, grant: &str) {
    let t = &f.tracker;
    let range = json!({"type": "CodeQuote", "cqFile": "src/main.c", "cqStart": 1,
        "cqStartSide": "diffSideOld", "cqEnd": 3, "cqEndSide": "diffSideOld"});
    let offer = json!({"type": "Offer", "to": [t], "target": t, "capability": grant,
        "object": {"type": "Review", "context": mr, "verdict": "revise", "reviewIsBinding": true,
            "object": format!("{mr}/versions/1"),
            "reviewThreads": [{"type": "ReviewThread", "target": range,
                "object": {"type": "Note", "content": "<p>Keep 60 here</p>"}}]}});
    let (_, answer) = f.post("dave", &offer).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    assert_eq!(answer["result"], format!("{mr}/reviews/2"));
    let thread = f.doc(&format!("{mr}/reviews/2/threads/1")).await;
    assert_eq!(thread["target"], with(range, json!({"cqHunk": HUNK})));
    let approvals = f.items(&format!("{mr}/approvals")).await;
    assert_eq!(approvals.len(), 2);
    let (newest, oldest) = (&approvals[0], &approvals[1]);
    assert_eq!(newest["attributedTo"], f.b.at("/people/dave"));
    assert_eq!(
        (&newest["approvalStatus"], &newest["reviewIsBinding"]),
        (&json!("revise"), &json!(true))
    );
    assert_eq!(oldest["approvalStatus"], "approve");
    assert_eq!(f.w.a.total(&format!("{mr}/reviews"), None).await, 2);
}

/// bob (the author) replies to carol's comment with the spec's comment example; carol, who
/// follows the merge request since her review, is told.
async fn bob_replies_with_the_spec_note(f: &Forge, mr: &str, thread: &str, top: &str) {
    let bob = f.b.at("/people/bob");
    let spec_mr = "https://dev.example/aviva/game-of-life/merge-requests/19";
    let swaps = [
        (spec_mr, thread),
        ("https://dev.example/aviva/comments/E9AGE", top),
        ("https://dev.example/aviva/game-of-life", &f.tracker),
        ("https://forge.example/luke", &bob),
    ];
    let mut create = vector("spec/Create-Note--commenting.json", &swaps);
    let to = json!([f.tracker, format!("{mr}/followers")]);
    create["to"] = to.clone();
    let note = create["object"].as_object_mut().unwrap();
    note.remove("id");
    note.insert("to".into(), to);
    let create_id = f.send("bob", &create).await;
    let token = f.b.login("carol").await;
    let announce =
        f.b.find_in_inbox("carol", &token, 15, |v| {
            v["type"] == "Announce" && v["object"]["id"] == create_id
        })
        .await
        .expect("carol is told of the reply");
    assert_eq!(
        (&announce["actor"], &announce["context"]),
        (&json!(f.tracker), &json!(thread))
    );
    let notes = f.items(&format!("{thread}/replies")).await;
    assert_eq!(notes.len(), 2, "the top comment and the reply");
    let reply = &notes[1];
    assert_eq!(
        (&reply["id"], &reply["attributedTo"]),
        (&json!(format!("{thread}/comments/2")), &json!(bob))
    );
    assert_eq!(reply["inReplyTo"], top);
    let content = reply["content"].as_str().unwrap_or_default();
    assert!(content.contains("Thank you for the review"), "{content}");
}

/// dave resolves the thread with the Resolve vector, then unresolves it with the Undo vector.
async fn dave_resolves_and_unresolves(f: &Forge, grant: &str, thread: &str) {
    let dave = f.b.at("/people/dave");
    let swaps = [
        (
            "https://dev.example/projects/game-of-life/pr-tracker/outbox/GrAnT",
            grant,
        ),
        (SPEC_MR, thread.split("/reviews/").next().unwrap()),
        (SPEC_TRACKER, &f.tracker),
        ("https://forge.example/aviva", &dave),
    ];
    let resolve = vector("Resolve-ReviewThread--s2s-mr-review-resolve.json", &swaps);
    assert_eq!(resolve["object"], thread);
    let (_, answer) = f.post("dave", &resolve).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    assert_eq!(answer["context"], thread);
    let doc = f.doc(thread).await;
    assert_eq!(
        (&doc["isResolved"], &doc["resolvedBy"]),
        (&json!(true), &json!(dave))
    );
    assert!(doc["resolved"].is_string());
    let undo = vector("Undo-Resolve--s2s-mr-review-unresolve.json", &swaps);
    let (_, answer) = f.post("dave", &undo).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let doc = f.doc(thread).await;
    assert_eq!(doc["isResolved"], false);
    assert!(doc.get("resolvedBy").is_none(), "{doc}");
}

/// dave dismisses carol's approval (Approval 1) with the Undo vector.
async fn dave_dismisses_carols_review(f: &Forge, mr: &str, grant: &str) {
    let swaps = [
        (
            "https://dev.example/projects/game-of-life/pr-tracker/outbox/GrAnT",
            grant,
        ),
        (SPEC_MR, mr),
        (SPEC_TRACKER, &f.tracker),
        ("https://forge.example/aviva", &f.b.at("/people/dave")),
    ];
    let undo = vector("Undo-Approval--s2s-mr-review-dismiss.json", &swaps);
    let approval = format!("{mr}/approvals/1");
    assert_eq!(undo["object"], approval);
    let (_, answer) = f.post("dave", &undo).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let doc = f.doc(&approval).await;
    assert_eq!(
        (&doc["approvalStatus"], &doc["attributedTo"]),
        (&json!("dismissed"), &json!(f.b.at("/people/carol")))
    );
    assert!(doc.get("@context").is_some(), "{doc}");
}

/// A review of `mr`'s version 1 with one thread quoting `quote`.
pub fn review_offer(f: &Forge, mr: &str, quote: Value) -> Value {
    let t = &f.tracker;
    json!({"type": "Offer", "to": [t], "target": t, "object": {"type": "Review",
        "context": mr, "verdict": "remark", "object": format!("{mr}/versions/1"),
        "reviewThreads": [{"type": "ReviewThread", "target": quote,
                           "object": {"type": "Note", "content": "<p>Hmm</p>"}}]}})
}
