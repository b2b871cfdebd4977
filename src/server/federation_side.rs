//! The federation side of an instance: the fetcher (signing with the instance key), the
//! blocks, the key cache, the persistent delivery worker, and the `FederationState` the HTTP
//! routes hand to the signed-request pipeline.

use crate::error::Result;
use crate::federation::blocks::Blocks;
use crate::federation::delivery::Delivery;
use crate::federation::fetch::Fetcher;
use crate::federation::keys::KeyStore;
use crate::federation::ratelimit::RateLimit;
use crate::federation::remote::RemoteActors;
use crate::federation::state::FederationState;
use crate::settings::Settings;
use actors::storage::delivery_queue::DeliveryQueue;
use actors::{KeyPair, Registry, Store, Urls};
use std::sync::Arc;
use std::time::Duration;

/// The started federation side.
pub struct Federation {
    pub state: FederationState,
    /// The delivery worker's task (the git-job worker's too: it stops with it).
    pub delivery: actix_rt::task::JoinHandle<()>,
}

/// What the git-job worker fetches a fork's remote origin document with: the signed fetcher,
/// after the blocks (a blocked host is refused, as for any fetch).
pub fn document_fetcher(state: &FederationState) -> actors::flows::git_origin::FetchDocument {
    let (fetcher, blocks) = (state.fetcher.clone(), state.blocks.clone());
    Arc::new(move |iri: url::Url| {
        let (fetcher, blocks) = (fetcher.clone(), blocks.clone());
        Box::pin(async move {
            if blocks.blocked(&iri) {
                return Err(actors::ActorError::Forbidden(format!("{iri}: blocked")));
            }
            fetcher
                .fetch_json(&iri)
                .await
                .map_err(|e| actors::ActorError::NotFound(e.to_string()))
        })
    })
}

/// Builds the fetcher, blocks and keys and starts the delivery worker on the delivery queue,
/// and the git-job worker on the actors' git jobs.
pub fn start(
    settings: &Settings,
    store: &Store,
    registry: &Registry,
    (delivery, git_jobs): (DeliveryQueue, actors::actor::git_jobs::GitJobReceiver),
    (instance_key, metrics): (&KeyPair, &crate::metrics::Metrics),
) -> Result<Federation> {
    let urls: &Urls = registry.urls();
    let fetcher = Arc::new(Fetcher::new(
        instance_key.clone(),
        urls.instance_key_id(),
        settings.federation.allow_private_addresses,
    )?);
    let blocks = Blocks::new(store.clone(), settings.federation.blocked_hosts.clone());
    let keys = KeyStore::new(
        store.clone(),
        urls.clone(),
        registry.clone(),
        fetcher.clone(),
        instance_key.public_pem(),
    )?;
    let remote = RemoteActors::new(
        store.clone(),
        fetcher.clone(),
        Duration::from_secs(settings.federation.fetch_failure_ttl_secs),
    );
    let delivery = Delivery::new(
        delivery,
        registry.clone(),
        fetcher.clone(),
        remote,
        settings.federation.clone(),
        (blocks.clone(), metrics.clone()),
    );
    let state = FederationState {
        urls: urls.clone(),
        registry: registry.clone(),
        keys,
        fetcher,
        blocks,
        rate_limit: RateLimit::new(settings.federation.inbox_requests_per_minute),
        trusted_proxies: settings.http.trusted_proxies.clone(),
        max_skew: Duration::from_secs(settings.federation.signature_max_skew_secs),
        unverified: Default::default(),
    };
    let delivery = workers(delivery, registry, git_jobs, &state);
    Ok(Federation { state, delivery })
}

/// Starts the delivery worker and the git-job worker, as one task: aborting it (at shutdown)
/// stops both.
fn workers(
    delivery: Delivery,
    registry: &Registry,
    git_jobs: actors::actor::git_jobs::GitJobReceiver,
    state: &FederationState,
) -> actix_rt::task::JoinHandle<()> {
    let fetch = document_fetcher(state);
    let git_jobs = actors::flows::git_jobs::start(registry.clone(), git_jobs, fetch);
    actix_rt::spawn(async move {
        let _git_jobs = AbortOnDrop(git_jobs);
        delivery.run().await
    })
}

/// Aborts a task when dropped.
struct AbortOnDrop(actix_rt::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
