//! `Urls`, the IRI scheme of this instance: builds every IRI it publishes from `public_url` by
//! filling in a route pattern, and parses IRIs back by matching one.

use crate::base::kind::{is_valid_local_id, ActorKind, ActorRef};
use crate::urls::names::{ssh_key_name, Collection, TicketPart};
use crate::urls::pattern::{captures, expand};
use crate::urls::routes;
use url::Url;

/// The value of placeholder `name` among `captures`' answer.
fn value<'a>(caps: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    caps.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// The IRI scheme of this instance. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Urls {
    base: Url,
    /// The port of this instance's SSH server, when it has one (`with_ssh_port`).
    ssh_port: Option<u16>,
}

impl Urls {
    /// `base` is the instance's `public_url`, e.g. `http://127.0.0.1:7000`.
    pub fn new(mut base: Url) -> Self {
        // Normalise to no trailing slash in the path so joins are predictable.
        let path = base.path().trim_end_matches('/').to_string();
        base.set_path(&path);
        Urls {
            base,
            ssh_port: None,
        }
    }

    /// The same scheme, with the SSH server on `port` of the public host (see `push_uri`).
    pub fn with_ssh_port(mut self, port: u16) -> Self {
        self.ssh_port = Some(port);
        self
    }

    /// Where git pushes to a local repository: `ssh://git@<public host>:<ssh port>/repos/<id>`
    /// (the SSH server takes the repository's IRI path, whatever `public_url`'s own path).
    /// None without an SSH server.
    pub fn push_uri(&self, repo: &ActorRef) -> Option<Url> {
        let port = self.ssh_port?;
        let values = [
            ("segment", repo.kind.path_segment()),
            ("id", repo.id.as_str()),
        ];
        let path = expand(routes::ACTOR, &values);
        Url::parse(&format!("ssh://git@{}:{port}{path}", self.host())).ok()
    }

