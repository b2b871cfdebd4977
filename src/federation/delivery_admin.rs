//! The delivery queue per remote host, for the operator (`orchard admin delivery`): what is
//! pending and failing for each host, when its next attempt is and why the last one failed;
//! making a host's jobs due now, and dropping them. Works on the live queue (the worker is
//! woken) and on a stopped instance's stored queue alike.

use crate::error::{Error, Result};
use crate::host_blocks::{canonical_host, parse_block};
use actors::base::clock::now_ms;
use actors::storage::delivery_queue::{DeliveryQueue, Job, Scheduled};
use serde::Serialize;
use std::collections::BTreeMap;
use url::Url;

/// One remote host's part of the queue.
#[derive(Debug, Clone, Serialize)]
pub struct HostQueue {
    /// `host` or `host:port` (a port other than the scheme's default).
    pub host: String,
    /// Jobs waiting, failing ones included.
    pub pending: usize,
    /// Jobs attempted at least once.
    pub failing: usize,
    /// When the earliest job is due (ms since the epoch).
    pub next_attempt_ms: u64,
    /// Why the most recently failed job failed.
    pub last_error: Option<String>,
}

/// The host a job goes to: its inbox's, or its recipient's until the inbox is resolved.
pub fn job_host(job: &Job) -> Option<String> {
    let iri = job.inbox.as_deref().or(job.recipient.as_deref())?;
    let url = Url::parse(iri).ok()?;
    let host = canonical_host(url.host_str()?);
    Some(match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// Whether `job_host` is named by `wanted` (a bare host names every port of it).
fn names(wanted: &str, job_host: &str) -> bool {
    if wanted == job_host {
        return true;
    }
    let bare = match job_host
        .rsplit_once(':')
        .filter(|_| !job_host.ends_with(']'))
    {
        Some((h, _)) => h,
        None => job_host,
    };
    let wanted_has_port = wanted.rsplit_once(':').is_some() && !wanted.ends_with(']');
    !wanted_has_port && wanted == bare
}

/// Every host with jobs, in host order.
pub fn hosts(queue: &DeliveryQueue) -> Result<Vec<HostQueue>> {
    let mut by_host: BTreeMap<String, (HostQueue, u64)> = BTreeMap::new();
    for s in queue.scheduled()? {
        let host = job_host(&s.job).unwrap_or_else(|| "(unknown)".into());
        let (entry, latest_failure) = by_host.entry(host.clone()).or_insert((
            HostQueue {
                host,
                pending: 0,
                failing: 0,
                next_attempt_ms: s.due_ms,
                last_error: None,
            },
            0,
        ));
        entry.pending += 1;
        entry.next_attempt_ms = entry.next_attempt_ms.min(s.due_ms);
        if s.job.attempts > 0 {
            entry.failing += 1;
            // The job due last is the one that failed last.
            if s.due_ms >= *latest_failure && s.job.last_error.is_some() {
                *latest_failure = s.due_ms;
                entry.last_error = s.job.last_error.clone();
            }
        }
    }
    Ok(by_host.into_values().map(|(h, _)| h).collect())
}

/// The scheduled jobs of the host `text` names; 400 for text that is no host, 404 when it has
/// no jobs.
fn jobs_of(queue: &DeliveryQueue, text: &str) -> Result<(String, Vec<Scheduled>)> {
    let wanted = parse_block(text).map_err(Error::BadRequest)?;
    let jobs: Vec<Scheduled> = queue
        .scheduled()?
        .into_iter()
        .filter(|s| job_host(&s.job).is_some_and(|h| names(&wanted, &h)))
        .collect();
    if jobs.is_empty() {
        return Err(Error::NotFound(format!(
            "no delivery jobs are queued for {wanted}"
        )));
    }
    Ok((wanted, jobs))
}

/// Makes every job of the host due now and wakes the worker; answers the host and how many.
pub fn retry(queue: &DeliveryQueue, text: &str) -> Result<(String, usize)> {
    let (host, jobs) = jobs_of(queue, text)?;
    let now = now_ms();
    let mut moved = 0;
    for s in jobs.iter().filter(|s| s.due_ms > now) {
        moved += usize::from(queue.move_due(s.id, s.due_ms, now)?);
    }
    queue.notify();
    tracing::warn!(%host, jobs = jobs.len(), moved, "deliveries made due now by the operator");
    Ok((host, jobs.len()))
}

/// Removes every job of the host (a job in the middle of an attempt may still arrive once,
/// but is not retried); answers the host and how many were removed.
pub fn drop_host(queue: &DeliveryQueue, text: &str) -> Result<(String, usize)> {
    let (host, jobs) = jobs_of(queue, text)?;
    let mut dropped = 0;
    for s in &jobs {
        dropped += usize::from(queue.drop_job(s.id, s.due_ms)?);
    }
    tracing::warn!(%host, dropped, "deliveries dropped by the operator");
    Ok((host, dropped))
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn a_bare_host_names_every_port() {
        assert!(names("b.example", "b.example"));
        assert!(names("b.example", "b.example:8443"));
        assert!(names("127.0.0.1:80", "127.0.0.1:80"));
        assert!(!names("127.0.0.1:81", "127.0.0.1:80"));
        assert!(!names("example", "b.example"));
        assert!(names("[::1]", "[::1]:8080"));
    }
}
