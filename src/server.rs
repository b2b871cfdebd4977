//! Server start-up and shutdown: opens the store, starts the actor arbiters, the registry and its
//! idle sweeper, and the HTTP server. `run` serves inside the current actix System (the binary);
//! `spawn` runs an instance on its own thread and System (tests run several in one process).

use crate::error::{Error, Result};
use crate::federation::delivery::Delivery;
use crate::federation::fetch::Fetcher;
use crate::federation::keys::KeyStore;
use crate::federation::remote::RemoteActors;
use crate::federation::state::FederationState;
use crate::http::{self, AppState};
use crate::settings::Settings;
use actix_web::{web, App, HttpServer};
use actors::outbound::Outbound;
use actors::{Accounts, Registry, Store, Urls};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

/// Number of arbiters (threads) the actors run on.
const ACTOR_ARBITERS: usize = 2;

/// Sockets to serve on. Tests bind port 0 themselves so they know `public_url` in advance.
pub struct Listeners {
    pub http: TcpListener,
    pub ssh: TcpListener,
}

impl Listeners {
    /// Binds the addresses named in the settings.
    pub fn bind(settings: &Settings) -> Result<Listeners> {
        let http = TcpListener::bind(settings.http.bind).map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!("cannot listen on {} ([http] bind): {e}", settings.http.bind),
            ))
        })?;
        let ssh = TcpListener::bind(settings.ssh.bind).map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!("cannot listen on {} ([ssh] bind): {e}", settings.ssh.bind),
            ))
        })?;
        Ok(Listeners { http, ssh })
    }
}

/// Handles of a started server, given to the caller once it is listening.
#[derive(Clone)]
pub struct Started {
    pub http_addr: SocketAddr,
    pub ssh_addr: SocketAddr,
    pub handle: actix_web::dev::ServerHandle,
    pub registry: Registry,
}