    /// The public URL as given (without a trailing slash).
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// `host` or `host:port` of the public URL, as used in `acct:` handles.
    pub fn authority(&self) -> String {
        let host = self.host();
        match self.base.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        }
    }

    /// The host name alone.
    pub fn host(&self) -> &str {
        self.base.host_str().unwrap_or("localhost")
    }

    /// The IRI of a route pattern filled in with `values`.
    pub fn route(&self, pattern: &str, values: &[(&str, &str)]) -> Url {
        let mut u = self.base.clone();
        let path = expand(pattern, values);
        u.set_path(&format!("{}{path}", self.base.path().trim_end_matches('/')));
        u
    }

    fn of(&self, pattern: &str, r: &ActorRef, more: &[(&str, &str)]) -> Url {
        let mut values = vec![("segment", r.kind.path_segment()), ("id", r.id.as_str())];
        values.extend_from_slice(more);
        self.route(pattern, &values)
    }

    /// The IRI of a local actor.
    pub fn actor(&self, r: &ActorRef) -> Url {
        self.of(routes::ACTOR, r, &[])
    }

    /// One of a local actor's collections.
    pub fn collection(&self, r: &ActorRef, c: Collection) -> Url {
        self.of(routes::COLLECTION, r, &[("collection", c.name())])
    }

    /// The IRI of a local actor's activity.
    pub fn activity(&self, r: &ActorRef, local_id: &str) -> Url {
        self.of(routes::ACTIVITY, r, &[("aid", local_id)])
    }

    /// The key id of a local actor's main key: `<person>#main-key` for people (as Mastodon
    /// expects), and a standalone key document `<actor>/main-key` for every other kind, since
    /// common verifiers (Fedify) read keys only from a Person/Service/... document or from a
    /// `CryptographicKey` document.
    pub fn key_id(&self, r: &ActorRef) -> Url {
        if r.kind != ActorKind::Person {
            return self.of(routes::KEY, r, &[]);
        }
        let mut u = self.actor(r);
        u.set_fragment(Some("main-key"));
        u
    }

    /// A commit of a local repository.
    pub fn commit(&self, repo: &ActorRef, hash: &str) -> Url {
        self.of(routes::COMMIT, repo, &[("hash", hash)])
    }

    /// A branch of a local repository, by its short name (`main`, `feature/x`).
    pub fn branch(&self, repo: &ActorRef, name: &str) -> Url {
        self.of(routes::BRANCH, repo, &[("name", name)])
    }

    /// One SSH key of a local person, named by its fingerprint (see `ssh_key_name`).
    pub fn ssh_key(&self, person: &ActorRef, fingerprint: &str) -> Url {
        self.of(
            routes::SSH_KEY,
            person,
            &[("key", &ssh_key_name(fingerprint))],
        )
    }

    /// The tickets collection of a local tracker (a patch tracker's merge requests).
    pub fn tickets(&self, tracker: &ActorRef) -> Url {
        let patches = tracker.kind == ActorKind::PatchTracker;
        let pattern = [routes::TICKETS, routes::MERGE_REQUESTS][patches as usize];
        self.of(pattern, tracker, &[])
    }

    /// Ticket `n` of a local tracker (merge request `n` of a patch tracker).
    pub fn ticket(&self, tracker: &ActorRef, n: u64) -> Url {
        let patches = tracker.kind == ActorKind::PatchTracker;
        let pattern = [routes::TICKET, routes::MERGE_REQUEST][patches as usize];
        self.of(pattern, tracker, &[("n", &n.to_string())])
    }

    /// A sub-collection of ticket `n` (or of merge request `n`).
    pub fn ticket_part(&self, tracker: &ActorRef, n: u64, part: TicketPart) -> Url {
        let patches = tracker.kind == ActorKind::PatchTracker;
        let pattern = match (part, patches) {
            (TicketPart::Discussion, false) => routes::TICKET_DISCUSSION,
            (TicketPart::Followers, false) => routes::TICKET_FOLLOWERS,
            (TicketPart::Discussion, true) => routes::MR_DISCUSSION,
            (TicketPart::Followers, true) => routes::MR_FOLLOWERS,
        };
        self.of(pattern, tracker, &[("n", &n.to_string())])
    }

    /// Comment `seq` on ticket `n` (or on merge request `n`).
    pub fn ticket_comment(&self, tracker: &ActorRef, n: u64, seq: u64) -> Url {
        let patches = tracker.kind == ActorKind::PatchTracker;
        let pattern = [routes::TICKET_COMMENT, routes::MR_COMMENT][patches as usize];
        let (n, seq) = (n.to_string(), seq.to_string());
        self.of(pattern, tracker, &[("n", &n), ("seq", &seq)])
    }

    /// Version `v` of merge request `n` of a local patch tracker.
    pub fn mr_version(&self, tracker: &ActorRef, n: u64, v: u64) -> Url {
        let (n, v) = (n.to_string(), v.to_string());
        self.of(routes::MR_VERSION, tracker, &[("n", &n), ("v", &v)])
    }

    /// The compare route of a local repository, `{base}...{head}` (see `browse::compare`).
    pub fn compare(&self, repo: &ActorRef, base: &str, head: &str) -> Url {
        let range = format!("{base}...{head}");
        self.route(
            routes::API_REPO_COMPARE,
            &[("id", &repo.id), ("range", &range)],
        )
    }

    /// Orchard's JSON-LD context document.
    pub fn orchard_context(&self) -> Url {
        self.route(routes::ORCHARD_CONTEXT, &[])
    }

    /// The instance actor (type Application), its inbox, outbox and key id.
    pub fn instance_actor(&self) -> Url {
        self.route(routes::INSTANCE_ACTOR, &[])
    }

    pub fn instance_inbox(&self) -> Url {
        self.route(routes::INSTANCE_INBOX, &[])
    }

    pub fn instance_outbox(&self) -> Url {
        self.route(routes::INSTANCE_OUTBOX, &[])
    }

    pub fn instance_key_id(&self) -> Url {
        let mut u = self.instance_actor();
        u.set_fragment(Some("main-key"));
        u
    }

    /// The shared inbox of this instance.
    pub fn shared_inbox(&self) -> Url {
        self.route(routes::SHARED_INBOX, &[])
    }

    /// The NodeInfo 2.1 document.
    pub fn nodeinfo(&self) -> Url {
        self.route(routes::NODEINFO, &[])
    }

    /// The placeholders of `pattern` in a local IRI without query or fragment.
    fn parse<'a>(&self, pattern: &'a str, iri: &'a Url) -> Option<Vec<(&'a str, &'a str)>> {
        if !self.is_local(iri) || iri.query().is_some() || iri.fragment().is_some() {
            return None;
        }
        let path = iri
            .path()
            .strip_prefix(self.base.path().trim_end_matches('/'))?;
        captures(pattern, path)
    }

    fn actor_of(caps: &[(&str, &str)], segment: Option<&str>) -> Option<ActorRef> {
        let kind = ActorKind::from_path_segment(segment.or_else(|| value(caps, "segment"))?)?;
        let id = value(caps, "id")?;
        is_valid_local_id(id).then(|| ActorRef::new(kind, id))
    }

    /// The local actor an IRI names, if it is one of ours (`/<segment>/<id>` exactly).
    pub fn parse_actor(&self, iri: &Url) -> Option<ActorRef> {
        Self::actor_of(&self.parse(routes::ACTOR, iri)?, None)
    }

    /// The actor and local id of one of this instance's activity IRIs.
    pub fn parse_activity(&self, iri: &Url) -> Option<(ActorRef, String)> {
        let caps = self.parse(routes::ACTIVITY, iri)?;
        Some((
            Self::actor_of(&caps, None)?,
            value(&caps, "aid")?.to_string(),
        ))
    }

    /// The local id of `iri` when it is an activity IRI of `r`.
    pub fn activity_local_id<'a>(&self, r: &ActorRef, iri: &'a str) -> Option<&'a str> {
        let prefix = self.activity(r, "");
        let local = iri.strip_prefix(prefix.as_str())?;
        let plain = !local.is_empty() && !local.contains(['/', '?', '#']);
        plain.then_some(local)
    }

    /// The tracker and number of one of this instance's ticket IRIs (or merge request IRIs,
    /// whose tracker is a PatchTracker).
    pub fn parse_ticket(&self, iri: &Url) -> Option<(ActorRef, u64)> {
        let kinds = [
            (routes::TICKET, ActorKind::TicketTracker),
            (routes::MERGE_REQUEST, ActorKind::PatchTracker),
        ];
        let (caps, kind) = kinds
            .into_iter()
            .find_map(|(pattern, kind)| Some((self.parse(pattern, iri)?, kind)))?;
        let tracker = Self::actor_of(&caps, Some(kind.path_segment()))?;
        let n: u64 = value(&caps, "n")?.parse().ok()?;
        (n > 0 && self.ticket(&tracker, n) == *iri).then_some((tracker, n))
    }

    /// The local actor owning a key id (`<person>#main-key`, `<actor>/main-key`), if it is
    /// exactly that actor's key id.
    pub fn key_owner(&self, key_id: &Url) -> Option<ActorRef> {
        let mut actor = key_id.clone();
        actor.set_fragment(None);
        let r = match self.parse_actor(&actor) {
            Some(r) => r,
            None => Self::actor_of(&self.parse(routes::KEY, &actor)?, None)?,
        };
        (self.key_id(&r) == *key_id).then_some(r)
    }

    /// True when the IRI is on this instance (same scheme, host and port).
    pub fn is_local(&self, iri: &Url) -> bool {
        iri.scheme() == self.base.scheme()
            && iri.host_str() == self.base.host_str()
            && iri.port_or_known_default() == self.base.port_or_known_default()
    }
}

#[cfg(test)]
#[path = "scheme_tests.rs"]
mod tests;
