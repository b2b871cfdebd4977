//! The storage layer, above `base`: the narrow storage trait (`engine`) and its engines
//! (`sled_engine` with `sled_open`, `memory`), the database handle (`store`), ordered trees and
//! cursor reads (`tree`, `window`), each actor's keyspace (`keyspace`), the group commit
//! (`flush`), every key prefix with its layout (`layout`), value encoding (`codec`), collection
//! sizes kept beside their items (`sizes`), bodies stored once (`bodies`), the durable queue of
//! deliveries (`delivery_queue`), the clean-shutdown marker (`integrity`), the write gate that
//! holds writes for a consistent dump (`gate`) and the dump itself (`export`).

pub mod bodies;
pub mod codec;
pub mod delivery_queue;
pub mod engine;
pub mod export;
pub mod flush;
pub mod gate;
pub mod integrity;
pub mod keyspace;
pub mod layout;
pub mod memory;
pub mod sizes;
pub mod sled_engine;
pub mod sled_open;
pub mod store;
pub mod tree;
pub mod window;
