//! The calls the moderation tests make: a signed Follow's body, the admin blocks API (block,
//! unblock, list), and an instance with an admin.

use crate::common::remote::FakeRemote;
use crate::common::{client, Instance};
use serde_json::{json, Value};

/// The body of Follow number `n` of `actor` (on `remote`) of `object`.
pub fn follow(remote: &FakeRemote, actor: &str, object: &str, n: u32) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/{n}", remote.actor(actor)),
        "type": "Follow", "actor": remote.actor(actor), "object": object,
    }))
    .unwrap()
}

/// Calls the admin blocks API: (status, JSON body).
pub async fn admin_call(
    a: &Instance,
    token: Option<&str>,
    method: reqwest::Method,
    body: Option<Value>,
    query: &str,
) -> (u16, Value) {
    let mut req = client().request(method, a.at(&format!("/api/v1/admin/blocks{query}")));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// POSTs a block (`{"actor": ...}` or `{"host": ...}`) with `token`: (status, body).
pub async fn block(a: &Instance, token: Option<&str>, what: Value) -> (u16, Value) {
    admin_call(a, token, reqwest::Method::POST, Some(what), "").await
}

/// DELETEs the block named by `query` (`?actor=...` or `?host=...`): the status.
pub async fn unblock(a: &Instance, token: &str, query: &str) -> u16 {
    admin_call(a, Some(token), reqwest::Method::DELETE, None, query)
        .await
        .0
}

/// An instance `a` with the operator's admin account and private addresses allowed.
pub async fn with_admin() -> Instance {
    Instance::start_with_accounts(
        "a",
        "[accounts]\nadmins = [\"admin\"]\n[federation]\nallow_private_addresses = true\n",
        &["admin"],
    )
    .await
}

/// Percent-encodes `s` for a query string.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
