//! The durable delivery queue (sled tree `delivery`) that actors publish into, and that the
//! server's delivery worker drains. Actors write a *route* job synchronously when they publish,
//! so an activity is never lost between being published and being delivered; the worker turns
//! each route job into one job per destination inbox, with its own retry schedule.
//!
//! Keys of the `delivery` tree:
//! - `route 0xFF <be u64 id>` -> JSON `RouteJob` (an activity and its unresolved recipients)
//! - `job 0xFF <be u64 id>` -> JSON `Job` (one POST to one inbox)
//! - `due 0xFF <be u64 due ms> <be u64 id>` -> empty (the schedule of jobs, earliest first)

use crate::base::error::Result;
use crate::base::kind::ActorRef;
use crate::storage::codec;
use crate::storage::layout;
use crate::storage::layout::DELIVERY_TREE;
use crate::storage::layout::DUE;
use crate::storage::layout::JOB;
use crate::storage::layout::ROUTE;
use crate::storage::store::Store;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::Notify;
use url::Url;

/// An activity a local actor publishes, for the delivery worker to route to local
/// actors (through `Receive`) and to remote inboxes (signed, through the persistent queue).
#[derive(Clone, Debug)]
pub struct Deliver {
    pub from: ActorRef,
    pub activity: Value,
    /// Actor IRIs (local or remote). Collections are already expanded by the sender.
    pub recipients: Vec<Url>,
    /// The sender's private key (PKCS#8 PEM), carried by the jobs when the sender will be gone
    /// before they are delivered (a deleted actor's last Accept); None: asked of the sender.
    pub signing_key_pem: Option<String>,
}

/// An activity waiting to be routed to its recipients.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RouteJob {
    /// Tree name of the sending local actor.
    pub from: String,
    pub activity: Value,
    pub recipients: Vec<String>,
    /// See `Deliver::signing_key_pem`; copied into each job, removed with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key_pem: Option<String>,
}

/// One signed POST of one activity to one inbox.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    /// The destination inbox; None until the recipient's inbox could be resolved.
    #[serde(default)]
    pub inbox: Option<String>,
    /// The recipient actor, when the job is for one actor (not a shared inbox).
    #[serde(default)]
    pub recipient: Option<String>,
    /// Tree name of the sending local actor (whose key signs).
    pub from: String,
    /// The activity's id, for logs.
    pub activity_id: String,
    /// The exact body to POST.
    pub body: String,
    pub attempts: u32,
    /// When the first attempt was scheduled (ms since the epoch).
    pub first_ms: u64,
    /// The key that signs, when the sender is gone (see `Deliver::signing_key_pem`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key_pem: Option<String>,
    /// Why the last attempt failed, when it did (`orchard admin delivery list`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// The queue handle. Cheap to clone.
#[derive(Clone)]
pub struct DeliveryQueue {
    store: Store,
    tree: crate::storage::tree::Tree,
    wake: Arc<Notify>,
}

fn due_key(due_ms: u64, id: u64) -> Vec<u8> {
    let mut rest = due_ms.to_be_bytes().to_vec();
    rest.extend_from_slice(&id.to_be_bytes());
    layout::key(DUE, &rest)
}

impl DeliveryQueue {
    /// Opens the queue in the store.
    pub fn open(store: &Store) -> Result<DeliveryQueue> {
        Ok(DeliveryQueue {
            store: store.clone(),
            tree: store.tree(DELIVERY_TREE)?,
            wake: Arc::new(Notify::new()),
        })
    }

    /// The route job for an activity, and its key, to be written by the caller (in the same
    /// transaction as the activity itself); call `notify` once it is written.
    pub fn route_entry(&self, deliver: Deliver) -> Result<(Vec<u8>, Vec<u8>)> {
        let job = RouteJob {
            from: deliver.from.tree_name(),
            activity: deliver.activity,
            recipients: deliver.recipients.iter().map(|u| u.to_string()).collect(),
            signing_key_pem: deliver.signing_key_pem,
        };
        Ok((
            layout::seq_key(ROUTE, self.store.generate_id()?),
            codec::encode(&job)?,
        ))
    }

    /// The queue's tree (for transactions with an actor's keyspace).
    pub fn tree(&self) -> &crate::storage::tree::Tree {
        &self.tree
    }

    /// Waits until something was queued (or `notify` was called).
    pub async fn notified(&self) {
        self.wake.notified().await
    }

