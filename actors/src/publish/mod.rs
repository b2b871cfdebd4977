//! The publish layer, above `data`: a local actor's outgoing activities get their ids, are
//! stored in its outbox and queued for delivery (`outbox`); who may read what it published
//! (`audience`); refusing a received activity with a Reject (`reject`).

pub mod audience;
pub mod outbox;
pub mod outbox_index;
pub mod reject;
