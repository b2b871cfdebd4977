//! Builds every IRI of this instance from `public_url`, and maps IRIs back to local actors.

use crate::base::kind::{ActorKind, ActorRef};
use url::Url;

/// The IRI scheme of this instance. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Urls {
    base: Url,
}

impl Urls {
    /// `base` is the instance's `public_url`, e.g. `http://127.0.0.1:7000`.
    pub fn new(mut base: Url) -> Self {
        // Normalise to no trailing slash in the path so joins are predictable.
        let path = base.path().trim_end_matches('/').to_string();
        base.set_path(&path);
        Urls { base }
    }

    /// The public URL as given (without a trailing slash).
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// `host` or `host:port` of the public URL, as used in `acct:` handles.
    pub fn authority(&self) -> String {
        let host = self.base.host_str().unwrap_or("localhost");
        match self.base.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        }
    }

    /// The host name alone.
    pub fn host(&self) -> &str {
        self.base.host_str().unwrap_or("localhost")
    }

    /// An IRI for a local path (which must start with `/`).
    pub fn at(&self, path: &str) -> Url {
        let mut u = self.base.clone();
        let joined = format!("{}{}", self.base.path().trim_end_matches('/'), path);
        u.set_path(&joined);
        u
    }

    /// The IRI of a local actor.
    pub fn actor(&self, r: &ActorRef) -> Url {
        self.at(&format!("/{}/{}", r.kind.path_segment(), r.id))
    }

    /// A sub-resource of a local actor (`inbox`, `outbox`, `followers`, ...).
    pub fn actor_sub(&self, r: &ActorRef, sub: &str) -> Url {
        self.at(&format!("/{}/{}/{}", r.kind.path_segment(), r.id, sub))
    }

    /// The key id of a local actor's main key: `<person>#main-key` for people (as Mastodon
    /// expects), and a standalone key document `<actor>/main-key` for every other kind, since
    /// common verifiers (Fedify) read keys only from a Person/Service/... document or from a
    /// `CryptographicKey` document.
    pub fn key_id(&self, r: &ActorRef) -> Url {
        if r.kind != ActorKind::Person {
            return self.actor_sub(r, "main-key");
        }
        let mut u = self.actor(r);
        u.set_fragment(Some("main-key"));
        u
    }

    /// The instance actor (type Application).
    pub fn instance_actor(&self) -> Url {
        self.at("/actor")
    }

    /// The instance actor's key id.
    pub fn instance_key_id(&self) -> Url {
        let mut u = self.instance_actor();
        u.set_fragment(Some("main-key"));
        u
    }

    /// The shared inbox of this instance.
    pub fn shared_inbox(&self) -> Url {
        self.at("/inbox")
    }

    /// The local actor an IRI names, if it is one of ours (`/<segment>/<id>` exactly).
    pub fn parse_actor(&self, iri: &Url) -> Option<ActorRef> {
        if !self.is_local(iri) || iri.query().is_some() {
            return None;
        }
        let rest = iri
            .path()
            .strip_prefix(self.base.path().trim_end_matches('/'))?;
        let mut parts = rest.strip_prefix('/')?.split('/');
        let kind = ActorKind::from_path_segment(parts.next()?)?;
        let id = parts.next()?;
        if parts.next().is_some() || !crate::base::kind::is_valid_local_id(id) {
            return None;
        }
        Some(ActorRef::new(kind, id))
    }

    /// True when the IRI is on this instance (same scheme, host and port).
    pub fn is_local(&self, iri: &Url) -> bool {
        iri.scheme() == self.base.scheme()
            && iri.host_str() == self.base.host_str()
            && iri.port_or_known_default() == self.base.port_or_known_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> Urls {
        Urls::new(Url::parse("http://127.0.0.1:7000/").unwrap())
    }

    #[test]
    fn builds_and_parses_actor_iris() {
        let u = urls();
        let r = ActorRef::new(ActorKind::Repository, "r1");
        let iri = u.actor(&r);
        assert_eq!(iri.as_str(), "http://127.0.0.1:7000/repos/r1");
        assert_eq!(u.parse_actor(&iri), Some(r.clone()));
        assert_eq!(
            u.key_id(&r).as_str(),
            "http://127.0.0.1:7000/repos/r1/main-key"
        );
        let alice = ActorRef::new(ActorKind::Person, "alice");
        assert_eq!(
            u.key_id(&alice).as_str(),
            "http://127.0.0.1:7000/people/alice#main-key"
        );
        assert_eq!(u.authority(), "127.0.0.1:7000");
    }

    #[test]
    fn rejects_foreign_and_malformed() {
        let u = urls();
        for s in [
            "http://127.0.0.1:7001/people/a",
            "https://127.0.0.1:7000/people/a",
            "http://127.0.0.1:7000/people/a/inbox",
            "http://127.0.0.1:7000/people/A",
            "http://127.0.0.1:7000/nothing/a",
        ] {
            assert_eq!(u.parse_actor(&Url::parse(s).unwrap()), None, "{s}");
        }
    }
}