    /// Wakes the worker.
    pub fn notify(&self) {
        self.wake.notify_one();
    }

    /// Route jobs waiting, oldest first.
    pub fn routes(&self, limit: usize) -> Result<Vec<(u64, RouteJob)>> {
        let pre = layout::prefix(ROUTE);
        let mut out = Vec::new();
        for entry in self.tree.scan_prefix(&pre).take(limit) {
            let (k, v) = entry?;
            out.push((codec::decode_u64(&k[pre.len()..]), codec::decode(&v)?));
        }
        Ok(out)
    }

    /// Replaces a route job by its per-inbox jobs, due now, atomically.
    pub fn split_route(&self, route_id: u64, jobs: Vec<Job>, now_ms: u64) -> Result<()> {
        let mut batch = crate::storage::engine::Batch::default();
        batch.remove(layout::seq_key(ROUTE, route_id));
        for job in jobs {
            let id = self.store.generate_id()?;
            batch.insert(layout::seq_key(JOB, id), codec::encode(&job)?);
            batch.insert(due_key(now_ms, id), &[][..]);
        }
        self.tree.apply_batch(batch)?;
        Ok(())
    }

    /// Jobs due at or before `now_ms`, earliest first: (id, due ms).
    pub fn due(&self, now_ms: u64, limit: usize) -> Result<Vec<(u64, u64)>> {
        let pre = layout::prefix(DUE);
        let mut out = Vec::new();
        for entry in self.tree.scan_prefix(&pre) {
            let (k, _) = entry?;
            let rest = &k[pre.len()..];
            if rest.len() != 16 {
                continue;
            }
            let due = codec::decode_u64(&rest[..8]);
            if due > now_ms || out.len() >= limit {
                break;
            }
            out.push((codec::decode_u64(&rest[8..]), due));
        }
        Ok(out)
    }

    /// When the earliest job is due, if any.
    pub fn next_due(&self) -> Result<Option<u64>> {
        let pre = layout::prefix(DUE);
        match self.tree.scan_prefix(&pre).next() {
            Some(entry) => {
                let (k, _) = entry?;
                Ok(Some(codec::decode_u64(&k[pre.len()..pre.len() + 8])))
            }
            None => Ok(None),
        }
    }

    /// One job.
    pub fn job(&self, id: u64) -> Result<Option<Job>> {
        match self.tree.get(layout::seq_key(JOB, id))? {
            Some(v) => Ok(Some(codec::decode(&v)?)),
            None => Ok(None),
        }
    }

    /// Removes a job that was delivered or failed for good.
    pub fn complete(&self, id: u64, due_ms: u64) -> Result<()> {
        let mut batch = crate::storage::engine::Batch::default();
        batch.remove(layout::seq_key(JOB, id));
        batch.remove(due_key(due_ms, id));
        self.tree.apply_batch(batch)?;
        Ok(())
    }

    /// Moves a job to a later time with its updated attempt count, atomically, unless the
    /// operator changed it meanwhile (`hosts`): a job dropped during its attempt stays dropped,
    /// a job made due now during its attempt stays due now (with the new count).
    pub fn reschedule(&self, id: u64, old_due: u64, job: &Job, new_due: u64) -> Result<()> {
        let (job_key, old_key, new_key) = (
            layout::seq_key(JOB, id),
            due_key(old_due, id),
            due_key(new_due, id),
        );
        let bytes = codec::encode(job)?;
        self.store.transaction(&[&self.tree], |t| {
            if t[0].get(&job_key)?.is_none() {
                return Ok(());
            }
            t[0].insert(&job_key, &bytes)?;
            if t[0].get(&old_key)?.is_some() {
                t[0].remove(&old_key)?;
                t[0].insert(&new_key, &[])?;
            }
            Ok(())
        })
    }

    /// Number of per-inbox jobs waiting.
    pub fn pending_jobs(&self) -> usize {
        self.tree.scan_prefix(layout::prefix(JOB)).count()
    }
}

/// A job in the schedule (`hosts`: the operator's view of the queue).
#[derive(Debug, Clone)]
pub struct Scheduled {
    pub id: u64,
    /// When it is due (ms since the epoch).
    pub due_ms: u64,
    pub job: Job,
}

#[path = "delivery_queue_hosts.rs"]
mod hosts;

/// Parses a route job's sender.
pub fn sender(job: &RouteJob) -> Option<ActorRef> {
    ActorRef::from_tree_name(&job.from)
}
