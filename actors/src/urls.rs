//! Every IRI shape this instance publishes, written once. Each shape is a route pattern in
//! [`routes`] (actix-web syntax: `{name}` is one path segment, `{name:.+}` the rest of the path);
//! [`Urls`] builds IRIs by filling those patterns in and parses IRIs by matching them, and the
//! HTTP layer registers the same patterns as its routes. Nothing else formats or splits the
//! paths of this instance's IRIs. Imports nothing from this crate but the actor kinds.

use crate::kind::{is_valid_local_id, ActorKind, ActorRef};
use url::Url;

/// The route patterns of every IRI this instance serves, and of its other HTTP endpoints.
/// `{segment}` is an actor kind's path segment (`ActorKind::path_segment`), `{id}` a local id.
pub mod routes {
    /// The instance actor (type Application).
    pub const INSTANCE_ACTOR: &str = "/actor";
    /// The instance actor's inbox (POST; nothing is kept).
    pub const INSTANCE_INBOX: &str = "/actor/inbox";
    /// The instance actor's outbox.
    pub const INSTANCE_OUTBOX: &str = "/actor/outbox";
    /// The shared inbox of this instance (POST).
    pub const SHARED_INBOX: &str = "/inbox";
    /// Any local actor.
    pub const ACTOR: &str = "/{segment}/{id}";
    /// The standalone key document of an actor that is not a Person.
    pub const KEY: &str = "/{segment}/{id}/main-key";
    /// An actor's inbox.
    pub const INBOX: &str = "/{segment}/{id}/inbox";
    /// An actor's outbox.
    pub const OUTBOX: &str = "/{segment}/{id}/outbox";
    /// One activity an actor published.
    pub const ACTIVITY: &str = "/{segment}/{id}/activities/{aid}";
    /// A collection of an actor (see [`super::Collection`]).
    pub const COLLECTION: &str = "/{segment}/{id}/{collection}";
    /// A commit of a repository, by its full hex hash.
    pub const COMMIT: &str = "/repos/{id}/commits/{hash}";
    /// A branch of a repository, by its name (which may hold `/`).
    pub const BRANCH: &str = "/repos/{id}/branches/{name:.+}";
    /// One SSH public key of a person (see [`super::Urls::ssh_key`]).
    pub const SSH_KEY: &str = "/people/{id}/ssh-keys/{key}";
    /// The tickets of a tracker.
    pub const TICKETS: &str = "/trackers/{id}/tickets";
    /// One ticket.
    pub const TICKET: &str = "/trackers/{id}/tickets/{n}";
    /// A ticket's discussion (its Notes).
    pub const TICKET_DISCUSSION: &str = "/trackers/{id}/tickets/{n}/discussion";
    /// A ticket's followers.
    pub const TICKET_FOLLOWERS: &str = "/trackers/{id}/tickets/{n}/followers";
    /// One comment on a ticket.
    pub const TICKET_COMMENT: &str = "/trackers/{id}/tickets/{n}/comments/{seq}";
    /// Smart-HTTP git under a repository's IRI (its `cloneUri`).
    pub const GIT_INFO_REFS: &str = "/repos/{id}/info/refs";
    pub const GIT_UPLOAD_PACK: &str = "/repos/{id}/git-upload-pack";
    pub const GIT_RECEIVE_PACK: &str = "/repos/{id}/git-receive-pack";
    /// A repository's push log.
    pub const PUSH_LOG: &str = "/repos/{id}/pushes";
    /// Discovery.
    pub const WEBFINGER: &str = "/.well-known/webfinger";
    pub const NODEINFO_LINKS: &str = "/.well-known/nodeinfo";
    pub const NODEINFO: &str = "/nodeinfo/2.1";
}

/// The collections every actor route `routes::COLLECTION` serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Inbox,
    Outbox,
    Followers,
    Following,
    Grants,
    Likes,
    Components,
}

impl Collection {
    pub const ALL: [Collection; 7] = [
        Collection::Inbox,
        Collection::Outbox,
        Collection::Followers,
        Collection::Following,
        Collection::Grants,
        Collection::Likes,
        Collection::Components,
    ];

