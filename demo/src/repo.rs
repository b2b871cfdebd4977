//! A repository on fig as git sees it (its IRI and SSH URL), and how the demo names commits:
//! the all-zero "commit" before a branch's first push and the short form of a hash.

use crate::report::{Failure, Outcome};

/// The "commit" before the first push of a branch.
pub const NO_COMMIT: &str = "0000000000000000000000000000000000000000";

/// A repository on fig, as git sees it.
pub struct Repo {
    pub iri: String,
    pub ssh_url: String,
}

impl Repo {
    pub fn new(iri: &str, ssh_port: u16) -> Outcome<Repo> {
        let url =
            url::Url::parse(iri).map_err(|e| Failure::new(format!("parse {iri}"), "a URL", e))?;
        let host = url.host_str().unwrap_or("127.0.0.1");
        Ok(Repo {
            iri: iri.to_string(),
            ssh_url: format!("ssh://git@{host}:{ssh_port}{}", url.path()),
        })
    }
}

/// The first 10 hex digits of a commit id.
pub fn short(hash: &str) -> &str {
    hash.get(..10).unwrap_or(hash)
}
