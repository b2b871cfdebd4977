// SPDX-License-Identifier: AGPL-3.0-or-later
//! NodeInfo 2.1: the discovery document at `/.well-known/nodeinfo` and the NodeInfo document.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The `rel` of the NodeInfo 2.1 link in `/.well-known/nodeinfo`.
pub const NODEINFO_2_1_REL: &str = "http://nodeinfo.diaspora.software/ns/schema/2.1";
/// The `Content-Type` of a NodeInfo 2.1 document.
pub const NODEINFO_2_1_CONTENT_TYPE: &str =
    "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"";

/// The discovery document served at `/.well-known/nodeinfo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeInfoLinks {
    /// One link per supported schema version.
    pub links: Vec<NodeInfoLink>,
}

impl NodeInfoLinks {
    /// The `href` of the NodeInfo 2.1 document, if listed.
    pub fn nodeinfo_2_1_href(&self) -> Option<&str> {
        self.links
            .iter()
            .find(|link| link.rel == NODEINFO_2_1_REL)
            .map(|link| link.href.as_str())
    }
}

/// One link of the discovery document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeInfoLink {
    /// The schema IRI, e.g. `NODEINFO_2_1_REL`.
    pub rel: String,
    /// Where the document is.
    pub href: String,
}

/// A NodeInfo 2.1 document. Missing `services`, `usage` and `metadata` parse as empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    /// `"2.1"`.
    pub version: String,
    /// The server software.
    pub software: Software,
    /// e.g. `["activitypub"]`.
    pub protocols: Vec<String>,
    /// Third-party services the server talks to.
    #[serde(default)]
    pub services: Services,
    /// Whether anyone may sign up.
    pub open_registrations: bool,
    /// Usage statistics.
    #[serde(default)]
    pub usage: Usage,
    /// Free-form metadata.
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

/// The `software` object of NodeInfo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Software {
    /// Lowercase name, e.g. `orchard` or `forgejo`.
    pub name: String,
    /// Version string.
    pub version: String,
    /// Source repository URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// Home page URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
}

/// The `services` object of NodeInfo.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Services {
    /// Services the server can receive from.
    #[serde(default)]
    pub inbound: Vec<String>,
    /// Services the server can publish to.
    #[serde(default)]
    pub outbound: Vec<String>,
}

/// The `usage` object of NodeInfo.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    /// User counts.
    #[serde(default)]
    pub users: UsageUsers,
    /// Number of local posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_posts: Option<u64>,
}

/// The `usage.users` object of NodeInfo.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageUsers {
    /// All users (0 when a peer omits it).
    #[serde(default)]
    pub total: u64,
    /// Users active in the last month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_month: Option<u64>,
    /// Users active in the last six months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_halfyear: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn camel_case_on_the_wire() {
        let info = NodeInfo {
            version: "2.1".into(),
            software: Software {
                name: "orchard".into(),
                version: "0.1.0".into(),
                repository: None,
                homepage: None,
            },
            protocols: vec!["activitypub".into()],
            services: Services::default(),
            open_registrations: false,
            usage: Usage {
                users: UsageUsers {
                    total: 3,
                    active_month: Some(1),
                    active_halfyear: None,
                },
                local_posts: Some(9),
            },
            metadata: Map::new(),
        };
        let v = serde_json::to_value(&info).unwrap();
        assert_eq!(v["openRegistrations"], json!(false));
        assert_eq!(
            v["usage"],
            json!({"users": {"total": 3, "activeMonth": 1}, "localPosts": 9})
        );
        assert_eq!(v["services"], json!({"inbound": [], "outbound": []}));
    }

    #[test]
    fn tolerant_of_missing_optional_parts() {
        let info: NodeInfo = serde_json::from_value(json!({
            "version": "2.1",
            "software": {"name": "x", "version": "1"},
            "protocols": [],
            "openRegistrations": true,
            "usage": {"users": {}}
        }))
        .unwrap();
        assert_eq!(info.usage.users.total, 0);
        assert!(info.metadata.is_empty());
    }

    #[test]
    fn discovery_links() {
        let links: NodeInfoLinks = serde_json::from_value(json!({
            "links": [{"rel": NODEINFO_2_1_REL, "href": "https://a.example/nodeinfo/2.1"}]
        }))
        .unwrap();
        assert_eq!(
            links.nodeinfo_2_1_href(),
            Some("https://a.example/nodeinfo/2.1")
        );
    }
}
