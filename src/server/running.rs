//! An instance on a thread of its own, with its own actix System (tests run several in one
//! process): started once it listens, stopped gracefully on `stop` or drop.

use super::listeners::Listeners;
use super::serve::run;
use crate::error::{Error, Result};
use crate::settings::Settings;
use actors::Registry;
use std::net::SocketAddr;

/// An instance running on its own thread, with its own actix System.
pub struct RunningServer {
    pub http_addr: SocketAddr,
    pub ssh_addr: SocketAddr,
    pub registry: Registry,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<Result<()>>>,
}

impl RunningServer {
    /// Starts an instance on a new thread and returns once it is listening.
    pub fn spawn(settings: Settings, listeners: Listeners) -> Result<RunningServer> {
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("orchard-instance".into())
            .spawn(move || {
                let system = actix_rt::System::new();
                let result = system.block_on(run(settings, listeners, false, move |s| {
                    let _ = tx.send(s);
                }));
                actix_rt::System::current().stop();
                result
            })?;
        match rx.recv() {
            Ok(started) => Ok(RunningServer {
                http_addr: started.http_addr,
                ssh_addr: started.ssh_addr,
                registry: started.registry,
                handle: started.handle,
                thread: Some(thread),
            }),
            Err(_) => match thread.join() {
                Ok(Err(e)) => Err(e),
                _ => Err(Error::Io(std::io::Error::other(
                    "server thread failed to start",
                ))),
            },
        }
    }

    /// Stops the instance gracefully and waits until its store is closed.
    pub fn stop(mut self) -> Result<()> {
        self.stop_inner()
    }

    fn stop_inner(&mut self) -> Result<()> {
        let Some(thread) = self.thread.take() else {
            return Ok(());
        };
        let handle = self.handle.clone();
        // The stop future must be polled by a runtime; a small one on a thread of its own works
        // whether or not the caller is inside a runtime (tests drop servers inside one).
        std::thread::spawn(move || -> Result<()> {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
                .block_on(handle.stop(true));
            Ok(())
        })
        .join()
        .map_err(|_| Error::Io(std::io::Error::other("server stop panicked")))??;
        thread
            .join()
            .map_err(|_| Error::Io(std::io::Error::other("server thread panicked")))?
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.stop_inner();
    }
}
