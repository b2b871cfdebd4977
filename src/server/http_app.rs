//! The HTTP server of an instance: the `AppState` its handlers reach, its workers and connection cap (below the open-file limit),
//! the middleware (body deadline, full-disk log, write guard, access log) around the routes,
//! and the client timeouts.

use super::storage::Storage;
use crate::disk_guard::DiskGuard;
use crate::error::Result;
use crate::federation::state::FederationState;
use crate::http::account_limits::AccountLimits;
use crate::http::git_stream::CloneSlots;
use crate::http::repo_reads::RepoReads;
use crate::http::{self, AppState};
use crate::settings::Settings;
use actix_web::{web, App, HttpServer};
use actors::browse::pool::RepoPool;
use actors::{Accounts, KeyPair, Registry};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

/// Open repository handles kept between reads of code, in all (each caches at most 16 MB: see
/// `actors::browse::revision::open`).
const IDLE_REPOSITORY_HANDLES: usize = 16;

/// What every handler reaches.
pub fn state(
    settings: &Arc<Settings>,
    storage: &Storage,
    registry: &Registry,
    accounts: Accounts,
    instance_key: KeyPair,
    federation: FederationState,
    (metrics, probes): (crate::metrics::Metrics, crate::metrics::Probes),
) -> web::Data<AppState> {
    web::Data::new(AppState {
        settings: settings.clone(),
        urls: registry.urls().clone(),
        registry: registry.clone(),
        accounts,
        account_limits: AccountLimits::new(&settings.accounts),
        instance_key,
        federation,
        clone_slots: CloneSlots::new(
            settings.http.max_concurrent_clones,
            Duration::from_secs(settings.http.clone_wait_secs),
        ),
        disk: storage.disk.clone(),
        lookups: crate::buckets::Buckets::new(
            settings.federation.lookups_per_minute_per_person,
            Duration::from_secs(60),
        ),
        repos: RepoReads::new(
            RepoPool::new(IDLE_REPOSITORY_HANDLES, read_slots()),
            read_slots(),
        ),
        metrics,
        probes,
    })
}

/// The HTTP server listening on `listener`, running (it serves once awaited); it stops on
/// SIGINT/SIGTERM only with `handle_signals`.
pub fn build(
    settings: &Settings,
    state: web::Data<AppState>,
    disk: &DiskGuard,
    listener: TcpListener,
    handle_signals: bool,
) -> Result<actix_web::dev::Server> {
    let (workers, cap) = workers_and_cap(settings);
    let connections = crate::limits::ConnectionCount::new(cap);
    let deadline = body_deadline(settings);
    let full_disk = crate::storage_faults::FullDiskLog::default();
    let disk = disk.clone();
    // The repository pages' grammars and kept pages, made once for every worker.
    let pages = crate::web::repo::app_data::PageData::new();
    let count = http::metrics::count(state.metrics.clone(), settings.metrics.enabled);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .configure(|cfg| pages.register(cfg))
            .wrap(deadline)
            .wrap(actix_web::middleware::from_fn({
                let log = full_disk.clone();
                move |req, next: actix_web::middleware::Next<_>| {
                    let log = log.clone();
                    async move {
                        let res = next.call(req).await?;
                        if res.status() == actix_web::http::StatusCode::INSUFFICIENT_STORAGE {
                            log.refused();
                        }
                        Ok::<_, actix_web::Error>(res)
                    }
                }
            }))
            // Outside the full-disk log: the guard logs its own transitions.
            .wrap(actix_web::middleware::from_fn(
                http::write_guard::refuse_when_low(disk.clone()),
            ))
            .wrap(tracing_actix())
            // Outermost: counts the status every other middleware answered.
            .wrap(actix_web::middleware::from_fn(count.clone()))
            .configure(http::configure)
            .default_service(web::to(http::not_found))
    })
    // Slow clients: headers within 10 s, a closing client within 5 s, idle keep-alive 30 s.
    .client_request_timeout(Duration::from_secs(10))
    .client_disconnect_timeout(Duration::from_secs(5))
    .keep_alive(Duration::from_secs(30))
    .shutdown_timeout(5)
    .workers(workers)
    .max_connections(cap.div_ceil(workers))
    .on_connect(move |_, ext| {
        ext.insert(std::rc::Rc::new(connections.opened()));
    })
    .listen(listener)?;
    if !handle_signals {
        server = server.disable_signals();
    }
    Ok(server.run())
}

/// `[http] body_timeout_secs` for request bodies, `[ssh] push_timeout_secs` for git's POSTs.
fn body_deadline(settings: &Settings) -> http::body_deadline::BodyDeadline {
    http::body_deadline::BodyDeadline::new(
        Duration::from_secs(settings.http.body_timeout_secs),
        Duration::from_secs(settings.ssh.push_timeout_secs),
    )
}

/// Worker threads, and the cap on open connections below the open-file limit.
fn workers_and_cap(settings: &Settings) -> (usize, usize) {
    let nofile = crate::limits::raise_nofile_limit();
    let cap = crate::limits::connection_cap(settings.http.max_connections, nofile);
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, cap);
    tracing::info!(
        open_file_limit = nofile,
        max_connections = cap,
        "HTTP connections capped below the open-file limit"
    );
    (workers, cap)
}

fn tracing_actix() -> actix_web::middleware::Logger {
    actix_web::middleware::Logger::new("%a \"%r\" %s %b %Dms")
}

/// Reads of code run at once: two per core (more would only share the cores, each on a handle
/// with colder caches).
fn read_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get() * 2)
}
