//! The messages every actor type handles (the handlers are `runtime::resource`). Type-specific
//! messages live beside their actor.

use crate::base::error::Result;
use crate::base::keys::KeyPair;
use crate::publish::audience::Reader;
use actix::prelude::*;
use serde_json::Value;
use url::Url;

/// Asks an actor for its JSON-LD actor document.
#[derive(Message)]
#[rtype(result = "Result<schema::Actor>")]
pub struct GetDocument;

/// Tells an idle actor to stop; the registry sends it and activates a fresh one on next use.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Passivate;

/// An activity for this actor's inbox, from a remote server (already verified) or from a local
/// actor. The actor stores it (unless its id was seen before) through the group commit and
/// answers once it is durable (a duplicate too); it processes it afterwards.
#[derive(Message)]
#[rtype(result = "Result<Received>")]
pub struct Receive {
    /// The activity as received.
    pub activity: Value,
    /// Its id, or a stable id derived from its content when it has none.
    pub id: String,
}

/// What became of a received activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Stored in the inbox under this sequence number; it will be processed.
    Stored(u64),
    /// An activity with this id was received before: nothing changed.
    Duplicate,
}

/// Processes the stored, not yet processed inbox items (sent after a restart too).
#[derive(Message)]
#[rtype(result = "Result<usize>")]
pub struct ProcessInbox;

/// A local person (or the actor itself) publishes an activity through its outbox (C2S): the actor
/// gives it an id, stores it, applies its own side of it and routes it to its recipients.
/// Answers the activity's id.
#[derive(Message)]
#[rtype(result = "Result<Url>")]
pub struct PostOutbox(pub Value);

/// Asks an actor for its signing key (used by delivery).
#[derive(Message)]
#[rtype(result = "Result<KeyPair>")]
pub struct GetSigningKey;

/// Asks an actor for one of its collections, as an OrderedCollection or one of its pages.
#[derive(Message)]
#[rtype(result = "Result<Value>")]
pub struct GetCollection {
    /// `inbox`, `outbox`, `followers` or `following` (types may add more).
    pub name: String,
    /// None for the collection itself, Some(n >= 1) for page n.
    pub page: Option<u64>,
    /// Who asks: the owner reads the inbox and the whole outbox; others see the outbox items
    /// they may read (see `audience`).
    pub reader: Reader,
}

/// Asks an actor for one activity it published, by the last segment of its id, whoever may
/// read it: for the server's own use. What is served goes through `ReadActivity`.
#[derive(Message)]
#[rtype(result = "Result<Value>")]
pub struct GetActivity(pub String);

/// Asks an actor for one activity it published, as served to `reader` (see `audience`):
/// NotFound when the reader may not read it, as when it does not exist.
#[derive(Message)]
#[rtype(result = "Result<Value>")]
pub struct ReadActivity {
    /// The last segment of its id.
    pub local_id: String,
    pub reader: Reader,
}
