//! Server start-up and shutdown: opens the storage, starts the actor arbiters, the registry and
//! its idle sweeper, the federation side, the SSH server, the HTTP server and the admin socket
//! (`serve::run`), and
//! stops them in order (`shutdown`). `run` serves inside the current actix System (the binary);
//! `RunningServer::spawn` runs an instance on its own thread and System (tests run several in
//! one process).

mod actor_system;
pub mod admin_socket;
mod federation_side;
mod http_app;
pub mod listeners;
pub mod running;
pub mod serve;
mod shutdown;
mod ssh_side;
pub mod started;
mod storage;

pub use listeners::Listeners;
pub use running::RunningServer;
pub use serve::run;
pub use started::Started;