    /// Its last path segment.
    pub fn name(self) -> &'static str {
        match self {
            Collection::Inbox => "inbox",
            Collection::Outbox => "outbox",
            Collection::Followers => "followers",
            Collection::Following => "following",
            Collection::Grants => "grants",
            Collection::Likes => "likes",
            Collection::Components => "components",
        }
    }

    pub fn from_name(name: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The sub-collections of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketPart {
    Discussion,
    Followers,
}

/// `pattern` with each `{name}` / `{name:regex}` replaced by its value in `values`.
pub fn expand(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let name = rest[open + 1..close].split(':').next().unwrap_or_default();
        let value = values.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        out.push_str(value.unwrap_or_default());
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// The values of `pattern`'s placeholders in `path`, if `path` has exactly its shape. A
/// `{name:.+}` placeholder takes the rest of the path; every other one a non-empty segment.
pub fn captures<'a>(pattern: &'a str, path: &'a str) -> Option<Vec<(&'a str, &'a str)>> {
    let mut given = path.strip_prefix('/')?;
    let mut wanted = pattern.strip_prefix('/')?.split('/').peekable();
    let mut out = Vec::new();
    while let Some(segment) = wanted.next() {
        let placeholder = segment.strip_prefix('{');
        if let Some(name) = placeholder.and_then(|s| s.strip_suffix(":.+}")) {
            let whole = !given.is_empty() && wanted.peek().is_none();
            return whole.then(|| {
                out.push((name, given));
                out
            });
        }
        let (here, tail) = match given.split_once('/') {
            Some((here, tail)) => (here, Some(tail)),
            None => (given, None),
        };
        match placeholder.and_then(|s| s.strip_suffix('}')) {
            Some(name) if !here.is_empty() => out.push((name, here)),
            None if here == segment => {}
            _ => return None,
        }
        match (tail, wanted.peek()) {
            (Some(tail), Some(_)) => given = tail,
            (None, None) => return Some(out),
            _ => return None,
        }
    }
    None
}

fn value<'a>(caps: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    caps.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// The tracker of an Orchard ticket IRI `<tracker>/tickets/<n>` on any instance.
pub fn tracker_of_ticket(ticket: &Url) -> Option<Url> {
    let (tracker, n) = ticket.as_str().rsplit_once("/tickets/")?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Url::parse(tracker).ok()
}

/// The owner of an Orchard-shaped collection IRI `<actor>/<collection>` on any instance.
pub fn owner_of_collection(iri: &Url, c: Collection) -> Option<Url> {
    let owner = iri.as_str().strip_suffix(c.name())?.strip_suffix('/')?;
    Url::parse(owner).ok()
}

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

    /// One SSH key of a local person, named by its fingerprint (see [`ssh_key_name`]).
    pub fn ssh_key(&self, person: &ActorRef, fingerprint: &str) -> Url {
        self.of(
            routes::SSH_KEY,
            person,
            &[("key", &ssh_key_name(fingerprint))],
        )
    }

    /// The tickets collection of a local tracker.
    pub fn tickets(&self, tracker: &ActorRef) -> Url {
        self.of(routes::TICKETS, tracker, &[])
    }

    /// Ticket `n` of a local tracker.
    pub fn ticket(&self, tracker: &ActorRef, n: u64) -> Url {
        self.of(routes::TICKET, tracker, &[("n", &n.to_string())])
    }

    /// A sub-collection of ticket `n`.
    pub fn ticket_part(&self, tracker: &ActorRef, n: u64, part: TicketPart) -> Url {
        let pattern = match part {
            TicketPart::Discussion => routes::TICKET_DISCUSSION,
            TicketPart::Followers => routes::TICKET_FOLLOWERS,
        };
        self.of(pattern, tracker, &[("n", &n.to_string())])
    }

    /// Comment `seq` on ticket `n`.
    pub fn ticket_comment(&self, tracker: &ActorRef, n: u64, seq: u64) -> Url {
        let (n, seq) = (n.to_string(), seq.to_string());
        self.of(routes::TICKET_COMMENT, tracker, &[("n", &n), ("seq", &seq)])
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

    /// The tracker and number of one of this instance's ticket IRIs.
    pub fn parse_ticket(&self, iri: &Url) -> Option<(ActorRef, u64)> {
        let caps = self.parse(routes::TICKET, iri)?;
        let tracker = Self::actor_of(&caps, Some(ActorKind::TicketTracker.path_segment()))?;
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

/// The last segment of an SSH key's IRI: its fingerprint without `SHA256:`, every character
/// that is not ASCII alphanumeric replaced by `_`.
pub fn ssh_key_name(fingerprint: &str) -> String {
    fingerprint
        .trim_start_matches("SHA256:")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

#[cfg(test)]
#[path = "urls_tests.rs"]
mod tests;
