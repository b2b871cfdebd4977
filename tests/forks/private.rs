//! A private origin is forkable by a holder of `visit` on it: carol, invited by alice, forks
//! alice's private repository; the fork is private too (its Create named no visibility), and
//! holds the origin's branch.

use crate::calls::{admin_grant, get, post};
use crate::common::forge::World;
use crate::forking::fork;
use serde_json::{json, Value};

/// GET with a bearer token.
async fn get_as(url: &str, token: &str) -> (u16, Value) {
    let res = crate::common::client()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// alice invites carol to `visit` her repository; carol accepts and is granted.
async fn grant_visit(a: &World, repo: &str) {
    let carol = a.a.at("/people/carol");
    let grant = admin_grant(&a.a, "alice", repo).await;
    let invite = json!({"type": "Invite", "object": carol, "instrument": "visit",
                        "target": repo, "capability": grant, "to": [carol]});
    let invite_id = post(&a.a, "alice", invite).await;
    let token = a.a.login("carol").await;
    let got =
        a.a.find_in_inbox("carol", &token, 10, |v| v["id"] == invite_id);
    assert!(got.await.is_some(), "carol received the Invite");
    let accept = json!({"type": "Accept", "object": invite_id, "to": [repo]});
    post(&a.a, "carol", accept).await;
    let granted = a.a.grant_on("carol", repo, "active", 10).await;
    assert_eq!(granted.expect("carol may visit")["object"], "visit");
}

pub async fn visit_holder_forks(a: &World, carol_grant: &str, secret: &str, main: &str) {
    grant_visit(a, secret).await;
    let answer = fork(a, "carol", carol_grant, "Secret fork", json!(secret)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let forked = answer["result"].as_str().unwrap().to_string();
    let token = a.a.login("carol").await;
    let done = crate::common::eventually(30, || async {
        get_as(&forked, &token).await.1["originCopy"].is_string()
    });
    assert!(done.await, "the copy finished");
    let (_, doc) = get_as(&forked, &token).await;
    assert_eq!(doc["originCopy"], "copied", "{doc}");
    assert_eq!(
        doc["visibility"], "private",
        "a private origin's fork is private"
    );
    assert_eq!(get(&forked).await.0, 404, "hidden from anonymous readers");
    let id = forked.rsplit('/').next().unwrap();
    let refs = get_as(&a.a.at(&format!("/api/v1/repos/{id}/refs")), &token)
        .await
        .1;
    assert!(
        refs.to_string().contains(main),
        "the origin's main {main} in {refs}"
    );
}
