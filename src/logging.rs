//! Logging: the tracing subscriber `[log] format` asks for, filtered by `RUST_LOG` (default
//! `info`): human-readable lines (`text`, with the fields of the spans around each event, e.g.
//! `activity{actor=... activity=... recipient=...}`), or one JSON object a line (`json`, the
//! event's fields at the top level and its spans' fields under `span` and `spans`). Also the
//! server's start-up and fatal lines, in the same format.

use crate::settings::{LogFormat, LogSettings};
use std::fmt::Display;

/// Installs the subscriber for the whole process (once; a second call changes nothing).
pub fn init(settings: &LogSettings) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let installed = match settings.format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(true)
            .try_init(),
    };
    if let Err(e) = installed {
        eprintln!("orchard: logging was already set up: {e}");
    }
}

/// The line saying the server serves: plain text on standard output, or a JSON log event.
pub fn started(format: LogFormat, http_addr: std::net::SocketAddr, public_url: &url::Url) {
    match format {
        LogFormat::Text => {
            println!("orchard: HTTP listening on http://{http_addr} (public URL {public_url})")
        }
        LogFormat::Json => tracing::info!(
            http = %format!("http://{http_addr}"),
            public_url = %public_url,
            "HTTP listening"
        ),
    }
}

/// The line saying why the server stops: on standard error, or a JSON log event.
pub fn fatal(format: LogFormat, error: &dyn Display) {
    match format {
        LogFormat::Text => eprintln!("orchard: {error}"),
        LogFormat::Json => tracing::error!(error = %error, "orchard stopped"),
    }
}
