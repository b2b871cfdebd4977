// SPDX-License-Identifier: AGPL-3.0-or-later
// Orchard, a federated software forge.

//! ActivityStreams 2.0 and ForgeFed vocabulary as serde types, plus WebFinger and NodeInfo.
//!
//! The types are tolerant where the fediverse varies: a reference may be an IRI or an embedded
//! object (`IriOrObject`, `ObjectRef`), `type` may be an array (`Types`), `publicKey` may be an
//! object, an array or an IRI, and activities may lack `id` and `@context` (Forgejo's `Like`).
//! Every document type keeps the keys it does not model in a flattened `extra` map, so a
//! document survives parse -> serialize unchanged. This crate knows nothing of storage or HTTP.
//!
//! Naming: the JSON-LD `@context` is the field `context` on `Actor` and `KeyOwner`, and
//! `context_ld` on every other type, where `context` is the ActivityStreams `context` property.

pub mod activity;
pub mod actor;
pub mod code_quote;
pub mod collection;
pub mod commit;
pub mod context;
pub mod key;
pub mod nodeinfo;
pub mod object;
pub mod one_or_many;
pub mod reference;
pub mod review;
pub mod role;
pub mod shape;
pub mod ticket;
pub mod webfinger;

pub use activity::Activity;
pub use actor::{Actor, Endpoints};
pub use code_quote::{Anchor, CodeQuote, DiffSide};
pub use collection::{OrderedCollection, OrderedCollectionPage};
pub use commit::{Branch, Commit};
pub use context::{
    default_context, is_activity_media_type, is_public, ACTIVITY_JSON, AS_CONTEXT,
    FORGEFED_CONTEXT, FORGEFED_NS, LD_JSON_AS, PUBLIC, SECURITY_CONTEXT,
};
pub use key::{KeyDocument, KeyOwner, PublicKey, PublicKeys};
pub use nodeinfo::{
    NodeInfo, NodeInfoLink, NodeInfoLinks, Services, Software, Usage, UsageUsers,
    NODEINFO_2_1_CONTENT_TYPE, NODEINFO_2_1_REL,
};
pub use object::{Object, Source};
pub use one_or_many::{has_type, OneOrMany, Types};
pub use reference::{HasId, IriOrObject, ObjectRef};
pub use review::{Review, ReviewStatus, ReviewThread};
pub use role::{Role, UnknownRole};
pub use ticket::Ticket;
pub use webfinger::{parse_acct, Jrd, JrdLink, JRD_JSON};
