//! What `GET /readyz` and the gauges of `GET /metrics` read when they are asked: the store (a
//! read of the instance key, the database's size on disk), the delivery queue's depth, the
//! registry's active actors, and the SSH listener (its socket listens and the SSH server's task
//! runs: `SshProbe`).

use super::registry::Gauges;
use actors::storage::delivery_queue::DeliveryQueue;
use actors::Registry;
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Whether the SSH server serves: a handle on its listening socket, and a flag its task holds
/// up while it runs (`SshRunning`).
#[derive(Clone)]
pub struct SshProbe {
    socket: Arc<TcpListener>,
    running: Arc<AtomicBool>,
}

/// Held by the SSH server's task: the probe says "running" from its making until its drop
/// (the task ended, failed or was aborted).
pub struct SshRunning(Arc<AtomicBool>);

impl Drop for SshRunning {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl SshProbe {
    /// A probe of `listener` (a second handle on the same socket); not running until
    /// `running` is called.
    pub fn new(listener: &TcpListener) -> std::io::Result<SshProbe> {
        Ok(SshProbe {
            socket: Arc::new(listener.try_clone()?),
            running: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Marks the SSH server running until the answer is dropped.
    pub fn running(&self) -> SshRunning {
        self.running.store(true, Ordering::SeqCst);
        SshRunning(self.running.clone())
    }

    /// Ok while the server runs and its socket listens; else why not.
    pub fn check(&self) -> Result<(), String> {
        if !self.running.load(Ordering::SeqCst) {
            return Err("the SSH server is not running".into());
        }
        match socket2::SockRef::from(&*self.socket).is_listener() {
            Ok(true) => Ok(()),
            Ok(false) => Err("the SSH socket is not listening".into()),
            Err(e) => Err(format!("the SSH socket cannot be checked: {e}")),
        }
    }
}

/// The sources of readiness and of the gauges.
#[derive(Clone)]
pub struct Probes {
    pub registry: Registry,
    pub delivery: DeliveryQueue,
    pub ssh: SshProbe,
}

impl Probes {
    /// Ok when the store answers a read (the instance key is there) and SSH listens; else the
    /// reason. Blocking (a store read): call off the async threads.
    pub fn ready(&self) -> Result<(), String> {
        match crate::instance::key_present(self.registry.store()) {
            Ok(true) => {}
            Ok(false) => return Err("the store has no instance key".into()),
            Err(e) => {
                tracing::warn!(error = %e, "readiness: the store does not answer");
                return Err("the store does not answer".into());
            }
        }
        self.ssh.check()
    }

    /// The gauges now. Blocking (it counts the queue's jobs): call off the async threads.
    pub fn gauges(&self) -> Gauges {
        let store_bytes = self.registry.store().size_on_disk().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot read the database's size for the metrics");
            0
        });
        Gauges {
            queue_depth: self.delivery.pending_jobs() as u64,
            active_actors: self.registry.active_count() as u64,
            store_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_is_ready_only_while_listening_and_running() {
        let listening = TcpListener::bind("127.0.0.1:0").unwrap();
        let probe = SshProbe::new(&listening).unwrap();
        assert_eq!(probe.check(), Err("the SSH server is not running".into()));
        let running = probe.running();
        assert_eq!(probe.check(), Ok(()));
        drop(running);
        assert!(probe.check().is_err());

        // Bound but never listening: what a server whose SSH socket failed would hold.
        let socket =
            socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
        let addr: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
        socket.bind(&addr.into()).unwrap();
        let bound: TcpListener = socket.into();
        let probe = SshProbe::new(&bound).unwrap();
        let _running = probe.running();
        assert_eq!(probe.check(), Err("the SSH socket is not listening".into()));
    }
}
