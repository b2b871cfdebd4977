//! The sockets an instance serves on: bound from `[http] bind` and `[ssh] bind`, or by the
//! caller (tests bind port 0 themselves so they know `public_url` in advance).

use crate::error::{Error, Result};
use crate::settings::Settings;
use std::net::TcpListener;

/// Sockets to serve on. Tests bind port 0 themselves so they know `public_url` in advance.
pub struct Listeners {
    pub http: TcpListener,
    pub ssh: TcpListener,
}

impl Listeners {
    /// Binds the addresses named in the settings.
    pub fn bind(settings: &Settings) -> Result<Listeners> {
        let http = TcpListener::bind(settings.http.bind).map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!("cannot listen on {} ([http] bind): {e}", settings.http.bind),
            ))
        })?;
        let ssh = TcpListener::bind(settings.ssh.bind).map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!("cannot listen on {} ([ssh] bind): {e}", settings.ssh.bind),
            ))
        })?;
        Ok(Listeners { http, ssh })
    }
}
