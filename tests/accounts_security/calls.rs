//! The calls the accounts tests make: a POST answering its Retry-After, the admin API as a probe
//! of rights, guessing a password until 429, and this process's resident memory.

use crate::common::{client, Instance};
use serde_json::{json, Value};

/// POSTs `body` to `url` with `c`: (status, Retry-After, JSON body).
pub async fn post(c: &reqwest::Client, url: &str, body: Value) -> (u16, Option<String>, Value) {
    let res = c.post(url).json(&body).send().await.expect("post");
    let status = res.status().as_u16();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (status, retry, res.json().await.unwrap_or(Value::Null))
}

/// GET /api/v1/admin/blocks with `token`: the status (200 for an admin).
pub async fn blocks(a: &Instance, token: &str) -> u16 {
    let res = client()
        .get(a.at("/api/v1/admin/blocks"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    res.status().as_u16()
}

pub async fn guess_until_429(
    c: &reqwest::Client,
    login: &str,
    username: &str,
    max: usize,
) -> String {
    for _ in 0..max {
        let (s, _, body) = post(c, login, json!({"username": username, "password": "wrong"})).await;
        if s == 429 {
            return body["error"].as_str().unwrap().to_string();
        }
        assert_eq!(s, 401, "{body}");
    }
    panic!("{max} wrong passwords for {username} and no 429");
}

/// This process's resident memory (VmRSS), in KiB.
pub fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}
