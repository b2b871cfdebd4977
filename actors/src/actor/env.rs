//! What every actor is given when it is loaded: storage, IRIs, the delivery queue, the
//! repositories directory, the git time limit and the git-job channel.

use crate::storage::delivery_queue::DeliveryQueue;
use crate::storage::store::Store;
use crate::urls::Urls;

/// What every actor is given: storage, IRIs, the delivery queue and the repositories directory.
#[derive(Clone)]
pub struct Env {
    pub store: Store,
    pub urls: Urls,
    pub delivery: DeliveryQueue,
    pub repos: std::sync::Arc<std::path::PathBuf>,
    /// Longest a git push or fetch may run.
    pub push_timeout: std::time::Duration,
    /// Where git work that takes two actors is sent (`actor::git_jobs`; the worker is
    /// `flows::git_jobs`). `GitJobs::disconnected()` where no worker runs.
    pub git_jobs: crate::actor::git_jobs::GitJobs,
}
