//! The door: each kind accepts its closed set of types and no other; an Undo of a Resolve is a
//! reopening for a tracker; an accepted type that does not parse is malformed.

use super::*;
use crate::runtime::accepted::{parse, Door};
use serde_json::{json, Value};

fn activity(kind: &str) -> Value {
    json!({"id": "https://remote.example/a/1", "type": kind,
        "actor": "https://remote.example/people/mallory",
        "object": "https://orchard.example/repositories/r"})
}

fn accepted<T: Accepted>(raw: &Value) -> Option<T> {
    match parse::<T>(raw) {
        Door::Accepted(t) => Some(t),
        Door::Ignored(_) | Door::Malformed(_) => None,
    }
}

#[test]
fn each_kind_accepts_its_types_only() {
    assert!(accepted::<PersonActivity>(&activity("Grant")).is_some());
    assert!(accepted::<PersonActivity>(&activity("Like")).is_none());
    assert!(accepted::<FactoryActivity>(&activity("Like")).is_none());
    assert!(matches!(
        accepted::<FactoryActivity>(&activity("Patch")),
        Some(FactoryActivity::Edit(_))
    ));
    assert!(matches!(
        accepted::<RepositoryActivity>(&activity("Patch")),
        Some(RepositoryActivity::Edit(_))
    ));
    assert!(accepted::<RepositoryActivity>(&activity("Like")).is_some());
    assert!(matches!(
        accepted::<RepositoryActivity>(&activity("Leave")),
        Some(RepositoryActivity::Leave(_))
    ));
    assert!(accepted::<TicketTrackerActivity>(&activity("Leave")).is_none());
    assert!(accepted::<ProjectActivity>(&activity("Edit")).is_none());
    assert!(accepted::<TicketTrackerActivity>(&activity("Like")).is_none());
    assert!(matches!(parse::<PersonActivity>(&activity("Note")), Door::Ignored(k) if k == "Note"));
}

#[test]
fn an_undo_of_a_resolve_reopens_a_ticket() {
    let mut undo = activity("Undo");
    undo["object"] = json!({"type": "Resolve", "object": "https://orchard.example/t/1"});
    assert!(matches!(
        accepted::<TicketTrackerActivity>(&undo),
        Some(TicketTrackerActivity::Reopen(_))
    ));
    assert!(matches!(
        accepted::<TicketTrackerActivity>(&activity("Undo")),
        Some(TicketTrackerActivity::Undo(_))
    ));
    assert!(matches!(
        accepted::<RepositoryActivity>(&undo),
        Some(RepositoryActivity::Undo(_))
    ));
}

#[test]
fn an_accepted_type_that_does_not_parse_is_malformed() {
    let broken = json!({"type": "Follow", "actor": 5});
    assert!(matches!(
        parse::<PersonActivity>(&broken),
        Door::Malformed(_)
    ));
}

#[test]
fn a_patch_tracker_takes_merge_request_activities() {
    for kind in [
        "Offer", "Apply", "Push", "Grant", "Revoke", "Resolve", "Create",
    ] {
        assert!(
            accepted::<PatchTrackerActivity>(&activity(kind)).is_some(),
            "{kind}"
        );
    }
    assert!(accepted::<PatchTrackerActivity>(&activity("Like")).is_none());
    let mut undo = activity("Undo");
    undo["object"] = json!({"type": "Resolve", "object": "https://orchard.example/p/1"});
    assert!(matches!(
        accepted::<PatchTrackerActivity>(&undo),
        Some(PatchTrackerActivity::Reopen(_))
    ));
}
