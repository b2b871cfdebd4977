//! Transport-neutral plumbing for git sessions: the byte channels between a client connection
//! (SSH or HTTP, in the server crate) and a `git receive-pack` / `git upload-pack` child process
//! run by the Repository actor.

use tokio::sync::mpsc;

/// Bytes flowing between a transport and a git child process. Closing `stdin` (dropping its
/// sender) is end of input; the actor closes `stdout`/`stderr` when the child has exited.
pub struct GitIo {
    /// From the client, to the child's stdin.
    pub stdin: mpsc::Receiver<Vec<u8>>,
    /// From the child's stdout, to the client.
    pub stdout: mpsc::Sender<Vec<u8>>,
    /// From the child's stderr (and Orchard's own messages), to the client.
    pub stderr: mpsc::Sender<Vec<u8>>,
}

/// The client side of a `GitIo`.
pub struct GitIoClient {
    pub stdin: mpsc::Sender<Vec<u8>>,
    pub stdout: mpsc::Receiver<Vec<u8>>,
    pub stderr: mpsc::Receiver<Vec<u8>>,
}

/// A connected pair: give `GitIo` to the actor, keep `GitIoClient`.
pub fn pair() -> (GitIo, GitIoClient) {
    let (in_tx, in_rx) = mpsc::channel(64);
    let (out_tx, out_rx) = mpsc::channel(64);
    let (err_tx, err_rx) = mpsc::channel(64);
    (
        GitIo {
            stdin: in_rx,
            stdout: out_tx,
            stderr: err_tx,
        },
        GitIoClient {
            stdin: in_tx,
            stdout: out_rx,
            stderr: err_rx,
        },
    )
}
