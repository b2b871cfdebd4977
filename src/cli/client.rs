//! The client side of the admin socket: sends one request to the running server and reads its
//! answer, or says that no server answers there (the command then runs on the stopped
//! instance's store).

use super::failure::Failure;
use super::protocol::{Request, Response};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

/// How long the client waits for the server to run a command and answer (`backup` excepted).
const ANSWER_WAIT: Duration = Duration::from_secs(120);

/// What came of trying the socket.
pub enum Reached {
    /// The running server ran the command.
    Answered(Response),
    /// No server answers on the socket (why, for the message).
    NoServer(&'static str),
}

/// Sends `request` to the server listening on `socket`, if one does.
pub fn send(socket: &Path, request: &Request) -> Result<Reached, Failure> {
    let mut stream = match UnixStream::connect(socket) {
        Ok(s) => s,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Ok(Reached::NoServer("there is no socket file"))
        }
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
            return Ok(Reached::NoServer("nothing listens on it"))
        }
        Err(e) if e.kind() == ErrorKind::PermissionDenied => {
            return Err(Failure::refused(format!(
                "cannot connect to the admin socket {}: {e} (run orchard admin as the server's \
                 user or as root)",
                socket.display()
            )))
        }
        Err(e) => {
            return Err(Failure::refused(format!(
                "cannot connect to the admin socket {}: {e}",
                socket.display()
            )))
        }
    };
    let fail =
        |e: std::io::Error| Failure::refused(format!("the admin socket {}: {e}", socket.display()));
    // A backup takes as long as the instance is big: its answer is waited for without a limit.
    let wait = match request.argv.first().map(String::as_str) {
        Some("backup") => None,
        _ => Some(ANSWER_WAIT),
    };
    stream
        .set_read_timeout(wait)
        .and_then(|_| stream.set_write_timeout(Some(super::protocol::DEADLINE)))
        .map_err(fail)?;
    let mut line = serde_json::to_vec(request).map_err(Failure::other)?;
    line.push(b'\n');
    // A server refusing the peer answers without reading: its answer still arrives.
    let written = stream.write_all(&line);
    // Until the end, or a reset after the answer (a server refusing before reading it all).
    let (mut answer, mut chunk) = (Vec::new(), [0u8; 4096]);
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if answer.is_empty() => return Err(fail(written.err().unwrap_or(e))),
            Err(_) => break,
        }
    }
    if let (Err(e), true) = (written, answer.is_empty()) {
        return Err(fail(e));
    }
    let response: Response = serde_json::from_slice(answer.trim_ascii_end()).map_err(|_| {
        Failure::refused(format!(
            "the admin socket {} gave no valid answer (it closed the connection)",
            socket.display()
        ))
    })?;
    Ok(Reached::Answered(response))
}
