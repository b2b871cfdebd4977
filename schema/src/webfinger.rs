// SPDX-License-Identifier: AGPL-3.0-or-later
//! WebFinger (RFC 7033) documents: the JRD answered at `/.well-known/webfinger`, and `acct:`
//! resource parsing.

use serde::{Deserialize, Serialize};

use crate::context::is_activity_media_type;

/// The JRD media type.
pub const JRD_JSON: &str = "application/jrd+json";

/// A JSON Resource Descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jrd {
    /// The resource described, e.g. `acct:aviva@forge.example`.
    pub subject: String,
    /// Other IRIs of the resource (the actor IRI, the profile page).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Links, e.g. `rel: self` to the ActivityPub actor.
    #[serde(default)]
    pub links: Vec<JrdLink>,
}

/// One link of a JRD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JrdLink {
    /// The relation, e.g. `self` or `http://webfinger.net/rel/profile-page`.
    pub rel: String,
    /// The media type of the target.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// A URI template (e.g. `http://ostatus.org/schema/1.0/subscribe`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
}

impl Jrd {
    /// The `href` of the `rel: self` link with an ActivityStreams media type: the actor IRI.
    pub fn actor_href(&self) -> Option<&str> {
        self.links
            .iter()
            .find(|link| {
                link.rel == "self" && link.kind.as_deref().is_some_and(is_activity_media_type)
            })
            .and_then(|link| link.href.as_deref())
    }
}

/// Splits a WebFinger resource `acct:user@host` (also `user@host` and `@user@host`) into
/// `(user, host)`; `None` if either part is empty or the host contains another `@`.
pub fn parse_acct(resource: &str) -> Option<(&str, &str)> {
    let rest = match resource.get(..5) {
        Some(scheme) if scheme.eq_ignore_ascii_case("acct:") => &resource[5..],
        _ => resource,
    };
    let rest = rest.strip_prefix('@').unwrap_or(rest);
    let (user, host) = rest.split_once('@')?;
    (!user.is_empty() && !host.is_empty() && !host.contains('@')).then_some((user, host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn jrd_round_trip_and_actor_link() {
        let doc = json!({
            "subject": "acct:aviva@forge.example",
            "aliases": ["https://forge.example/people/aviva"],
            "links": [
                {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": "https://forge.example/aviva"},
                {"rel": "self", "type": "application/activity+json", "href": "https://forge.example/people/aviva"},
                {"rel": "http://ostatus.org/schema/1.0/subscribe", "template": "https://forge.example/authorize?uri={uri}"}
            ]
        });
        let jrd: Jrd = serde_json::from_value(doc.clone()).unwrap();
        assert_eq!(jrd.actor_href(), Some("https://forge.example/people/aviva"));
        assert_eq!(serde_json::to_value(&jrd).unwrap(), doc);
    }

    #[test]
    fn empty_aliases_are_skipped() {
        let jrd = Jrd {
            subject: "acct:a@b".into(),
            aliases: vec![],
            links: vec![],
        };
        assert_eq!(
            serde_json::to_value(&jrd).unwrap(),
            json!({"subject": "acct:a@b", "links": []})
        );
        assert_eq!(jrd.actor_href(), None);
    }

    #[test]
    fn acct_resources() {
        assert_eq!(
            parse_acct("acct:aviva@forge.example"),
            Some(("aviva", "forge.example"))
        );
        assert_eq!(
            parse_acct("ACCT:aviva@forge.example:8443"),
            Some(("aviva", "forge.example:8443"))
        );
        assert_eq!(
            parse_acct("aviva@forge.example"),
            Some(("aviva", "forge.example"))
        );
        assert_eq!(
            parse_acct("@aviva@forge.example"),
            Some(("aviva", "forge.example"))
        );
        for bad in [
            "acct:aviva",
            "acct:@forge.example",
            "acct:aviva@",
            "a@b@c",
            "",
            "acct:",
            "é",
        ] {
            assert_eq!(parse_acct(bad), None, "{bad:?}");
        }
    }
}
