//! The `orchard` command line: its clap types (`args`), `run` (serve, or an admin command
//! through the admin socket or on a stopped instance), the admin socket's protocol and client,
//! and the admin commands themselves (`dispatch` runs one on a `Context`, for both transports);
//! `backup`, `restore` and `check` (`backup`).

pub mod accounts;
pub mod admin;
pub mod args;
pub mod backup;
pub mod client;
pub mod context;
pub mod dispatch;
pub mod failure;
pub mod moderation;
pub mod protocol;
pub mod run;
pub mod serve;
pub mod table;

pub use args::Cli;
pub use run::run;
