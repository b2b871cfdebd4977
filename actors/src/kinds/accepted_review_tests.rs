//! The PatchTracker's door: activities about a review (by the type of the offered object, or
//! the shape of the IRI they name) take the review variants; the rest the tracker's own.

use super::*;
use crate::runtime::accepted::{parse, Door};
use serde_json::{json, Value};

const MR: &str = "https://orchard.example/patch-trackers/p/merge-requests/1";

fn door(kind: &str, object: Value) -> Option<PatchTrackerActivity> {
    let raw = json!({"id": "https://remote.example/a/1", "type": kind,
        "actor": "https://remote.example/people/mallory", "object": object});
    match parse::<PatchTrackerActivity>(&raw) {
        Door::Accepted(t) => Some(t),
        Door::Ignored(_) | Door::Malformed(_) => None,
    }
}

#[test]
fn review_activities_take_the_review_variants() {
    use PatchTrackerActivity as P;
    let thread = format!("{MR}/reviews/1/threads/2");
    let review = door("Offer", json!({"type": "Review", "context": MR}));
    assert!(matches!(review, Some(P::Review(_))));
    let ticket = door("Offer", json!({"type": "Ticket", "summary": "x"}));
    assert!(matches!(ticket, Some(P::Offer(_))));
    let reply = door(
        "Create",
        json!({"type": "Note", "context": thread, "content": "x"}),
    );
    assert!(matches!(reply, Some(P::ReviewComment(_))));
    let comment = door(
        "Create",
        json!({"type": "Note", "context": MR, "content": "x"}),
    );
    assert!(matches!(comment, Some(P::Create(_))));
    assert!(matches!(
        door("Resolve", json!(thread)),
        Some(P::ResolveThread(_))
    ));
    assert!(matches!(door("Resolve", json!(MR)), Some(P::Resolve(_))));
    let unresolve = door("Undo", json!({"type": "Resolve", "object": thread}));
    assert!(matches!(unresolve, Some(P::UnresolveThread(_))));
    let reopen = door("Undo", json!({"type": "Resolve", "object": MR}));
    assert!(matches!(reopen, Some(P::Reopen(_))));
    let dismiss = door("Undo", json!(format!("{MR}/approvals/3")));
    assert!(matches!(dismiss, Some(P::Dismiss(_))));
    let unfollow = door("Undo", json!("https://remote.example/follows/1"));
    assert!(matches!(unfollow, Some(P::Undo(_))));
}
