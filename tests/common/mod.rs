//! The test harness: real Orchard instances in this process, each on its own port-0 listener
//! with a temporary data directory, reached over real HTTP.
// Each test binary uses a part of the harness: the rest is unused there, re-exports included.
#![allow(dead_code, unused_imports)]

pub mod activities;
pub mod browser;
pub mod client;
pub mod fake_server;
pub mod forge;
pub mod git;
pub mod instance;
pub mod process;
pub mod remote;
pub mod requests;
pub mod settings;
pub mod tmpfs;
pub mod trackers;

pub use client::{client, client_from, eventually};
pub use instance::Instance;
pub use settings::settings_text;
