//! The review handlers (`activities::merge_requests::review*`) on a `TestActor` PatchTracker
//! holding merge request 1 (one version, one git patch): a re-run of the same Offer or Create
//! (after a crash) publishes and stores nothing twice; a second review by the same person
//! updates their one Approval.

use crate::activities::merge_requests::{review, review_comment};
use crate::base::kind::ActorKind;
use crate::data::merge_requests::{self as mrs, BranchRef, MergeRequest, Version};
use crate::data::reviews;
use crate::data::tickets::{self, TicketRecord};
use crate::testing::TestActor;
use crate::urls::ThreadId;
use schema::ReviewStatus;
use serde_json::{json, Value};

const CAROL: &str = "https://b.example/people/carol";
const PATCH: &str = "diff --git a/src/main.c b/src/main.c\n--- a/src/main.c\n+++ b/src/main.c\n\
                     @@ -1,2 +1,2 @@\n int x;\n-int y;\n+int z;\n";

/// A PatchTracker with merge request 1.
fn tracker() -> TestActor {
    let t = TestActor::new(ActorKind::PatchTracker, "pt");
    let bob = url::Url::parse("https://b.example/people/bob").unwrap();
    let ticket = TicketRecord {
        number: 1,
        author: bob.to_string(),
        summary: "x".into(),
        content: None,
        media_type: None,
        source: None,
        published: "2026-12-03T06:00:00Z".into(),
        offer: "https://b.example/offers/1".into(),
        resolution: None,
    };
    tickets::create(&t.core, &ticket, &bob).unwrap();
    let version = Version {
        v: 1,
        commit: None,
        patches: vec![json!({"type": "Patch", "content": PATCH})],
        at: "2026-12-03T06:00:00Z".into(),
    };
    let target = BranchRef {
        repo: "http://orchard.test/repos/code".into(),
        branch: Some("main".into()),
    };
    let mr = MergeRequest {
        number: 1,
        origin: None,
        target,
        wip: false,
        versions: vec![version],
        merged: None,
        refused: None,
    };
    mrs::save(&t.core, &mr).unwrap();
    t
}

fn offer(t: &TestActor, id: &str, verdict: &str) -> Value {
    let mr = format!("{}/merge-requests/1", t.iri());
    json!({"id": id, "type": "Offer", "actor": CAROL, "to": [t.iri()], "target": t.iri(),
        "object": {"type": "Review", "context": mr, "verdict": verdict,
            "object": format!("{mr}/versions/1"),
            "reviewThreads": [{"type": "ReviewThread",
                "target": {"type": "CodeQuote", "cqFile": "src/main.c", "cqLine": 2,
                           "cqSide": "diffSideOld"},
                "object": {"type": "Note", "content": "<p>y?</p>"}}]}})
}

#[test]
fn a_replayed_offer_or_reply_changes_nothing_and_a_new_review_updates_the_approval() {
    let mut t = tracker();
    let first = offer(&t, "https://b.example/offers/r1", "revise");
    t.receive(first.clone(), review::received).unwrap();
    t.receive(first, review::received).unwrap();
    assert_eq!(t.published_types(), ["Accept"]);
    assert_eq!(reviews::reviews(&t.core, 1).unwrap().len(), 1);
    let id = ThreadId { n: 1, r: 1, t: 1 };
    let quote = reviews::thread(&t.core, id).unwrap().unwrap().quote;
    assert_eq!(
        quote["cqHunk"],
        "@@ -1,2 +1,2 @@\n int x;\n-int y;\n+int z;"
    );
    let thread = format!("{}/merge-requests/1/reviews/1/threads/1", t.iri());
    let reply = json!({"id": "https://b.example/creates/1", "type": "Create", "actor": CAROL,
        "to": [t.iri()], "object": {"type": "Note", "context": thread, "content": "more"}});
    t.receive(reply.clone(), review_comment::received).unwrap();
    t.receive(reply, review_comment::received).unwrap();
    assert_eq!(reviews::comments(&t.core, id).unwrap().len(), 2);
    assert_eq!(t.published_types(), ["Accept", "Announce"]);
    let second = offer(&t, "https://b.example/offers/r2", "approve");
    t.receive(second, review::received).unwrap();
    let approvals = reviews::approvals(&t.core, 1).unwrap();
    assert_eq!(approvals.len(), 1, "one Approval per person");
    assert_eq!(approvals[0].status, ReviewStatus::Approve);
    let latest = format!("{}/merge-requests/1/reviews/2", t.iri());
    assert_eq!(approvals[0].review, latest);
    assert_eq!(t.published()[2]["result"], latest);
}

#[test]
fn a_remark_after_an_approval_keeps_the_approval() {
    let mut t = tracker();
    t.receive(
        offer(&t, "https://b.example/offers/a", "approve"),
        review::received,
    )
    .unwrap();
    t.receive(
        offer(&t, "https://b.example/offers/b", "remark"),
        review::received,
    )
    .unwrap();
    assert_eq!(reviews::reviews(&t.core, 1).unwrap().len(), 2);
    let approvals = reviews::approvals(&t.core, 1).unwrap();
    assert_eq!(
        approvals[0].status,
        ReviewStatus::Approve,
        "a comment approves no less"
    );
    let approving = format!("{}/merge-requests/1/reviews/1", t.iri());
    assert_eq!(approvals[0].review, approving);
    t.receive(
        offer(&t, "https://b.example/offers/c", "revise"),
        review::received,
    )
    .unwrap();
    let approvals = reviews::approvals(&t.core, 1).unwrap();
    assert_eq!(approvals[0].status, ReviewStatus::Revise);
}
