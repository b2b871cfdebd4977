//! The operator's view of the delivery queue (`orchard admin delivery ...`): every scheduled
//! job with its due time, and moving one to now or dropping it, each atomically and only while
//! the job is still where the caller saw it (the worker may be attempting it meanwhile: see
//! `DeliveryQueue::reschedule`).

use super::{due_key, DeliveryQueue, Scheduled};
use crate::base::error::Result;
use crate::storage::layout::{self, JOB};

impl DeliveryQueue {
    /// Every scheduled job, earliest first (a due entry whose job is gone is skipped).
    pub fn scheduled(&self) -> Result<Vec<Scheduled>> {
        let mut out = Vec::new();
        for (id, due_ms) in self.due(u64::MAX, usize::MAX)? {
            if let Some(job) = self.job(id)? {
                out.push(Scheduled { id, due_ms, job });
            }
        }
        Ok(out)
    }

    /// Makes the job due at `new_due` instead of `old_due`; false (nothing done) when it is
    /// gone or no longer due at `old_due`.
    pub fn move_due(&self, id: u64, old_due: u64, new_due: u64) -> Result<bool> {
        let (job_key, old_key, new_key) = (
            layout::seq_key(JOB, id),
            due_key(old_due, id),
            due_key(new_due, id),
        );
        self.store.transaction(&[&self.tree], |t| {
            if t[0].get(&job_key)?.is_none() || t[0].get(&old_key)?.is_none() {
                return Ok(false);
            }
            t[0].remove(&old_key)?;
            t[0].insert(&new_key, &[])?;
            Ok(true)
        })
    }

    /// Removes the job due at `due_ms`; false when it was gone already. A worker attempting it
    /// meanwhile does not bring it back (`reschedule` leaves a removed job removed).
    pub fn drop_job(&self, id: u64, due_ms: u64) -> Result<bool> {
        let (job_key, due) = (layout::seq_key(JOB, id), due_key(due_ms, id));
        self.store.transaction(&[&self.tree], |t| {
            let was = t[0].get(&job_key)?.is_some();
            t[0].remove(&job_key)?;
            t[0].remove(&due)?;
            Ok(was)
        })
    }

    /// Route jobs (activities not yet split into per-inbox jobs) waiting.
    pub fn routes_waiting(&self) -> usize {
        self.tree.scan_prefix(layout::prefix(layout::ROUTE)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::delivery_queue::Job;
    use crate::storage::store::Store;

    fn job(inbox: &str) -> Job {
        Job {
            inbox: Some(inbox.into()),
            recipient: None,
            from: "person:alice".into(),
            activity_id: "https://a.example/x".into(),
            body: "{}".into(),
            attempts: 1,
            first_ms: 1,
            signing_key_pem: None,
            last_error: Some("refused".into()),
        }
    }

    #[test]
    fn a_dropped_job_stays_dropped_and_a_moved_one_stays_moved() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let q = DeliveryQueue::open(&store).unwrap();
        q.split_route(0, vec![job("https://b.example/inbox"); 2], 1000)
            .unwrap();
        let s = q.scheduled().unwrap();
        assert_eq!(s.len(), 2);
        let (a, b) = (&s[0], &s[1]);
        assert!(q.drop_job(a.id, a.due_ms).unwrap());
        q.reschedule(a.id, a.due_ms, &a.job, 9000).unwrap();
        assert!(
            q.job(a.id).unwrap().is_none(),
            "the worker did not revive it"
        );
        assert!(q.move_due(b.id, b.due_ms, 5).unwrap());
        assert!(
            !q.move_due(b.id, b.due_ms, 6).unwrap(),
            "no longer due then"
        );
        let mut failed = b.job.clone();
        failed.attempts = 2;
        q.reschedule(b.id, b.due_ms, &failed, 9000).unwrap();
        let s = q.scheduled().unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].due_ms, s[0].job.attempts), (5, 2));
        assert!(!q.drop_job(a.id, a.due_ms).unwrap());
    }
}
