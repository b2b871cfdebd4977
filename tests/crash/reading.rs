//! Reading Orchard's state over HTTP: logging in, and every item of a paged collection.

use serde_json::{json, Value};

/// Every item of a collection, all pages, read with `token`.
pub async fn all_items(client: &reqwest::Client, url: &str, token: &str) -> Vec<Value> {
    let get = |u: String| {
        client
            .get(u)
            .bearer_auth(token)
            .header("Accept", "application/activity+json")
            .send()
    };
    let res = get(url.to_string()).await.expect("GET collection");
    assert_eq!(res.status(), 200, "GET {url}");
    let doc: Value = res.json().await.expect("json");
    let total = doc["totalItems"].as_u64().expect("totalItems") as usize;
    let mut items = Vec::new();
    for page in 1..=total.div_ceil(20).max(1) {
        let res = get(format!("{url}?page={page}")).await.expect("GET page");
        assert_eq!(res.status(), 200, "GET {url}?page={page}");
        let doc: Value = res.json().await.expect("json");
        items.extend(doc["orderedItems"].as_array().cloned().unwrap_or_default());
    }
    assert_eq!(items.len(), total, "{url}: pages hold totalItems items");
    items
}

pub async fn login(client: &reqwest::Client, url: &str, user: &str) -> String {
    let res = client
        .post(format!("{url}/api/v1/login"))
        .json(&json!({"username": user, "password": "correct horse"}))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200, "login {user}");
    let body: Value = res.json().await.expect("json");
    body["token"].as_str().expect("token").to_string()
}

/// At most `n` items of a list, for messages.
pub fn some<T: std::fmt::Debug>(items: &[T], n: usize) -> String {
    if items.len() <= n {
        format!("{items:?}")
    } else {
        format!("{:?} and {} more", &items[..n], items.len() - n)
    }
}
