//! Every rule of the review flows broken once: each is a Reject saying why, and nothing
//! changes (no review, no Approval, no comment, the thread's state as it was).

use crate::forge::{forge, rejected, with, Forge};
use crate::review_offer;
use serde_json::{json, Value};

fn line(file: &str) -> Value {
    json!({"type": "CodeQuote", "cqFile": file, "cqLine": 2, "cqSide": "diffSideNew"})
}

/// `offer` with its Review's keys of `extra` set.
fn review_with(offer: &Value, extra: Value) -> Value {
    with(
        offer.clone(),
        json!({"object": with(offer["object"].clone(), extra)}),
    )
}

/// Offers breaking who may review: a binding review needs `write`.
fn unauthorized(f: &Forge, mr: &str, erin: &str) -> Vec<Case> {
    let binding = review_with(
        &review_offer(f, mr, line("src/main.c")),
        json!({"reviewIsBinding": true}),
    );
    vec![
        ("carol", binding.clone(), "needs a capability"),
        (
            "erin",
            with(binding, json!({"capability": erin})),
            "lower than the write",
        ),
    ]
}

type Case = (&'static str, Value, &'static str);

/// Offers of reviews whose CodeQuote is malformed or quotes what the diff lacks.
fn bad_quotes(f: &Forge, mr: &str) -> Vec<Case> {
    let quote = |extra: Value| review_offer(f, mr, with(line("src/main.c"), extra));
    let thread = |quote: Value| {
        json!([{"type": "ReviewThread", "target": quote,
        "object": {"type": "Note", "content": "x"}}])
    };
    let not_a_quote = json!({"reviewThreads": thread(json!({"type": "Note"}))});
    [
        (
            review_offer(f, mr, line("README.md")),
            "is not a file this version",
        ),
        (
            quote(json!({"cqLine": 9})),
            "is in no hunk of this version's diff",
        ),
        (quote(json!({"cqLine": "2"})), "malformed CodeQuote"),
        (quote(json!({"cqSide": null})), "go together"),
        (
            quote(json!({"cqFile": "../etc/passwd"})),
            "relative to the repository",
        ),
        (
            review_with(&quote(json!({})), not_a_quote),
            "of type CodeQuote",
        ),
    ]
    .into_iter()
    .map(|(offer, why)| ("carol", offer, why))
    .collect()
}

/// Offers of malformed reviews, or of reviews of what is not this merge request's latest version.
fn bad_reviews(f: &Forge, mr: &str, other: &str) -> Vec<Case> {
    let ok = review_offer(f, mr, line("src/main.c"));
    let review = |extra: Value| review_with(&ok, extra);
    let eve = f.b.at("/people/eve");
    let elsewhere = format!("{}/merge-requests/9", f.tracker);
    let summary = json!({"type": "Note", "content": "x", "attributedTo": eve});
    [
        (
            json!({"object": format!("{other}/versions/1")}),
            "is not the latest version",
        ),
        (
            json!({"context": elsewhere}),
            "is not one of this tracker's merge requests",
        ),
        (json!({"verdict": "lgtm"}), "not approve, remark or revise"),
        (
            json!({"id": format!("{mr}/reviews/5")}),
            "must not have an id",
        ),
        (json!({"attachment": summary}), "is not the sender"),
    ]
    .into_iter()
    .map(|(extra, why)| ("carol", review(extra), why))
    .collect()
}

#[tokio::test]
async fn broken_reviews_are_rejected_and_store_nothing() {
    let f = forge().await;
    let erin = f.grant("erin", "report").await;
    let mr = f.open("Shorter delay").await;
    let other = f.open("Another").await;
    let mut cases = unauthorized(&f, &mr, &erin);
    cases.extend(bad_quotes(&f, &mr));
    cases.extend(bad_reviews(&f, &mr, &other));
    for (user, offer, reason) in cases {
        rejected(f.post(user, &offer).await.1, reason);
    }
    for collection in ["reviews", "approvals"] {
        assert_eq!(
            f.w.a.total(&format!("{mr}/{collection}"), None).await,
            0,
            "{collection}"
        );
    }
    threads_refuse_what_breaks_their_rules(&f, &mr, &other, &erin).await;
}

/// With one thread on `mr`: resolving without `write`, a thread of another merge request,
/// replies out of the thread, dismissing without `write`, unresolving an open thread.
async fn threads_refuse_what_breaks_their_rules(f: &Forge, mr: &str, other: &str, erin: &str) {
    let dave = f.grant("dave", "write").await;
    let (_, answer) = f
        .post("carol", &review_offer(f, mr, line("src/main.c")))
        .await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let (t, thread) = (&f.tracker, format!("{mr}/reviews/1/threads/1"));
    let stray = format!("{other}/reviews/1/threads/1");
    let resolve = json!({"type": "Resolve", "object": thread, "to": [t]});
    let comment = |ctx: &str, reply_to: &str| {
        json!({"type": "Create", "to": [t], "object":
        {"type": "Note", "context": ctx, "inReplyTo": reply_to, "content": "<p>Hi</p>"}})
    };
    let approval = format!("{mr}/approvals/1");
    let cases = [
        ("carol", resolve.clone(), "needs a capability"),
        (
            "erin",
            with(resolve.clone(), json!({"capability": erin})),
            "lower than the write",
        ),
        (
            "dave",
            json!({"type": "Resolve", "object": stray, "to": [t], "capability": dave}),
            "is not a review thread of this tracker",
        ),
        (
            "bob",
            comment(&stray, &stray),
            "is not a review thread of this tracker",
        ),
        (
            "bob",
            comment(&thread, &format!("{mr}/comments/1")),
            "neither the thread nor a comment",
        ),
        (
            "carol",
            json!({"type": "Undo", "object": approval, "to": [t]}),
            "needs a capability",
        ),
        (
            "dave",
            json!({"type": "Undo", "to": [t], "capability": dave, "object":
            {"type": "Resolve", "actor": f.b.at("/people/dave"), "object": thread}}),
            "is not resolved",
        ),
    ];
    for (user, activity, reason) in cases {
        rejected(f.post(user, &activity).await.1, reason);
    }
    let doc = f.doc(&thread).await;
    assert_eq!(doc["isResolved"], false);
    assert_eq!(f.w.a.total(&format!("{thread}/replies"), None).await, 1);
    assert_eq!(f.doc(&approval).await["approvalStatus"], "remark");
    assert_eq!(f.w.a.total(&format!("{other}/reviews"), None).await, 0);
}
