//! Storage: the narrow storage trait (`engine`) and its engines (`sled_engine`, `memory`), the
//! database handle (`store`), each actor's keyspace (`keyspace`), the group commit (`flush`),
//! and every key prefix with its layout (`layout`).

pub mod codec;
pub mod engine;
pub mod flush;
pub mod keyspace;
pub mod layout;
pub mod memory;
pub mod sizes;
pub mod sled_engine;
pub mod sled_open;
pub mod store;
pub mod tree;
pub mod window;
