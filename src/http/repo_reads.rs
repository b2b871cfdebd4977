//! The slots and the pool of reads of code (`http::repo_access::read_repo`): at most so many run
//! at once, each on a pooled repository handle (`actors::browse::pool`); and the answers of the
//! expensive ones, kept by commit ids (`http::answer_cache`).

use super::answer_cache::AnswerCache;
use crate::error::Result;
use actix_web::web::Bytes;
use actors::browse::compare::Comparison;
use actors::browse::log::LogPage;
use actors::browse::pool::RepoPool;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How reads of code run: at most `slots` at once (the others wait their turn), each on a handle
/// of the pool (`actors::browse::pool`: what earlier reads decoded is still cached).
pub struct RepoReads {
    pool: Arc<RepoPool>,
    slots: Arc<Semaphore>,
    answers: Arc<Answers>,
}

/// How many answers of each expensive read are kept.
const KEPT_LOG_PAGES: usize = 512;
const KEPT_COMPARISONS: usize = 64;
const KEPT_COMPARISON_BODIES: usize = 64;

/// The kept answers of the reads that walk history or diff trees.
pub struct Answers {
    /// Log pages, by directory, tip, cursor, path and limit.
    pub logs: AnswerCache<LogPage>,
    /// Comparisons, by directory, base commit and head commit.
    pub compares: AnswerCache<Comparison>,
    /// The JSON bodies of the compare route, by directory, the two commits and the revisions as
    /// the client named them (serializing a large diff again for every reader would cost more
    /// than sending it).
    pub compare_bodies: AnswerCache<Bytes>,
}

impl RepoReads {
    pub fn new(pool: RepoPool, slots: usize) -> RepoReads {
        RepoReads {
            pool: Arc::new(pool),
            slots: Arc::new(Semaphore::new(slots.max(1))),
            answers: Arc::new(Answers {
                logs: AnswerCache::new(KEPT_LOG_PAGES),
                compares: AnswerCache::new(KEPT_COMPARISONS),
                compare_bodies: AnswerCache::new(KEPT_COMPARISON_BODIES),
            }),
        }
    }

    /// The kept answers (shared with the blocking reads that fill them).
    pub fn answers(&self) -> Arc<Answers> {
        self.answers.clone()
    }

    /// Waits for a read slot (held until the permit drops) and hands out the pool.
    pub async fn slot(&self) -> Result<(OwnedSemaphorePermit, Arc<RepoPool>)> {
        let slot = self.slots.clone().acquire_owned().await;
        let slot = slot.map_err(|e| actors::ActorError::Task(format!("read slots: {e}")))?;
        Ok((slot, self.pool.clone()))
    }
}
