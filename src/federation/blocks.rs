//! Moderation: blocked remote hosts and actors. Hosts come from `[federation] blocked_hosts`
//! and from the admin API; actors from the admin API. Activities from a blocked host or actor
//! are refused (403), nothing is delivered to a blocked host, nothing is fetched from it.
//!
//! A host block is either a bare host (`example.org`: every port, and its subdomains) or an
//! authority with a port (`127.0.0.1:49395`: that port only, compared with the IRI's port or
//! its scheme's default). `host_blocks::parse_block` is the one place a block's text is validated.
//!
//! Instance tree: `block 0xFF host:<host>` and `block 0xFF actor:<iri>` -> JSON `BlockRecord`.

use crate::error::Result;
use crate::host_blocks::{canonical_host, parse_block};
use actors::storage::codec;
use actors::storage::layout::{self, BLOCK};
use actors::storage::store::Store;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use url::Url;

/// Who blocked what, when.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlockRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    pub by: String,
    pub since: String,
}

/// The blocklist. Cheap to clone.
#[derive(Clone)]
pub struct Blocks {
    store: Store,
    configured: Arc<Vec<String>>,
}

fn host_key(host: &str) -> Vec<u8> {
    layout::key(
        BLOCK,
        format!("host:{}", host.to_ascii_lowercase()).as_bytes(),
    )
}

/// The key of an actor block: the actor's IRI with its host canonical (see `canonical_host`).
fn actor_key(actor: &str) -> Vec<u8> {
    let actor = Url::parse(actor).map_or_else(|_| actor.to_string(), |u| canonical_iri(&u));
    layout::key(BLOCK, format!("actor:{actor}").as_bytes())
}

/// An IRI with its host canonical (see `canonical_host`), as actor blocks compare it.
fn canonical_iri(iri: &Url) -> String {
    let mut iri = iri.clone();
    if let Some(host) = iri.host_str().map(canonical_host) {
        if iri.set_host(Some(&host)).is_err() {
            return iri.to_string();
        }
    }
    iri.to_string()
}

impl Blocks {
    pub fn new(store: Store, configured: Vec<String>) -> Blocks {
        Blocks {
            store,
            configured: Arc::new(
                configured
                    .into_iter()
                    .map(|h| parse_block(&h).unwrap_or_else(|_| h.to_ascii_lowercase()))
                    .collect(),
            ),
        }
    }

    fn listed(&self, entry: &str) -> bool {
        self.configured.iter().any(|h| h == entry)
            || self
                .store
                .instance()
                .contains_key(host_key(entry))
                .unwrap_or(false)
    }

    /// True when `host` (with `port`, when known) is blocked: `host:port` itself, or `host` or
    /// one of its parent domains as a bare host.
    pub fn host_blocked(&self, host: &str, port: Option<u16>) -> bool {
        let host = canonical_host(host);
        if port.is_some_and(|p| self.listed(&format!("{host}:{p}"))) {
            return true;
        }
        let mut candidate: &str = &host;
        loop {
            if self.listed(candidate) {
                return true;
            }
            match candidate.split_once('.') {
                Some((_, parent)) if parent.contains('.') => candidate = parent,
                _ => return false,
            }
        }
    }

    /// True when the IRI's host or the actor itself is blocked.
    pub fn blocked(&self, iri: &Url) -> bool {
        iri.host_str()
            .is_some_and(|h| self.host_blocked(h, iri.port_or_known_default()))
            || self
                .store
                .instance()
                .contains_key(actor_key(iri.as_str()))
                .unwrap_or(false)
    }

    /// Blocks a host or an actor.
    pub fn add(&self, record: &BlockRecord) -> Result<()> {
        let key = match (&record.host, &record.actor) {
            (Some(h), _) => host_key(h),
            (None, Some(a)) => actor_key(a),
            (None, None) => return Ok(()),
        };
        self.store.instance().insert(key, codec::encode(record)?)?;
        Ok(())
    }

    /// Unblocks; answers whether something was blocked.
    pub fn remove(&self, host: Option<&str>, actor: Option<&str>) -> Result<bool> {
        let key = match (host, actor) {
            (Some(h), _) => host_key(h),
            (None, Some(a)) => actor_key(a),
            (None, None) => return Ok(false),
        };
        Ok(self.store.instance().remove(key)?.is_some())
    }

    /// Every block made through the API, and the configured hosts.
    pub fn list(&self) -> Result<Vec<BlockRecord>> {
        let mut out: Vec<BlockRecord> = self
            .configured
            .iter()
            .map(|h| BlockRecord {
                host: Some(h.clone()),
                actor: None,
                by: "settings.toml".into(),
                since: String::new(),
            })
            .collect();
        for entry in self.store.instance().scan_prefix(layout::prefix(BLOCK)) {
            let (_, v) = entry?;
            out.push(codec::decode(&v)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hosts_and_authorities() {
        assert_eq!(parse_block(" Example.ORG ").unwrap(), "example.org");
        assert_eq!(parse_block("127.0.0.1:49395").unwrap(), "127.0.0.1:49395");
        assert_eq!(parse_block("a.example:80").unwrap(), "a.example:80");
        assert_eq!(parse_block("[::1]:8080").unwrap(), "[::1]:8080");
        assert_eq!(parse_block("[::1]").unwrap(), "[::1]");
        for bad in ["", "a/b", "u@h", "h:0", "h:99999", "h:x", "http://h", "a b"] {
            assert!(parse_block(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn absolute_names_and_mapped_addresses_do_not_escape_a_block() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let blocks = Blocks::new(store, vec!["evil.example".into(), "192.0.2.7".into()]);
        blocks
            .add(&BlockRecord {
                host: None,
                actor: Some("https://spam.example/u/x".into()),
                by: "t".into(),
                since: String::new(),
            })
            .unwrap();
        let iri = |s: &str| Url::parse(s).unwrap();
        assert!(blocks.blocked(&iri("https://evil.example./u/x")));
        assert!(blocks.blocked(&iri("https://sub.evil.example./u/x")));
        assert!(blocks.blocked(&iri("https://EVIL.example/u/x")));
        assert!(blocks.blocked(&iri("http://[::ffff:192.0.2.7]/u/x")));
        assert!(blocks.blocked(&iri("https://spam.example./u/x")));
        assert!(!blocks.blocked(&iri("https://spam.example/u/y")));
        assert_eq!(parse_block("evil.example.").unwrap(), "evil.example");
    }

    #[test]
    fn a_block_with_a_port_matches_that_port_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let blocks = Blocks::new(store, vec!["configured.example:8443".into()]);
        let record = |h: &str| BlockRecord {
            host: Some(h.into()),
            actor: None,
            by: "t".into(),
            since: String::new(),
        };
        blocks.add(&record("127.0.0.1:49395")).unwrap();
        blocks.add(&record("bare.example")).unwrap();
        let iri = |s: &str| Url::parse(s).unwrap();
        assert!(blocks.blocked(&iri("http://127.0.0.1:49395/users/x")));
        assert!(!blocks.blocked(&iri("http://127.0.0.1:49396/users/x")));
        assert!(blocks.blocked(&iri("https://configured.example:8443/u")));
        assert!(!blocks.blocked(&iri("https://configured.example/u")));
        assert!(blocks.blocked(&iri("https://bare.example:1234/u")));
        assert!(blocks.blocked(&iri("https://sub.bare.example/u")));
    }
}
