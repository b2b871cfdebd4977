//! The `/api/v1/ssh-keys` calls: add (POST), list (GET), delete (DELETE by fingerprint).

use crate::common::{client, Instance};
use serde_json::{json, Value};

/// POSTs a body to `/api/v1/ssh-keys`: (status, JSON body).
pub async fn post(inst: &Instance, token: Option<&str>, body: String) -> (u16, Value) {
    let mut req = client()
        .post(inst.at("/api/v1/ssh-keys"))
        .header("Content-Type", "application/json")
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("post key");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// POSTs `key` with `token`: (status, JSON body).
pub async fn add(inst: &Instance, token: &str, key: &str) -> (u16, Value) {
    post(inst, Some(token), json!({ "key": key }).to_string()).await
}

/// GETs the keys of `token`'s person: (status, JSON body).
pub async fn list(inst: &Instance, token: Option<&str>) -> (u16, Value) {
    let mut req = client().get(inst.at("/api/v1/ssh-keys"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("list keys");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// DELETEs a key named by `fingerprint` (URL-encoded here): (status, JSON body or Null).
pub async fn delete(inst: &Instance, token: Option<&str>, fingerprint: &str) -> (u16, Value) {
    let encoded = fingerprint
        .replace(':', "%3A")
        .replace('/', "%2F")
        .replace('+', "%2B");
    let mut req = client().delete(inst.at(&format!("/api/v1/ssh-keys/{encoded}")));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("delete key");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}
