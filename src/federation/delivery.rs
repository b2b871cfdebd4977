//! The delivery worker: drains the durable delivery queue (`actors::storage::delivery_queue`).
//! Route jobs are split into local deliveries (`local_delivery`: through the recipient actor's
//! `Receive`, the same path as a remote inbox POST) and one job per remote inbox
//! (`delivery_jobs`: one per shared inbox when several recipients share it). Each job is POSTed
//! (`delivery_post`) signed by the sender's key; what an attempt came to is settled in
//! `delivery_attempt` (retried with exponential backoff and jitter until the horizon; a 4xx
//! other than 408/429 fails for good).
//! Jobs survive restarts because they leave the queue only when done.

use super::delivery_jobs::remote_jobs;
use super::delivery_post::{post, Outcome};
use super::fetch::Fetcher;
use super::local_delivery::deliver_locally;
use super::remote::{Budget, RemoteActors, Resolved};
use super::signature::sign_request;
use crate::error::{Error, Result};
use crate::settings::FederationSettings;
use actors::base::clock::now_ms;
use actors::messages::GetSigningKey;
use actors::storage::delivery_queue::{DeliveryQueue, Job, RouteJob};
use actors::{ActorRef, KeyPair, Registry, Urls};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use tracing::Instrument;
use url::Url;

/// Deliveries in flight at once, all hosts together.
const GLOBAL_CONCURRENCY: usize = 256;

/// Everything the worker needs. Cheap to clone.
#[derive(Clone)]
pub struct Delivery {
    pub(super) queue: DeliveryQueue,
    pub(super) registry: Registry,
    pub(super) urls: Urls,
    fetcher: Arc<Fetcher>,
    remotes: RemoteActors,
    pub(super) settings: FederationSettings,
    blocks: super::blocks::Blocks,
    pub(super) in_flight: Arc<Mutex<HashSet<u64>>>,
    hosts: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
    global: Arc<Semaphore>,
    keys: Arc<Mutex<HashMap<String, KeyPair>>>,
    /// Counts failed attempts by host (`orchard_delivery_failures_total`).
    pub(super) metrics: crate::metrics::Metrics,
}

pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

impl Delivery {
    pub fn new(
        queue: DeliveryQueue,
        registry: Registry,
        fetcher: Arc<Fetcher>,
        remotes: RemoteActors,
        settings: FederationSettings,
        (blocks, metrics): (super::blocks::Blocks, crate::metrics::Metrics),
    ) -> Delivery {
        Delivery {
            blocks,
            metrics,
            urls: registry.urls().clone(),
            queue,
            registry,
            fetcher,
            remotes,
            settings,
            in_flight: Default::default(),
            hosts: Default::default(),
            global: Arc::new(Semaphore::new(GLOBAL_CONCURRENCY)),
            keys: Default::default(),
        }
    }

    /// Runs forever: routes new activities and attempts due jobs. Spawn it on the runtime.
    pub async fn run(self) {
        loop {
            if let Err(e) = self.route_all().await {
                tracing::error!(error = %e, "routing deliveries failed");
            }
            let now = now_ms();
            match self.queue.due(now, 1024) {
                Ok(due) => {
                    for (id, due_ms) in due {
                        if lock(&self.in_flight).insert(id) {
                            let this = self.clone();
                            actix_rt::spawn(async move { this.attempt(id, due_ms).await });
                        }
                    }
                }
                Err(e) => tracing::error!(error = %e, "reading the delivery queue failed"),
            }
            let wait = match self.queue.next_due() {
                Ok(Some(t)) if t > now => Duration::from_millis((t - now).min(1000)),
                _ => Duration::from_millis(1000),
            };
            let _ = tokio::time::timeout(wait, self.queue.notified()).await;
        }
    }

    async fn route_all(&self) -> Result<()> {
        loop {
            let routes = self.queue.routes(64)?;
            if routes.is_empty() {
                return Ok(());
            }
            for (id, route) in routes {
                let jobs = self.route(&route).await;
                self.queue.split_route(id, jobs, now_ms())?;
            }
        }
    }

