//! Serving an instance inside the current actix System (the binary; `running` wraps it for
//! tests): opens the storage, starts the actors, the metrics and probes, the federation side,
//! the SSH server, the HTTP server and the admin socket, and once the HTTP server stops, stops
//! everything (`shutdown`).

use super::federation_side::Federation;
use super::listeners::Listeners;
use super::shutdown::{self, Background};
use super::started::Started;
use super::{actor_system, admin_socket, federation_side, http_app, ssh_side, storage};
use crate::cli::context::Live;
use crate::error::Result;
use crate::metrics::{probes::SshRunning, Metrics, Probes};
use crate::settings::Settings;
use actors::storage::delivery_queue::DeliveryQueue;
use actors::{Accounts, Urls};
use std::sync::Arc;

/// Serves until the HTTP server stops (by signal, or through `Started::handle`), then stops the
/// actors and flushes the store. Must run inside an actix System.
pub async fn run(
    settings: Settings,
    listeners: Listeners,
    handle_signals: bool,
    on_started: impl FnOnce(Started),
) -> Result<()> {
    let settings = Arc::new(settings);
    let storage = storage::open(&settings)?;
    let store = storage.store.clone();
    let ssh_port = listeners.ssh.local_addr()?.port();
    let urls = Urls::new(settings.public_url.clone()).with_ssh_port(ssh_port);
    let instance_key = crate::instance::load_or_create_key(&store).await?;
    let actors = actor_system::start(&settings, &storage, &urls)?;
    let registry = actors.registry.clone();
    let (metrics, probes, ssh_up) = observed(&actors, &listeners.ssh)?;
    let federation = federation_side::start(
        &settings,
        &store,
        &registry,
        (actors.delivery.clone(), actors.git_jobs),
        (&instance_key, &metrics),
    )?;
    actor_system::resume_pending(&registry);
    let accounts = Accounts::with_token_days(store.clone(), settings.accounts.token_expiry_days);
    crate::http::accounts::at_start(&settings, &accounts).await?;
    let admin = admin_socket::start(&settings, live(&federation, &actors.delivery, &accounts))?;
    let ssh_ops = (federation.state.fetcher.clone(), metrics.clone(), ssh_up);
    let state = http_app::state(
        &settings,
        &storage,
        &registry,
        accounts,
        instance_key,
        federation.state,
        (metrics, probes),
    );
    let (http_addr, ssh_addr) = (listeners.http.local_addr()?, listeners.ssh.local_addr()?);
    let ssh = ssh_side::start(&settings, &storage, &registry, listeners.ssh, ssh_ops)?;
    let disk_watch = storage.disk.watch(crate::disk_guard::WATCH_PERIOD);
    let server = http_app::build(
        &settings,
        state,
        &storage.disk,
        listeners.http,
        handle_signals,
    )?;
    tracing::info!(%http_addr, public_url = %settings.public_url, "orchard is serving");
    on_started(Started {
        http_addr,
        ssh_addr,
        handle: server.handle(),
        registry: registry.clone(),
    });
    let served = server.await;
    drop(admin);
    let tasks = vec![actors.sweeper, disk_watch, federation.delivery, ssh];
    let background = Background::new(tasks, actors.arbiters);
    shutdown::stop(background, &registry, &store).await?;
    Ok(served?)
}

/// The running server's parts the admin socket's commands use.
fn live(federation: &Federation, delivery: &DeliveryQueue, accounts: &Accounts) -> Live {
    Live {
        registry: federation.state.registry.clone(),
        blocks: federation.state.blocks.clone(),
        delivery: delivery.clone(),
        accounts: accounts.clone(),
    }
}

/// The server's metrics, the probes `/readyz` and the gauges read, and the SSH server's
/// `SshRunning` (held by its task).
fn observed(
    actors: &actor_system::ActorSystem,
    ssh: &std::net::TcpListener,
) -> Result<(Metrics, Probes, SshRunning)> {
    let probes = Probes {
        registry: actors.registry.clone(),
        delivery: actors.delivery.clone(),
        ssh: crate::metrics::SshProbe::new(ssh)?,
    };
    let running = probes.ssh.running();
    Ok((Metrics::new(), probes, running))
}
