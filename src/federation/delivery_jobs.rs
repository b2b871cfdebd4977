//! The remote jobs of one routed activity: one per remote inbox, and one per shared inbox when
//! several recipients share it; a recipient not resolved yet gets a job of its own that resolves
//! its inbox when it is attempted.

use super::remote::RemoteActor;
use actors::base::clock::now_ms;
use actors::storage::delivery_queue::Job;
use std::collections::{HashMap, HashSet};
use url::Url;

/// The jobs delivering `body` (activity `activity_id`, from the actor tree `from`, signed with
/// `key`'s PEM when the route carries one) to the `remote` recipients, each with its document
/// when it was resolved.
pub fn remote_jobs(
    (from, key): (&str, Option<&String>),
    activity_id: &str,
    body: &str,
    remote: Vec<(Url, Option<RemoteActor>)>,
) -> Vec<Job> {
    // Several recipients behind one shared inbox get one POST.
    let mut shared_count: HashMap<String, usize> = HashMap::new();
    for (_, r) in &remote {
        if let Some(s) = r.as_ref().and_then(|r| r.shared_inbox.clone()) {
            *shared_count.entry(s).or_default() += 1;
        }
    }
    let mut jobs = Vec::new();
    let mut shared_done: HashSet<String> = HashSet::new();
    let first_ms = now_ms();
    for (iri, resolved) in remote {
        let shared = resolved
            .as_ref()
            .and_then(|r| r.shared_inbox.clone())
            .filter(|s| shared_count.get(s).copied().unwrap_or(0) > 1);
        let (inbox, recipient) = match (shared, resolved) {
            (Some(s), _) => {
                if !shared_done.insert(s.clone()) {
                    continue;
                }
                (Some(s), None)
            }
            (None, Some(r)) => (Some(r.inbox), Some(iri.to_string())),
            (None, None) => (None, Some(iri.to_string())),
        };
        if jobs
            .iter()
            .any(|j: &Job| inbox.is_some() && j.inbox == inbox)
        {
            continue;
        }
        jobs.push(Job {
            inbox,
            recipient,
            from: from.to_string(),
            activity_id: activity_id.to_string(),
            body: body.to_string(),
            attempts: 0,
            first_ms,
            signing_key_pem: key.cloned(),
            last_error: None,
        });
    }
    jobs
}
