//! The senders: each posts signed Follows of local people, through a person's inbox or the
//! shared inbox, and keeps what came of each (the status or the transport error).

use crate::fleet::Fleet;
use crate::plan::PEOPLE;
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A Follow one sender posted, and what came of it.
#[derive(Clone, Debug)]
pub struct Sent {
    pub id: String,
    pub sender: usize,
    pub person: usize,
    /// The HTTP status, or the transport error (e.g. the connection was reset by the kill).
    pub outcome: Result<u16, String>,
}

impl Sent {
    pub fn ok(&self) -> bool {
        matches!(self.outcome, Ok(s) if (200..300).contains(&s))
    }
}

pub fn person_name(p: usize) -> String {
    format!("p{p:02}")
}

/// Posts Follow number `k` of sender `i` (to person `person`), through the person's inbox or,
/// for every fourth one, the shared inbox.
pub async fn send_follow(
    fleet: &Fleet,
    orchard: &str,
    client: &reqwest::Client,
    i: usize,
    k: usize,
    person: usize,
    tag: &str,
) -> Sent {
    let actor = fleet.actor(i);
    let id = format!("{actor}/follows/{tag}{k}");
    let person_iri = format!("{orchard}/people/{}", person_name(person));
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": id,
        "type": "Follow",
        "actor": actor,
        "object": person_iri,
    }))
    .unwrap();
    let url = if k % 4 == 3 {
        format!("{orchard}/inbox")
    } else {
        format!("{person_iri}/inbox")
    };
    let outcome = fleet.post(client, i, &url, body).await;
    Sent {
        id,
        sender: i,
        person,
        outcome,
    }
}

/// Sender `i` posts Follows one after the other until `stop`; answers what it sent.
pub async fn sender_loop(
    fleet: Arc<Fleet>,
    orchard: String,
    i: usize,
    stop: Arc<AtomicBool>,
) -> Vec<Sent> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut sent = Vec::new();
    let mut k = 0;
    while !stop.load(Ordering::SeqCst) {
        let person = (i * 7 + k) % PEOPLE;
        let s = send_follow(&fleet, &orchard, &client, i, k, person, "load-").await;
        let refused = s.outcome.is_err();
        sent.push(s);
        k += 1;
        if refused {
            // The server is gone (killed): do not spin.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    sent
}
