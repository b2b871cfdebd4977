//! One attempt at a delivery job, and what its outcome does to the queue: a delivered job leaves
//! it (made durable at once), a job failed for good too, a job to retry is rescheduled with
//! exponential backoff and jitter until `[federation] delivery_horizon_secs`; a job given up is
//! logged and recorded in its sender's error box (`delivery_given_up`). Every failed
//! attempt is counted by host (`orchard_delivery_failures_total`). The attempt runs in a span
//! naming the sender (`actor`), the activity and the recipient.

use super::delivery::{lock, Delivery};
use super::delivery_post::Outcome;
use actors::base::clock::now_ms;
use actors::storage::delivery_queue::Job;
use rand::Rng;
use tracing::Instrument;

/// The host a job goes to (its inbox's, else its recipient's), for the failure count.
fn job_host(job: &Job) -> String {
    let target = job.inbox.as_deref().or(job.recipient.as_deref());
    target
        .and_then(|t| url::Url::parse(t).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

impl Delivery {
    /// Attempts job `id` (due at `due_ms`) and settles its outcome.
    pub(super) async fn attempt(&self, id: u64, due_ms: u64) {
        let outcome = match self.queue.job(id) {
            Ok(Some(job)) => {
                let recipient = job.recipient.as_deref().or(job.inbox.as_deref());
                let span = tracing::info_span!(
                    "delivery",
                    actor = %self.sender_iri(&job.from),
                    activity = %job.activity_id,
                    recipient = recipient.unwrap_or_default(),
                );
                let outcome = self.try_job(&job).instrument(span.clone()).await;
                Some((outcome, job, span))
            }
            Ok(None) => None,
            Err(e) => {
                tracing::error!(job = id, error = %e, "reading a delivery job failed");
                None
            }
        };
        let result = match outcome {
            None => self.queue.complete(id, due_ms),
            Some((outcome, job, span)) => {
                self.settle(id, due_ms, outcome, job).instrument(span).await
            }
        };
        if let Err(e) = result {
            tracing::error!(job = id, error = %e, "updating the delivery queue failed");
        }
        lock(&self.in_flight).remove(&id);
        self.queue.notify();
    }

    async fn settle(
        &self,
        id: u64,
        due_ms: u64,
        outcome: Outcome,
        mut job: Job,
    ) -> actors::error::Result<()> {
        match outcome {
            Outcome::Delivered => {
                tracing::debug!(inbox = ?job.inbox, activity = %job.activity_id, "delivered");
                // Made durable at once (group commit): after a crash, a delivered job is not
                // sent again.
                self.queue.complete(id, due_ms)?;
                self.registry.store().flush().await
            }
            Outcome::Permanent(why) => {
                self.metrics.delivery_failed(&job_host(&job));
                super::delivery_given_up::given_up(&self.registry, &job, &why, false);
                self.queue.complete(id, due_ms)
            }
            Outcome::Retry(why) => {
                self.metrics.delivery_failed(&job_host(&job));
                job.attempts += 1;
                job.last_error = Some(why.clone());
                let now = now_ms();
                let horizon = self.settings.delivery_horizon_secs * 1000;
                if now.saturating_sub(job.first_ms) >= horizon {
                    super::delivery_given_up::given_up(&self.registry, &job, &why, true);
                    self.queue.complete(id, due_ms)
                } else {
                    let next = now + self.backoff_ms(job.attempts);
                    tracing::info!(inbox = ?job.inbox, reason = %why, attempts = job.attempts, retry_in_ms = next - now, "delivery will be retried");
                    self.queue.reschedule(id, due_ms, &job, next)
                }
            }
        }
    }

    /// Exponential backoff from the base, capped, with +-25 % jitter.
    fn backoff_ms(&self, attempts: u32) -> u64 {
        let base = self.settings.delivery_retry_base_secs * 1000;
        let cap = self.settings.delivery_max_backoff_secs * 1000;
        let exp = base
            .saturating_mul(1u64 << attempts.saturating_sub(1).min(30))
            .min(cap);
        let jitter = rand::thread_rng().gen_range(0.75..1.25);
        ((exp as f64) * jitter) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(inbox: Option<&str>, recipient: Option<&str>) -> Job {
        Job {
            inbox: inbox.map(str::to_string),
            recipient: recipient.map(str::to_string),
            from: "people/alice".into(),
            activity_id: "a".into(),
            body: "{}".into(),
            attempts: 0,
            first_ms: 0,
            signing_key_pem: None,
            last_error: None,
        }
    }

    #[test]
    fn a_job_is_counted_at_its_inbox_host_else_its_recipients() {
        let both = job(
            Some("https://Inbox.Example/inbox"),
            Some("https://r.example/u"),
        );
        assert_eq!(job_host(&both), "inbox.example");
        assert_eq!(
            job_host(&job(None, Some("https://r.example/u"))),
            "r.example"
        );
        assert_eq!(job_host(&job(None, None)), "");
        assert_eq!(job_host(&job(Some("not a url"), None)), "");
    }
}
