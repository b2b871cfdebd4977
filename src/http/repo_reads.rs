//! The slots and the pool of reads of code (`http::repo_access::read_repo`): at most so many run
//! at once, each on a pooled repository handle (`actors::browse::pool`).

use crate::error::Result;
use actors::browse::pool::RepoPool;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How reads of code run: at most `slots` at once (the others wait their turn), each on a handle
/// of the pool (`actors::browse::pool`: what earlier reads decoded is still cached).
pub struct RepoReads {
    pool: Arc<RepoPool>,
    slots: Arc<Semaphore>,
}

impl RepoReads {
    pub fn new(pool: RepoPool, slots: usize) -> RepoReads {
        RepoReads {
            pool: Arc::new(pool),
            slots: Arc::new(Semaphore::new(slots.max(1))),
        }
    }

    /// Waits for a read slot (held until the permit drops) and hands out the pool.
    pub async fn slot(&self) -> Result<(OwnedSemaphorePermit, Arc<RepoPool>)> {
        let slot = self.slots.clone().acquire_owned().await;
        let slot = slot.map_err(|e| actors::ActorError::Task(format!("read slots: {e}")))?;
        Ok((slot, self.pool.clone()))
    }
}
