//! Every IRI a PatchTracker, its merge requests and their reviews publish resolves, with the
//! right media type. alice's repository is linked to her PatchTracker; bob opens a merge request
//! from her branch `fix` into `main` (fetched as version 1) and comments on it; carol reviews it
//! with a thread on a line of the diff and a reply; alice approves. The instance is walked as
//! in `iri_walk` (from the tracker, the merge request and the instance actor, anonymously and as
//! each person): every IRI of this origin found must answer 200 (or what `walker::check`
//! allows), the merge request's documents as `application/activity+json`, the Orchard context
//! as `application/ld+json`, the compare route (`mrDiff`) as `application/json`.

mod common;
#[allow(dead_code)]
#[path = "merge_requests/forge.rs"]
mod forge;
#[path = "iri_walk/walker.rs"]
mod walker;

use forge::{branch, linked, person, post, result, send, site};
use serde_json::json;
use url::Url;

/// The MR kinds the walks together must meet.
const KINDS: [&str; 14] = [
    "merge requests",
    "merge request",
    "mr discussion",
    "mr followers",
    "mr comment",
    "mr version",
    "mr reviews",
    "mr review",
    "mr thread",
    "mr thread replies",
    "mr thread comment",
    "mr approvals",
    "mr approval",
    "compare",
];

/// carol's remark on line 1 of `fix.txt` (a Review with a thread); answers the Review.
async fn review(a: &common::Instance, tracker: &str, mr: &str) -> String {
    let carol = a.at("/people/carol");
    let quote = json!({"type": "CodeQuote", "cqFile": "fix.txt", "cqLine": 1,
        "cqSide": "diffSideNew"});
    let thread = json!({"type": "ReviewThread", "target": quote,
        "object": {"type": "Note", "attributedTo": carol, "content": "<p>Typo</p>"}});
    let review = json!({"type": "Review", "context": mr, "verdict": "remark",
        "object": format!("{mr}/versions/1"), "reviewThreads": [thread]});
    let offer = json!({"type": "Offer", "to": [tracker], "target": tracker, "object": review});
    result(&post(a, "carol", tracker, &offer).await.1)
}

/// The instance with alice's linked repository and tracker, `fix` pushed, bob's merge request
/// from it with his comment, carol's review and alice's approval; answers the instance, the
/// tracker, the merge request and carol's review.
async fn busy() -> (common::Instance, String, String, String) {
    let (a, factory) = site("a").await;
    let (_, alice_on_factory) = person(&a, &factory, "alice").await;
    person(&a, &factory, "bob").await;
    person(&a, &factory, "carol").await;
    let tmp = tempfile::tempdir().unwrap();
    let alices = (factory.as_str(), alice_on_factory.as_str());
    let l = linked(&a, alices, tmp.path(), Some("fix")).await;
    let (repo, tracker) = (l.repo.clone(), l.tracker.clone());
    let offer = json!({"type": "Offer", "to": [tracker], "target": tracker,
        "object": {"type": "Ticket", "summary": "Fix", "attachment": {"type": "Offer",
            "origin": branch(&repo, "fix"), "target": branch(&repo, "main")}}});
    let mr = result(&post(&a, "bob", &tracker, &offer).await.1);
    let note = json!({"type": "Create", "to": [tracker],
        "object": {"type": "Note", "context": mr, "content": "Please look"}});
    send(&a, "bob", &note).await;
    let commented = common::eventually(20, || async {
        a.total(&format!("{mr}/discussion"), None).await == 1
    });
    assert!(commented.await, "bob's comment is in the discussion");
    let carols = review(&a, &tracker, &mr).await;
    let approve = json!({"type": "Offer", "to": [tracker], "target": tracker,
        "capability": l.on_tracker, "object": {"type": "Review", "context": mr,
        "verdict": "approve", "reviewIsBinding": true, "object": format!("{mr}/versions/1")}});
    let approved = post(&a, "alice", &tracker, &approve).await.1;
    assert_eq!(approved["type"], "Accept", "{approved}");
    (a, tracker, mr, carols)
}

#[tokio::test]
async fn every_iri_of_a_patch_tracker_its_merge_requests_and_reviews_resolves() {
    let (a, tracker, mr, carols) = busy().await;

    let origin = Url::parse(&a.at("/")).unwrap();
    let seeds = vec![a.at("/actor"), tracker.clone(), mr.clone()];
    let mut tokens = Vec::new();
    for who in ["alice", "bob", "carol"] {
        tokens.push(a.login(who).await);
    }
    let mut kinds = std::collections::BTreeMap::new();
    let anonymous = walker::walk(&origin, &seeds, None).await;
    walker::check(&anonymous, "anonymous", &tokens).await;
    for (who, token) in ["alice", "bob", "carol"].into_iter().zip(&tokens) {
        let walked = walker::walk(&origin, &seeds, Some(token)).await;
        for (kind, n) in walker::check(&walked, who, &tokens).await {
            *kinds.entry(kind).or_insert(0) += n;
        }
    }
    for kind in KINDS {
        assert!(
            kinds.contains_key(kind),
            "no {kind} IRI was walked: {kinds:?}"
        );
    }
    for iri in [
        format!("{tracker}/merge-requests"),
        format!("{mr}/versions/1"),
        format!("{mr}/comments/1"),
        carols.clone(),
        format!("{carols}/threads/1"),
    ] {
        assert_eq!(anonymous.status.get(&iri), Some(&200), "{iri} is walked");
    }
    media_types(&anonymous);
}

/// Each document walked answered the media type of its kind.
fn media_types(walked: &walker::Walked) {
    for (iri, media) in &walked.media {
        if walked.status[iri] != 200 {
            continue;
        }
        let want = match walker::kind_of(iri) {
            "orchard context" => "application/ld+json",
            "compare" => "application/json",
            "push log" | "nodeinfo" | "nodeinfo links" | "webfinger" => continue,
            _ => "application/activity+json",
        };
        assert_eq!(media, want, "GET {iri}");
    }
}
