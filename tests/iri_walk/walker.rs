//! The walker of `iri_walk`: dereferences every IRI of an origin reachable from seeds, and
//! judges the answers.

use crate::common::client;
use actors::urls::{captures, routes};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use url::Url;

/// Upper bound on the IRIs one walk dereferences (the instance is small: a runaway walk fails).
const MAX_IRIS: usize = 3000;

/// Every string in `doc` (at any depth) that is an http(s) IRI of `origin`.
fn local_iris(doc: &Value, origin: &Url, out: &mut Vec<String>) {
    match doc {
        Value::String(s) => {
            if let Ok(u) = Url::parse(s) {
                // A namespace (`{origin}/ns#`, in a JSON-LD context) names no object.
                if u.origin() == origin.origin() && u.fragment() != Some("") {
                    out.push(s.clone());
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| local_iris(v, origin, out)),
        Value::Object(map) => map.values().for_each(|v| local_iris(v, origin, out)),
        _ => {}
    }
}

/// Whether `doc` holds, at any depth, an object whose `id` is `iri`.
fn names(doc: &Value, iri: &str) -> bool {
    match doc {
        Value::Array(items) => items.iter().any(|v| names(v, iri)),
        Value::Object(map) => {
            map.get("id") == Some(&json!(iri)) || map.values().any(|v| names(v, iri))
        }
        _ => false,
    }
}

pub async fn get(url: &str, token: Option<&str>) -> (u16, Value) {
    let (status, _, body) = get_typed(url, token).await;
    (status, body)
}

/// `get`, with the answer's media type (its `Content-Type` without parameters).
pub async fn get_typed(url: &str, token: Option<&str>) -> (u16, String, Value) {
    let mut req = client()
        .get(url)
        .header("Accept", "application/activity+json");
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("GET");
    let status = res.status().as_u16();
    let media = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .trim()
        .to_string();
    (status, media, res.json().await.unwrap_or(Value::Null))
}

/// What one walk saw: the status of every IRI, and the fragment IRIs (with their documents').
#[derive(Default)]
pub struct Walked {
    pub status: BTreeMap<String, u16>,
    pub fragments: BTreeSet<String>,
    /// The media type each document answered.
    pub media: BTreeMap<String, String>,
    /// Where each IRI was first found.
    pub found_in: BTreeMap<String, String>,
}

/// Dereferences every IRI of the instance's origin reachable from `seeds`.
pub async fn walk(origin: &Url, seeds: &[String], token: Option<&str>) -> Walked {
    let mut walked = Walked::default();
    let mut docs: BTreeMap<String, Value> = BTreeMap::new();
    let mut queue: VecDeque<String> = seeds.iter().cloned().collect();
    let mut queued: BTreeSet<String> = queue.iter().cloned().collect();
    while let Some(iri) = queue.pop_front() {
        assert!(walked.status.len() < MAX_IRIS, "the walk does not end");
        let mut doc_url = Url::parse(&iri).unwrap();
        let fragment = doc_url.fragment().is_some();
        doc_url.set_fragment(None);
        if !docs.contains_key(doc_url.as_str()) {
            let (status, media, body) = get_typed(doc_url.as_str(), token).await;
            walked.status.insert(doc_url.to_string(), status);
            walked.media.insert(doc_url.to_string(), media);
            let mut found = Vec::new();
            if status == 200 {
                local_iris(&body, origin, &mut found);
            }
            for next in found {
                if queued.insert(next.clone()) {
                    walked.found_in.insert(next.clone(), doc_url.to_string());
                    queue.push_back(next);
                }
            }
            if std::env::var("IRI_WALK_DEBUG").is_ok() {
                eprintln!("=== {doc_url} {status}\n{body}");
            }
            docs.insert(doc_url.to_string(), body);
        }
        if fragment {
            let doc = &docs[doc_url.as_str()];
            assert!(names(doc, &iri), "{doc_url} has no object {iri}: {doc}");
            walked
                .status
                .insert(iri.clone(), walked.status[doc_url.as_str()]);
            walked.fragments.insert(iri);
        }
    }
    walked
}

/// The route pattern an IRI has (`page` for a collection page), for the report.
pub fn kind_of(iri: &str) -> &'static str {
    let u = Url::parse(iri).unwrap();
    if u.fragment().is_some() {
        return "fragment";
    }
    if u.query().is_some_and(|q| q.starts_with("page=")) {
        return "page";
    }
    let all = [
        ("instance actor", routes::INSTANCE_ACTOR),
        ("instance inbox", routes::INSTANCE_INBOX),
        ("instance outbox", routes::INSTANCE_OUTBOX),
        ("shared inbox", routes::SHARED_INBOX),
        ("nodeinfo", routes::NODEINFO),
        ("nodeinfo links", routes::NODEINFO_LINKS),
        ("webfinger", routes::WEBFINGER),
        ("actor", routes::ACTOR),
        ("key", routes::KEY),
        ("inbox", routes::INBOX),
        ("commit", routes::COMMIT),
        ("branch", routes::BRANCH),
        ("ssh key", routes::SSH_KEY),
        ("activity", routes::ACTIVITY),
        ("tickets", routes::TICKETS),
        ("ticket", routes::TICKET),
        ("ticket discussion", routes::TICKET_DISCUSSION),
        ("ticket followers", routes::TICKET_FOLLOWERS),
        ("ticket comment", routes::TICKET_COMMENT),
        ("merge requests", routes::MERGE_REQUESTS),
        ("merge request", routes::MERGE_REQUEST),
        ("mr discussion", routes::MR_DISCUSSION),
        ("mr followers", routes::MR_FOLLOWERS),
        ("mr comment", routes::MR_COMMENT),
        ("mr version", routes::MR_VERSION),
        ("mr reviews", routes::MR_REVIEWS),
        ("mr review", routes::MR_REVIEW),
        ("mr thread", routes::MR_THREAD),
        ("mr thread replies", routes::MR_THREAD_REPLIES),
        ("mr thread comment", routes::MR_THREAD_COMMENT),
        ("mr approvals", routes::MR_APPROVALS),
        ("mr approval", routes::MR_APPROVAL),
        ("compare", routes::API_REPO_COMPARE),
        ("push log", routes::PUSH_LOG),
        ("collection", routes::COLLECTION),
        ("orchard context", routes::ORCHARD_CONTEXT),
    ];
    all.into_iter()
        .find(|(_, pattern)| captures(pattern, u.path()).is_some())
        .map_or("other", |(name, _)| name)
}

/// Whether some local person's token reads `iri` (200).
async fn readable_by_someone(iri: &str, tokens: &[String]) -> bool {
    for t in tokens {
        if get(iri, Some(t)).await.0 == 200 {
            return true;
        }
    }
    false
}

/// Each status is 200, 410, or the documented 401/403 of an inbox, or the documented 404 of an
/// activity the reader is not an audience of (`GET {actor}/activities/{id}`: existence does
/// not leak), when one of its audience reads it. Answers the count per kind.
pub async fn check(walked: &Walked, who: &str, tokens: &[String]) -> BTreeMap<&'static str, usize> {
    let mut kinds = BTreeMap::new();
    let mut hidden = 0;
    for (iri, status) in &walked.status {
        let kind = kind_of(iri);
        *kinds.entry(kind).or_insert(0) += 1;
        let inbox = matches!(kind, "inbox" | "instance inbox" | "shared inbox");
        let fine = match status {
            200 | 410 => true,
            401 | 403 => inbox,
            404 if kind == "activity" && readable_by_someone(iri, tokens).await => {
                hidden += 1;
                true
            }
            _ => false,
        };
        let parent = walked.found_in.get(iri).map_or("a seed", String::as_str);
        assert!(
            fine,
            "{who}: GET {iri} ({kind}), found in {parent}, answered {status}"
        );
    }
    let n = walked.status.len();
    eprintln!("{who}: {n} IRIs walked ({hidden} activities not theirs to read): {kinds:?}");
    kinds
}
