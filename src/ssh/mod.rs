//! The embedded SSH server (russh): people push and clone over SSH with a key they registered
//! through `POST /api/v1/ssh-keys`. Public-key authentication maps the key to its owner; the only
//! commands are `git-receive-pack` and `git-upload-pack` on a repository's IRI path, e.g.
//! `git clone ssh://git@host:2222/repos/tree-sim`. The SSH user name is not checked (`git` is the
//! expected one); the key alone says who the person is. The git work itself is done by the
//! Repository actor, which checks access (push needs `write`, clone needs `visit`).

pub mod admission;
pub mod command;
mod config;
pub mod context;
mod deadline;
pub mod fingerprint;
mod git;
mod handler;
pub mod host_key;
mod idle;
mod key_owner;
mod quickack;
pub mod remote_keys;
pub mod server;
pub mod sessions;

pub use context::{SshContext, SshLimits};
pub use fingerprint::fingerprint;
pub use server::serve;
