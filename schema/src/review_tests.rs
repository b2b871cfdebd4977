use super::*;
use crate::code_quote::{Anchor, DiffSide};
use serde_json::json;

fn review(v: Value) -> Review {
    serde_json::from_value(v).unwrap()
}

#[test]
fn a_review_with_a_line_thread_parses() {
    let r = review(json!({
        "type": "Review",
        "context": "https://dev.example/patch-trackers/p/merge-requests/1",
        "attachment": {"type": "Note", "content": "<p>Looks good</p>"},
        "verdict": "approve",
        "object": "https://dev.example/patch-trackers/p/merge-requests/1/versions/1",
        "reviewThreads": [{
            "type": "ReviewThread",
            "target": {"type": "CodeQuote", "cqFile": "src/main.c", "cqLine": 3,
                       "cqSide": "diffSideNew"},
            "object": {"type": "Note", "content": "<p>Why?</p>"}
        }]
    }));
    assert_eq!(r.verdict(), Ok(ReviewStatus::Approve));
    let threads = r.threads().unwrap();
    assert_eq!(threads.len(), 1);
    let side = DiffSide::New;
    assert_eq!(
        threads[0].target.anchor(),
        Ok(Anchor::Line { line: 3, side })
    );
    assert!(threads[0].object.has_type("Note"));
}

#[test]
fn verdicts_and_statuses() {
    for s in ReviewStatus::ALL {
        assert_eq!(s.as_str().parse::<ReviewStatus>(), Ok(s));
        assert_eq!(format!("forge:{s}").parse::<ReviewStatus>(), Ok(s));
        let iri = format!("https://forgefed.org/ns#{s}");
        assert_eq!(iri.parse::<ReviewStatus>(), Ok(s));
    }
    let with = |v: Value| review(json!({"type": "Review", "verdict": v})).verdict();
    assert_eq!(with(json!("revise")), Ok(ReviewStatus::Revise));
    assert!(with(json!("dismissed"))
        .unwrap_err()
        .contains("not approve"));
    assert!(with(json!("lgtm")).unwrap_err().contains("not approve"));
    assert!(review(json!({"type": "Review"})).verdict().is_err());
}

#[test]
fn malformed_threads_are_refused_with_their_reason() {
    let quote = json!({"type": "CodeQuote", "cqFile": "a"});
    let note = json!({"type": "Note", "content": "x"});
    let cases = [
        (
            json!({"type": "Note", "target": quote, "object": note}),
            "of type ReviewThread",
        ),
        (json!({"type": "ReviewThread", "object": note}), "no target"),
        (
            json!({"type": "ReviewThread", "target": quote}),
            "no object",
        ),
        (
            json!({"type": "ReviewThread", "target": {"type": "CodeQuote", "cqLine": "x"},
                   "object": note}),
            "malformed CodeQuote",
        ),
    ];
    for (thread, reason) in cases {
        let r = review(json!({"type": "Review", "reviewThreads": [thread]}));
        let why = r.threads().unwrap_err();
        assert!(why.contains(reason), "{why:?} should say {reason:?}");
        assert!(why.starts_with("reviewThreads[0]"), "{why}");
    }
}
