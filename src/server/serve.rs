//! Serving an instance inside the current actix System (the binary; `running` wraps it for
//! tests): opens the storage, starts the actors, the federation side, the SSH server, the
//! HTTP server and the admin socket, and once the HTTP server stops, stops everything (`shutdown`).

use super::federation_side::Federation;
use super::listeners::Listeners;
use super::shutdown::{self, Background};
use super::started::Started;
use super::{actor_system, admin_socket, federation_side, http_app, ssh_side, storage};
use crate::cli::context::Live;
use crate::error::Result;
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
    let federation = federation_side::start(
        &settings,
        &store,
        &registry,
        (actors.delivery.clone(), actors.git_jobs),
        &instance_key,
    )?;
    actor_system::resume_pending(&registry);
    let accounts = Accounts::with_token_days(store.clone(), settings.accounts.token_expiry_days);
    crate::http::accounts::at_start(&settings, &accounts).await?;
    let admin = admin_socket::start(&settings, live(&federation, &actors.delivery, &accounts))?;
    let fetcher = federation.state.fetcher.clone();
    let state = http_app::state(
        &settings,
        &storage,
        &registry,
        accounts,
        instance_key,
        federation.state,
    );
    let (http_addr, ssh_addr) = (listeners.http.local_addr()?, listeners.ssh.local_addr()?);
    let ssh = ssh_side::start(&settings, &storage, &registry, fetcher, listeners.ssh)?;
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
    let background = Background {
        tasks: vec![actors.sweeper, disk_watch, federation.delivery, ssh],
        arbiters: actors.arbiters,
    };
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
