//! The admin socket's protocol: one JSON line each way. The request carries the admin command's
//! argv (as on the command line after `orchard admin`, without `--settings`), the client's
//! working directory and the password the client read (stdin or --password-file), never as an
//! argv item; the response carries the exit status and the text to print.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Longest request line, in bytes (its newline excluded).
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// How long the server waits for a request line, and for writing its response.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// Connections the server serves at once; a further one is answered "busy" at once.
pub const MAX_CONNECTIONS: usize = 4;

/// Exit status: done.
pub const OK: u8 = 0;
/// Exit status: the command failed (unknown account, no such block...).
pub const FAILED: u8 = 1;
/// Exit status: not run (bad usage, bad settings, a refused or malformed request, an instance
/// in a state the command cannot run in).
pub const REFUSED: u8 = 2;

/// What the client sends.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub argv: Vec<String>,
    pub cwd: String,
    pub password: Option<String>,
}

/// What the server answers; also what a command run on a stopped instance comes to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Response {
    pub status: u8,
    /// The text to print: on standard output when the status is 0, else on standard error.
    pub output: String,
}

impl Response {
    pub fn ok(output: impl Into<String>) -> Response {
        Response {
            status: OK,
            output: output.into(),
        }
    }

    pub fn failed(status: u8, message: impl std::fmt::Display) -> Response {
        Response {
            status,
            output: format!("orchard: {message}"),
        }
    }

    /// Prints the output where its status says, with a final newline.
    pub fn print(&self) {
        let text = self.output.trim_end_matches('\n');
        if text.is_empty() {
            return;
        }
        match self.status {
            OK => println!("{text}"),
            _ => eprintln!("{text}"),
        }
    }
}
