//! The actors of an instance: `ACTOR_ARBITERS` threads, the delivery queue, the registry (with
//! `[actors] idle_timeout_secs`) and its idle sweeper, the git-job channel (its jobs kept in the store until answered), and resuming
//! unprocessed inbox items.

use super::storage::Storage;
use crate::error::Result;
use crate::settings::Settings;
use actors::storage::delivery_queue::DeliveryQueue;
use actors::{Registry, Urls};
use std::sync::Arc;
use std::time::Duration;

/// Number of arbiters (threads) the actors run on.
const ACTOR_ARBITERS: usize = 2;

/// The running actor system.
pub struct ActorSystem {
    pub registry: Registry,
    pub arbiters: Vec<actix::Arbiter>,
    /// The queue the delivery worker drains.
    pub delivery: DeliveryQueue,
    /// The git jobs the actors submit, for the worker (`flows::git_jobs`, started by `serve`).
    pub git_jobs: actors::actor::git_jobs::GitJobReceiver,
    /// Passivates idle actors every half idle timeout (0.1 to 30 s).
    pub sweeper: actix_rt::task::JoinHandle<()>,
}

/// Starts the arbiters, the registry and its sweeper.
pub fn start(settings: &Settings, storage: &Storage, urls: &Urls) -> Result<ActorSystem> {
    let arbiters: Vec<actix::Arbiter> =
        (0..ACTOR_ARBITERS).map(|_| actix::Arbiter::new()).collect();
    let delivery = DeliveryQueue::open(&storage.store)?;
    let job_store = actors::actor::git_job_store::JobStore::new(storage.store.clone());
    let (git_jobs, git_job_receiver) = actors::actor::git_jobs::GitJobs::durable(job_store);
    let env = actors::actor::env::Env {
        store: storage.store.clone(),
        urls: urls.clone(),
        delivery: delivery.clone(),
        repos: Arc::new(storage.repos.clone()),
        push_timeout: Duration::from_secs(settings.ssh.push_timeout_secs),
        git_jobs,
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
    Ok(ActorSystem {
        registry,
        arbiters,
        delivery,
        sweeper,
        git_jobs: git_job_receiver,
    })
}

/// Processes, in the background, the inbox items stored but not processed before the last
/// stop. Call once the delivery worker runs.
pub fn resume_pending(registry: &Registry) {
    let registry = registry.clone();
    actix_rt::spawn(async move { registry.resume_pending().await });
}
