//! The named parts of this instance's IRIs (collections, ticket parts, SSH key names), and the
//! reading of Orchard-shaped IRIs of any instance, local or remote.

use url::Url;

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
    /// A Repository's forks (ForgeFed `forks`).
    Forks,
}

impl Collection {
    pub const ALL: [Collection; 8] = [
        Collection::Inbox,
        Collection::Outbox,
        Collection::Followers,
        Collection::Following,
        Collection::Grants,
        Collection::Likes,
        Collection::Components,
        Collection::Forks,
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
            Collection::Forks => "forks",
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

/// The tracker of an Orchard ticket IRI `<tracker>/tickets/<n>` (or merge request IRI
/// `<tracker>/merge-requests/<n>`) on any instance.
pub fn tracker_of_ticket(ticket: &Url) -> Option<Url> {
    let s = ticket.as_str();
    let (tracker, n) = s
        .rsplit_once("/tickets/")
        .or_else(|| s.rsplit_once("/merge-requests/"))?;
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Url::parse(tracker).ok()
}

/// The owner of an Orchard-shaped collection IRI `<actor>/<collection>` on any instance (the
/// IRI without its last path segment and fragment); None with a query.
pub fn owner_of_collection(iri: &Url, c: Collection) -> Option<Url> {
    let path = iri.path().strip_suffix(c.name())?.strip_suffix('/')?;
    if path.is_empty() || iri.query().is_some() {
        return None;
    }
    let mut owner = iri.clone();
    owner.set_path(path);
    owner.set_fragment(None);
    Some(owner)
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
