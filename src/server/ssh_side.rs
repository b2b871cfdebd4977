//! Starting the SSH server of an instance: its host key (created once), the `SshContext` it
//! needs, and the task serving the SSH listener (holding the readiness probe's `SshRunning`).

use super::storage::Storage;
use crate::error::Result;
use crate::federation::fetch::Fetcher;
use crate::metrics::{probes::SshRunning, Metrics};
use crate::settings::Settings;
use crate::ssh::{remote_keys::RemoteKeys, SshContext, SshLimits};
use actors::Registry;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

/// Serves SSH on `listener` in a task of its own; answers the task.
pub fn start(
    settings: &Settings,
    storage: &Storage,
    registry: &Registry,
    listener: TcpListener,
    (fetcher, metrics, running): (Arc<Fetcher>, Metrics, SshRunning),
) -> Result<actix_rt::task::JoinHandle<()>> {
    let store = &storage.store;
    let host_key = crate::ssh::host_key::load_or_create(store)?;
    let ctx = SshContext {
        registry: registry.clone(),
        keys: actors::ssh_keys::SshKeys::new(store.clone()),
        urls: registry.urls().clone(),
        remote_keys: RemoteKeys {
            index: actors::remote_ssh_keys::RemoteSshKeys::new(store.clone()),
            fetcher,
        },
        push_timeout: Duration::from_secs(settings.ssh.push_timeout_secs),
        limits: SshLimits::from_settings(&settings.ssh),
        disk: storage.disk.clone(),
        metrics,
    };
    Ok(actix_rt::spawn(async move {
        // `/readyz` says SSH is up while this task runs.
        let _running = running;
        if let Err(e) = crate::ssh::serve(listener, host_key, ctx).await {
            tracing::error!(error = %e, "the SSH server stopped");
        }
    }))
}
