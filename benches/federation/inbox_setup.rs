//! The inbox benchmark's set-up: the recipients (registered and logged in, a few at a time), the
//! Create{Note} activities the senders post, signed before the timed phase, and the warm-up
//! that puts every sender's key in Orchard's cache.

use crate::common::*;
use crate::remote::Remote;
use actors::KeyPair;
use serde_json::json;
use std::sync::Arc;

/// The recipients: their IRIs and inboxes, (name, token) pairs, and the uncounted person the
/// warm-up posts to (name, IRI, token).
pub struct People {
    pub recipients: Vec<String>,
    pub inbox_urls: Vec<String>,
    pub users: Vec<(String, String)>,
    pub warm: (String, String, String),
}

/// Registers and logs in `n` recipients and the warm-up person on `inst`.
pub async fn people(c: &reqwest::Client, inst: &Arc<Instance>, n: usize) -> People {
    // Register and log in every recipient (argon2 and an RSA key each), a few at a time.
    let names: Vec<String> = (0..n).map(|i| format!("r{i}")).collect();
    let sem = Arc::new(tokio::sync::Semaphore::new(4));
    let mut tasks = tokio::task::JoinSet::new();
    for name in names.iter().cloned().chain(["warm".to_string()]) {
        let (c, inst, sem) = (c.clone(), inst.clone(), sem.clone());
        tasks.spawn(async move {
            let _p = sem.acquire().await.unwrap();
            let iri = register(&c, &inst.url, &name).await;
            let token = login(&c, &inst.url, &name).await;
            (name, iri, token)
        });
    }
    let mut people: Vec<(String, String, String)> = Vec::new();
    while let Some(r) = tasks.join_next().await {
        people.push(r.unwrap());
    }
    people.sort_by_key(|p| {
        p.0.trim_start_matches('r')
            .parse::<usize>()
            .unwrap_or(usize::MAX)
    });
    let warm = people.pop().expect("warm");
    let recipients: Vec<String> = people.iter().map(|p| p.1.clone()).collect();
    let inbox_urls: Vec<String> = recipients.iter().map(|r| format!("{r}/inbox")).collect();
    let users: Vec<(String, String)> = people.iter().map(|p| (p.0.clone(), p.2.clone())).collect();

    People {
        recipients,
        inbox_urls,
        users,
        warm,
    }
}

/// Warm-up: one POST per sender (Orchard fetches and caches each key), to a person who is not
/// counted.
pub async fn warm_up(c: &reqwest::Client, remote: &Remote, keys: &[KeyPair], warm: &str) {
    for (s, key) in keys.iter().enumerate() {
        let body = note(remote, s, warm, &format!("warm-{s}"));
        let p = sign_post(&format!("{warm}/inbox"), body, &remote.key_id(s), key, s);
        let res = c.execute(p.request(c)).await.expect("warm-up POST");
        assert!(res.status().is_success(), "warm-up: {}", res.status());
    }
}

/// Create{Note} number `tag` of `sender` to `recipient`.
pub fn note(remote: &Remote, sender: usize, recipient: &str, tag: &str) -> Vec<u8> {
    let actor = remote.actor(sender);
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/activities/{tag}"),
        "type": "Create",
        "actor": actor,
        "to": [recipient],
        "published": "2026-01-01T00:00:00Z",
        "object": {
            "id": format!("{actor}/notes/{tag}"),
            "type": "Note",
            "attributedTo": actor,
            "to": [recipient],
            "content": format!("<p>Benchmark note {tag}: a comment of ordinary length, about as long as a short reply on a ticket.</p>"),
            "published": "2026-01-01T00:00:00Z"
        }
    })
    .to_string()
    .into_bytes()
}

/// Signs `n` posts for round `round` on two threads.
pub fn presign(
    remote: &Remote,
    keys: &[KeyPair],
    inbox_urls: &[String],
    recipients: &[String],
    round: usize,
    n: usize,
) -> Vec<SignedPost> {
    par_map(n, 2, |i| {
        let s = i % keys.len();
        let r = (i / keys.len() + i) % recipients.len();
        let body = note(remote, s, &recipients[r], &format!("r{round}-{i}"));
        sign_post(&inbox_urls[r], body, &remote.key_id(s), &keys[s], s)
    })
}