    /// Delivers locally what is local; answers the remote jobs to queue.
    async fn route(&self, route: &RouteJob) -> Vec<Job> {
        let activity_id = route
            .activity
            .get("id")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let body = route.activity.to_string();
        let mut remote: Vec<(Url, Option<super::remote::RemoteActor>)> = Vec::new();
        let mut budget = Budget::new(
            self.settings.max_recipients_per_activity,
            self.settings.max_fetches_per_host_per_activity,
        );
        for recipient in &route.recipients {
            let Ok(iri) = Url::parse(recipient) else {
                continue;
            };
            if let Some(r) = self.urls.parse_actor(&iri) {
                let span = tracing::info_span!("delivery", actor = %self.sender_iri(&route.from), activity = %activity_id, recipient = %iri);
                let delivered = deliver_locally(&self.registry, &r, &route.activity, &activity_id);
                delivered.instrument(span).await;
            } else if self.urls.is_local(&iri) {
                tracing::debug!(%iri, "local recipient is not an actor; skipped");
            } else if self.blocks.blocked(&iri) {
                tracing::info!(%iri, "recipient blocked; skipped");
            } else {
                match self.remotes.get_within(&iri, &mut budget).await {
                    Ok(Resolved::Actor(r)) => remote.push((iri, Some(r))),
                    Ok(Resolved::Gone(why)) => {
                        tracing::info!(%iri, reason = %why, "recipient skipped")
                    }
                    Ok(Resolved::OverBudget) => {}
                    // Unreachable for now: the job resolves it later, with retries.
                    Ok(Resolved::Unreachable(_)) | Err(_) => remote.push((iri, None)),
                }
            }
        }
        if budget.skipped > 0 {
            tracing::warn!(
                activity = %activity_id,
                skipped = budget.skipped,
                "recipients not delivered: resolving them would exceed [federation] max_recipients_per_activity or max_fetches_per_host_per_activity"
            );
        }
        if route.signing_key_pem.is_some() {
            // The sender is gone: its cached key must not sign for a later actor of that name.
            lock(&self.keys).remove(&route.from);
        }
        let from = (route.from.as_str(), route.signing_key_pem.as_ref());
        remote_jobs(from, &activity_id, &body, remote)
    }

    /// The IRI of a local sender named by its tree name (for logs), or the tree name.
    pub(super) fn sender_iri(&self, from: &str) -> String {
        ActorRef::from_tree_name(from)
            .map(|r| self.urls.actor(&r).to_string())
            .unwrap_or_else(|| from.to_string())
    }

    fn host_limit(&self, host: &str) -> Arc<Semaphore> {
        lock(&self.hosts)
            .entry(host.to_string())
            .or_insert_with(|| {
                Arc::new(Semaphore::new(self.settings.delivery_concurrency_per_host))
            })
            .clone()
    }

    async fn signing_key(&self, from: &str) -> Result<KeyPair> {
        if let Some(k) = lock(&self.keys).get(from) {
            return Ok(k.clone());
        }
        let r = ActorRef::from_tree_name(from)
            .ok_or_else(|| Error::BadRequest(format!("bad sender {from}")))?;
        let key = self.registry.send(&r, GetSigningKey).await?;
        lock(&self.keys).insert(from.to_string(), key.clone());
        Ok(key)
    }

    /// The job's inbox: its own, or its recipient's (resolved now).
    async fn job_inbox(&self, job: &Job) -> std::result::Result<String, Outcome> {
        if let Some(i) = &job.inbox {
            return Ok(i.clone());
        }
        let Some(recipient) = job.recipient.as_deref().and_then(|r| Url::parse(r).ok()) else {
            return Err(Outcome::Permanent(
                "job has neither inbox nor recipient".into(),
            ));
        };
        match self.remotes.get(&recipient).await {
            Ok(r) => Ok(r.inbox),
            Err(Error::NotFound(why)) => Err(Outcome::Permanent(why)),
            Err(e) => Err(Outcome::Retry(format!("cannot resolve {recipient}: {e}"))),
        }
    }

    pub(super) async fn try_job(&self, job: &Job) -> Outcome {
        let inbox = match self.job_inbox(job).await {
            Ok(i) => i,
            Err(outcome) => return outcome,
        };
        let Ok(url) = Url::parse(&inbox) else {
            return Outcome::Permanent(format!("bad inbox URL {inbox}"));
        };
        if self.blocks.blocked(&url) {
            return Outcome::Permanent(format!("{url} is on a blocked host"));
        }
        if let Err(e) = self.fetcher.check_destination(&url).await {
            return Outcome::Permanent(e.to_string());
        }
        let key = match &job.signing_key_pem {
            Some(pem) => KeyPair::from_pkcs8_pem(pem).map_err(Error::from),
            None => self.signing_key(&job.from).await,
        };
        let key = match key {
            Ok(k) => k,
            Err(e) => return Outcome::Permanent(format!("no signing key: {e}")),
        };
        let Some(sender) = ActorRef::from_tree_name(&job.from) else {
            return Outcome::Permanent("bad sender".into());
        };
        let key_id = self.urls.key_id(&sender);
        let headers = match sign_request("POST", &url, Some(job.body.as_bytes()), &key_id, &key) {
            Ok(h) => h,
            Err(e) => return Outcome::Permanent(format!("cannot sign: {e}")),
        };
        let host = url.host_str().unwrap_or_default().to_string();
        let limit = self.host_limit(&host);
        let (Ok(_global), Ok(_host)) = (self.global.acquire().await, limit.acquire().await) else {
            return Outcome::Retry("shutting down".into());
        };
        post(self.fetcher.client(), &url, &job.body, headers).await
    }
}
