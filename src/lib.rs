//! The Orchard server: settings, the transports (HTTP in `http`, the web pages in `web`, SSH in `ssh`: they translate
//! requests into actor messages), federation (signatures, fetching, delivery), and start-up and
//! shutdown (`server`). The domain lives in the `actors` crate, the vocabulary in `schema`.

pub mod backup;
pub mod buckets;
pub mod cli;
pub mod client_addr;
pub mod disk_guard;
pub mod error;
pub mod federation;
pub mod host_blocks;
pub mod http;
pub mod instance;
pub mod limits;
pub mod logging;
pub mod metrics;
pub mod request_body;
pub mod server;
pub mod settings;
pub mod ssh;
pub mod storage_faults;
pub mod web;

pub use error::Error;
pub use server::{Listeners, RunningServer};
pub use settings::Settings;
