//! Orchard's JSON-LD context: the terms Orchard uses beyond ActivityStreams, the security
//! vocabulary and ForgeFed, each defined under `{public_url}/ns#`, served at `/ns` and named in
//! the `@context` of every document that uses one of them.

use super::Urls;
use serde_json::{json, Value};

/// The Orchard-only terms (API.md says what each means).
pub const TERMS: &[&str] = &[
    "visibility",
    "defaultBranch",
    "federatedRepositories",
    "currentCommit",
    "originCopy",
    "mergeRequests",
    "isMerged",
    "mergedBy",
    "merged",
    "mergeCommit",
    "gitRefusal",
    "reviews",
];

/// The context document served at `/ns`.
pub fn context_document(urls: &Urls) -> Value {
    let ns = format!("{}#", urls.orchard_context());
    let mut terms = serde_json::Map::new();
    terms.insert("orchard".into(), json!(ns));
    terms.insert("visibility".into(), json!("orchard:visibility"));
    terms.insert("defaultBranch".into(), json!("orchard:defaultBranch"));
    terms.insert(
        "federatedRepositories".into(),
        json!({"@id": "orchard:federatedRepositories", "@type": "@id", "@container": "@set"}),
    );
    terms.insert(
        "currentCommit".into(),
        json!({"@id": "orchard:currentCommit", "@type": "@id"}),
    );
    terms.insert("originCopy".into(), json!("orchard:originCopy"));
    let id = |term: &str| json!({"@id": format!("orchard:{term}"), "@type": "@id"});
    terms.insert("mergeRequests".into(), id("mergeRequests"));
    terms.insert("isMerged".into(), json!("orchard:isMerged"));
    terms.insert("mergedBy".into(), id("mergedBy"));
    terms.insert(
        "merged".into(),
        json!({"@id": "orchard:merged", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"}),
    );
    terms.insert("mergeCommit".into(), json!("orchard:mergeCommit"));
    terms.insert("gitRefusal".into(), json!("orchard:gitRefusal"));
    terms.insert(
        "reviews".into(),
        json!({"@id": "orchard:reviews", "@type": "@id"}),
    );
    json!({ "@context": terms })
}

/// `context` (a document's `@context`) with Orchard's context appended.
pub fn with_orchard_context(urls: &Urls, context: Value) -> Value {
    let orchard = json!(urls.orchard_context());
    match context {
        Value::Array(mut items) => {
            items.push(orchard);
            Value::Array(items)
        }
        Value::Null => json!([orchard]),
        one => json!([one, orchard]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_is_defined_and_the_context_is_appended() {
        let urls = Urls::new(url::Url::parse("http://127.0.0.1:7000").unwrap());
        let doc = context_document(&urls);
        assert_eq!(doc["@context"]["orchard"], "http://127.0.0.1:7000/ns#");
        for term in TERMS {
            assert!(doc["@context"].get(*term).is_some(), "{term}");
        }
        let ctx = with_orchard_context(&urls, json!(["https://www.w3.org/ns/activitystreams"]));
        assert_eq!(ctx[1], "http://127.0.0.1:7000/ns");
    }
}
