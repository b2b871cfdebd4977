//! The storage layer, above `base`: bodies stored once, and the durable queue of deliveries.
//! (The store itself, the actor keyspace, the group commit and the integrity marker are the
//! crate-root files `store`, `actor_tree`, `flush` and `integrity`, of the same layer.)

pub mod bodies;
pub mod delivery_queue;
