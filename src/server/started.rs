//! What the caller of `run` is given once the instance listens.

use actors::Registry;
use std::net::SocketAddr;

/// Handles of a started server, given to the caller once it is listening.
#[derive(Clone)]
pub struct Started {
    pub http_addr: SocketAddr,
    pub ssh_addr: SocketAddr,
    pub handle: actix_web::dev::ServerHandle,
    pub registry: Registry,
}
