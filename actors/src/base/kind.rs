//! The closed set of local actor kinds, their tree names and their IRI path segments.

use std::fmt;

/// The kinds of actor an Orchard instance hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActorKind {
    Person,
    Factory,
    Repository,
    TicketTracker,
    PatchTracker,
    Project,
}

impl ActorKind {
    /// Every kind, in a fixed order.
    pub const ALL: [ActorKind; 6] = [
        ActorKind::Person,
        ActorKind::Factory,
        ActorKind::Repository,
        ActorKind::TicketTracker,
        ActorKind::PatchTracker,
        ActorKind::Project,
    ];

    /// The name used in sled tree names (`<kind>/<id>`).
    pub fn tree_prefix(self) -> &'static str {
        match self {
            ActorKind::Person => "person",
            ActorKind::Factory => "factory",
            ActorKind::Repository => "repository",
            ActorKind::TicketTracker => "tickettracker",
            ActorKind::PatchTracker => "patchtracker",
            ActorKind::Project => "project",
        }
    }

    /// The first path segment of this kind's IRIs (`/people/alice`, `/repos/r1`, ...).
    pub fn path_segment(self) -> &'static str {
        match self {
            ActorKind::Person => "people",
            ActorKind::Factory => "factories",
            ActorKind::Repository => "repos",
            ActorKind::TicketTracker => "trackers",
            ActorKind::PatchTracker => "patch-trackers",
            ActorKind::Project => "projects",
        }
    }

    /// The kind whose IRIs start with this path segment.
    pub fn from_path_segment(segment: &str) -> Option<ActorKind> {
        ActorKind::ALL
            .into_iter()
            .find(|k| k.path_segment() == segment)
    }

    /// The ActivityStreams / ForgeFed `type` of this kind's actor document.
    pub fn as_type(self) -> &'static str {
        match self {
            ActorKind::Person => "Person",
            ActorKind::Factory => "Factory",
            ActorKind::Repository => "Repository",
            ActorKind::TicketTracker => "TicketTracker",
            ActorKind::PatchTracker => "PatchTracker",
            ActorKind::Project => "Project",
        }
    }

    /// The kind for an ActivityStreams / ForgeFed `type` name.
    pub fn from_type(name: &str) -> Option<ActorKind> {
        ActorKind::ALL.into_iter().find(|k| k.as_type() == name)
    }
}

impl fmt::Display for ActorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_type())
    }
}

/// A reference to one local actor: its kind and its local id (a username for people).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActorRef {
    pub kind: ActorKind,
    pub id: String,
}

impl ActorRef {
    pub fn new(kind: ActorKind, id: impl Into<String>) -> Self {
        ActorRef {
            kind,
            id: id.into(),
        }
    }

    /// Parses a tree name `<kind>/<id>` back into a reference.
    pub fn from_tree_name(name: &str) -> Option<ActorRef> {
        let (kind, id) = name.split_once('/')?;
        let kind = ActorKind::ALL
            .into_iter()
            .find(|k| k.tree_prefix() == kind)?;
        is_valid_local_id(id).then(|| ActorRef::new(kind, id))
    }

    /// The actor's name `<kind>/<id>`, used as its key in the instance's indexes. (Its data is
    /// the keyspace `<id> 0x00 ...` of its kind's tree: see `storage::keyspace`.)
    pub fn tree_name(&self) -> String {
        format!("{}/{}", self.kind.tree_prefix(), self.id)
    }
}

impl fmt::Display for ActorRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind.tree_prefix(), self.id)
    }
}

/// True when `id` is a valid local id: 1 to 32 of `[a-z0-9_-]`.
pub fn is_valid_local_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 32
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_round_trip() {
        for k in ActorKind::ALL {
            assert_eq!(ActorKind::from_path_segment(k.path_segment()), Some(k));
            assert_eq!(ActorKind::from_type(k.as_type()), Some(k));
        }
        assert_eq!(ActorKind::from_path_segment("nope"), None);
    }

    #[test]
    fn local_ids() {
        assert!(is_valid_local_id("alice_1-x"));
        assert!(!is_valid_local_id(""));
        assert!(!is_valid_local_id("Alice"));
        assert!(!is_valid_local_id("a/b"));
        assert!(!is_valid_local_id(&"a".repeat(33)));
        assert!(is_valid_local_id(&"a".repeat(32)));
    }
}
