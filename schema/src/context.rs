// SPDX-License-Identifier: AGPL-3.0-or-later
//! JSON-LD context IRIs, well-known IRIs and the ActivityPub media types.

use serde_json::Value;
use url::Url;

/// The ActivityStreams 2.0 context.
pub const AS_CONTEXT: &str = "https://www.w3.org/ns/activitystreams";
/// The security vocabulary context (`publicKey`, `publicKeyPem`, `owner`).
pub const SECURITY_CONTEXT: &str = "https://w3id.org/security/v1";
/// The ForgeFed context.
pub const FORGEFED_CONTEXT: &str = "https://forgefed.org/ns";
/// The ForgeFed namespace: a term `t` expands to `FORGEFED_NS` + `t` (e.g. roles).
pub const FORGEFED_NS: &str = "https://forgefed.org/ns#";
/// The special collection addressing everyone.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// The ActivityPub media type.
pub const ACTIVITY_JSON: &str = "application/activity+json";
/// The JSON-LD media type with the ActivityStreams profile, equivalent to `ACTIVITY_JSON`.
pub const LD_JSON_AS: &str =
    "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

/// The `@context` Orchard puts on its documents: `[AS, security, ForgeFed]`.
pub fn default_context() -> Value {
    Value::Array(vec![
        Value::String(AS_CONTEXT.to_owned()),
        Value::String(SECURITY_CONTEXT.to_owned()),
        Value::String(FORGEFED_CONTEXT.to_owned()),
    ])
}

/// Whether `iri` addresses the public collection (full IRI or the compact `as:Public`).
pub fn is_public(iri: &Url) -> bool {
    matches!(iri.as_str(), PUBLIC | "as:Public")
}

/// Whether one media type (a `Content-Type` value, or one element of an `Accept` list) denotes
/// ActivityStreams: `application/activity+json`, or `application/ld+json` with the
/// ActivityStreams profile. Case-insensitive in type and parameter names; `q` and other
/// parameters are ignored.
pub fn is_activity_media_type(media_type: &str) -> bool {
    let mut parts = media_type.split(';');
    let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/activity+json" => true,
        "application/ld+json" => parts.any(|param| {
            let Some((name, value)) = param.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("profile")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_whitespace()
                    .any(|profile| profile == AS_CONTEXT)
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_context_lists_three_contexts() {
        assert_eq!(
            default_context(),
            serde_json::json!([AS_CONTEXT, SECURITY_CONTEXT, FORGEFED_CONTEXT])
        );
    }

    #[test]
    fn public_forms() {
        assert!(is_public(&Url::parse(PUBLIC).unwrap()));
        assert!(is_public(&Url::parse("as:Public").unwrap()));
        assert!(!is_public(
            &Url::parse("https://example.org/followers").unwrap()
        ));
    }

    #[test]
    fn media_types() {
        assert!(is_activity_media_type(ACTIVITY_JSON));
        assert!(is_activity_media_type(LD_JSON_AS));
        assert!(is_activity_media_type(
            "Application/Activity+JSON; charset=utf-8"
        ));
        assert!(is_activity_media_type(
            "application/ld+json;profile=\"https://www.w3.org/ns/activitystreams\";q=0.9"
        ));
        assert!(!is_activity_media_type("application/ld+json"));
        assert!(!is_activity_media_type("application/json"));
        assert!(!is_activity_media_type("text/html"));
        assert!(!is_activity_media_type(""));
    }
}