/// Serves until the HTTP server stops (by signal, or through `Started::handle`), then stops the
/// actors and flushes the store. Must run inside an actix System.
pub async fn run(
    settings: Settings,
    listeners: Listeners,
    handle_signals: bool,
    on_started: impl FnOnce(Started),
) -> Result<()> {
    let settings = Arc::new(settings);
    let repos = settings.storage.repos_dir();
    std::fs::create_dir_all(&settings.storage.path)?;
    std::fs::create_dir_all(&repos)?;
    crate::storage_faults::clean_incoming_leftovers(&repos)?;
    let disk = crate::disk_guard::DiskGuard::new(
        vec![settings.storage.path.clone(), repos.clone()],
        settings.storage.min_free_mb,
    );
    disk.refresh();
    let cache_bytes = settings.storage.cache_mb.saturating_mul(1024 * 1024);
    let store =
        Store::open_with_cache(&settings.storage.path, Some(cache_bytes)).map_err(|e| match e {
            damaged @ actors::ActorError::Damaged { .. } => Error::Actor(damaged),
            e => Error::Io(std::io::Error::other(format!(
                "cannot open the store at {} ([storage] path): {e}",
                settings.storage.path.display()
            ))),
        })?;
    let urls = Urls::new(settings.public_url.clone());
    let instance_key = crate::instance::load_or_create_key(&store).await?;
    let arbiters: Vec<actix::Arbiter> =
        (0..ACTOR_ARBITERS).map(|_| actix::Arbiter::new()).collect();
    let outbound = Outbound::open(&store)?;
    let env = actors::core::Env {
        store: store.clone(),
        urls: urls.clone(),
        outbound: outbound.clone(),
        repos: Arc::new(repos.clone()),
        push_timeout: Duration::from_secs(settings.ssh.push_timeout_secs),
    };
    let registry = Registry::new(
        env,
        arbiters.iter().map(|a| a.handle()).collect(),
        Duration::from_secs(settings.actors.idle_timeout_secs),
    );
    let sweeper = {
        let registry = registry.clone();
        let period = (registry.idle_timeout() / 2)
            .clamp(Duration::from_millis(100), Duration::from_secs(30));
        actix_rt::spawn(async move {
            let mut tick = tokio::time::interval(period);
            loop {
                tick.tick().await;
                registry.passivate_idle();
            }
        })
    };
    let fetcher = Arc::new(Fetcher::new(
        instance_key.clone(),
        urls.instance_key_id(),
        settings.federation.allow_private_addresses,
    )?);
    let blocks = crate::federation::blocks::Blocks::new(
        store.clone(),
        settings.federation.blocked_hosts.clone(),
    );
    let keys = KeyStore::new(
        store.clone(),
        urls.clone(),
        registry.clone(),
        fetcher.clone(),
        instance_key.public_pem(),
    )?;
    let delivery = actix_rt::spawn(
        Delivery::new(
            outbound,
            registry.clone(),
            fetcher.clone(),
            RemoteActors::new(
                store.clone(),
                fetcher.clone(),
                Duration::from_secs(settings.federation.fetch_failure_ttl_secs),
            ),
            settings.federation.clone(),
            blocks.clone(),
        )
        .run(),
    );
    {
        let registry = registry.clone();
        actix_rt::spawn(async move { registry.resume_pending().await });
    }
    let accounts = Accounts::with_token_days(store.clone(), settings.accounts.token_expiry_days);
    crate::http::accounts::at_start(&settings, &accounts).await?;
    let state = web::Data::new(AppState {
        settings: settings.clone(),
        urls: urls.clone(),
        registry: registry.clone(),
        accounts,
        account_limits: crate::http::account_limits::AccountLimits::new(&settings.accounts),
        instance_key,
        federation: FederationState {
            urls: urls.clone(),
            registry: registry.clone(),
            keys,
            fetcher: fetcher.clone(),
            blocks,
            rate_limit: crate::federation::ratelimit::RateLimit::new(
                settings.federation.inbox_requests_per_minute,
            ),
            trusted_proxies: settings.http.trusted_proxies.clone(),
            max_skew: Duration::from_secs(settings.federation.signature_max_skew_secs),
        },
        clone_slots: http::git_stream::CloneSlots::new(
            settings.http.max_concurrent_clones,
            Duration::from_secs(settings.http.clone_wait_secs),
        ),
        disk: disk.clone(),
    });
    let http_addr = listeners.http.local_addr()?;
    let ssh_addr = listeners.ssh.local_addr()?;
    let host_key = crate::ssh::host_key::load_or_create(&store)?;
    let ssh_ctx = crate::ssh::SshContext {
        registry: registry.clone(),
        keys: actors::ssh_keys::SshKeys::new(store.clone()),
        urls: urls.clone(),
        remote_keys: crate::ssh::remote_keys::RemoteKeys {
            index: actors::remote_ssh_keys::RemoteSshKeys::new(store.clone()),
            fetcher: fetcher.clone(),
        },
        push_timeout: Duration::from_secs(settings.ssh.push_timeout_secs),
        limits: crate::ssh::SshLimits::from_settings(&settings.ssh),
        disk: disk.clone(),
    };
    let ssh = actix_rt::spawn(async move {
        if let Err(e) = crate::ssh::serve(listeners.ssh, host_key, ssh_ctx).await {
            tracing::error!(error = %e, "the SSH server stopped");
        }
    });
    let nofile = crate::limits::raise_nofile_limit();
    let cap = crate::limits::connection_cap(settings.http.max_connections, nofile);
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, cap);
    let connections = crate::limits::ConnectionCount::new(cap);
    tracing::info!(
        open_file_limit = nofile,
        max_connections = cap,
        "HTTP connections capped below the open-file limit"
    );
    let deadline = http::body_deadline::BodyDeadline::new(
        Duration::from_secs(settings.http.body_timeout_secs),
        Duration::from_secs(settings.ssh.push_timeout_secs),
    );
    let full_disk = crate::storage_faults::FullDiskLog::default();
    let disk_watch = disk.watch(crate::disk_guard::WATCH_PERIOD);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
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
    .listen(listeners.http)?;
    if !handle_signals {
        server = server.disable_signals();
    }
    let server = server.run();
    tracing::info!(%http_addr, public_url = %settings.public_url, "orchard is serving");
    on_started(Started {
        http_addr,
        ssh_addr,
        handle: server.handle(),
        registry: registry.clone(),
    });
    let served = server.await;
    sweeper.abort();
    disk_watch.abort();
    delivery.abort();
    ssh.abort();
    shutdown_actors(&registry).await;
    for a in arbiters {
        a.stop();
        let _ = a.join();
    }
    store.flush().await?;
    // The next start then checks the whole content; failing that, it checks less (logged).
    let closing = store.clone();
    match tokio::task::spawn_blocking(move || closing.close_clean()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            tracing::error!(error = %e, "recording the clean stop of the database failed")
        }
        Err(e) => tracing::error!(error = %e, "recording the clean stop of the database failed"),
    }
    served?;
    Ok(())
}

/// Passivates every actor and waits (bounded) until all have stopped.
async fn shutdown_actors(registry: &Registry) {
    registry.passivate_all();
    for _ in 0..100 {
        if registry.active_count() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tracing::warn!(
        remaining = registry.active_count(),
        "actors still running at shutdown"
    );
}

fn tracing_actix() -> actix_web::middleware::Logger {
    actix_web::middleware::Logger::new("%a \"%r\" %s %b %Dms")
}

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
