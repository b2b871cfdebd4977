//! Moderation and limits over real HTTP: the admin API blocks remote actors and hosts (their
//! activities are refused, nothing is delivered to them), `[federation] blocked_hosts`, and the
//! per-host rate limit on inbox POSTs (429).

mod common;

use common::remote::{FakeRemote, Sign};
use common::{client, Instance};
use serde_json::{json, Value};
use std::time::Duration;

fn follow(remote: &FakeRemote, actor: &str, object: &str, n: u32) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/{n}", remote.actor(actor)),
        "type": "Follow", "actor": remote.actor(actor), "object": object,
    }))
    .unwrap()
}

async fn admin_call(
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

#[tokio::test]
async fn admins_block_actors_and_hosts() {
    let remote = FakeRemote::start();
    let a = Instance::start_with_accounts(
        "a",
        "[accounts]\nadmins = [\"admin\"]\n[federation]\nallow_private_addresses = true\n",
        &["admin"],
    )
    .await;
    let bob = a.register("bob").await;
    let alice = a.register("alice").await;
    let admin = a.login("admin").await;
    let bob_token = a.login("bob").await;
    let inbox = format!("{bob}/inbox");

    // Only admins use the API.
    let post = reqwest::Method::POST;
    let mallory = remote.actor("mallory");
    assert_eq!(
        admin_call(&a, None, post.clone(), Some(json!({"actor": mallory})), "")
            .await
            .0,
        401
    );
    assert_eq!(
        admin_call(
            &a,
            Some(&bob_token),
            post.clone(),
            Some(json!({"actor": mallory})),
            ""
        )
        .await
        .0,
        403
    );
    assert_eq!(
        admin_call(
            &a,
            Some(&admin),
            post.clone(),
            Some(json!({"actor": "not an iri"})),
            ""
        )
        .await
        .0,
        400
    );
    assert_eq!(
        admin_call(
            &a,
            Some(&admin),
            post.clone(),
            Some(json!({"host": "a", "actor": mallory})),
            ""
        )
        .await
        .0,
        400
    );

    // Blocking mallory refuses her activities, not eve's.
    let (s, _) = admin_call(
        &a,
        Some(&admin),
        post.clone(),
        Some(json!({"actor": mallory})),
        "",
    )
    .await;
    assert_eq!(s, 201);
    let (s, body) = remote
        .post(
            &inbox,
            &follow(&remote, "mallory", &bob, 1),
            &Sign::by("mallory"),
        )
        .await;
    assert_eq!(s, 403, "{body}");
    assert!(body["error"].as_str().unwrap().contains("blocked"));
    let (s, _) = remote
        .post(&inbox, &follow(&remote, "eve", &bob, 2), &Sign::by("eve"))
        .await;
    assert_eq!(s, 202);
    let (s, list) = admin_call(&a, Some(&admin), reqwest::Method::GET, None, "").await;
    assert_eq!(s, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    // Unblocked, she is heard again.
    let (s, _) = admin_call(
        &a,
        Some(&admin),
        reqwest::Method::DELETE,
        None,
        &format!("?actor={}", urlencode(&mallory)),
    )
    .await;
    assert_eq!(s, 204);
    let (s, _) = remote
        .post(
            &inbox,
            &follow(&remote, "mallory", &bob, 3),
            &Sign::by("mallory"),
        )
        .await;
    assert_eq!(s, 202);

    // Blocking the whole host: nothing in, nothing out.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = remote.received().len();
    let (s, _) = admin_call(
        &a,
        Some(&admin),
        post.clone(),
        Some(json!({"host": "127.0.0.1"})),
        "",
    )
    .await;
    assert_eq!(s, 400, "the instance's own host cannot be blocked");
    let other = FakeRemote::start();
    let (s, _) = admin_call(
        &a,
        Some(&admin),
        post,
        Some(json!({"host": "localhost"})),
        "",
    )
    .await;
    assert_eq!(s, 201);
    let alice_token = a.login("alice").await;
    let _ = alice;
    let (s, _) = a
        .post_outbox("alice", &alice_token, &json!({"type": "Follow", "object": other.actor("eve").replace("127.0.0.1", "localhost")}))
        .await;
    assert_eq!(s, 201);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        other.received().is_empty(),
        "nothing is delivered to a blocked host"
    );
    assert_eq!(remote.received().len(), before);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn blocked_hosts_in_settings_and_the_rate_limit() {
    let remote = FakeRemote::start();
    let blocked = Instance::start(
        "blocked",
        "[federation]\nallow_private_addresses = true\nblocked_hosts = [\"127.0.0.1\"]\n",
    )
    .await;
    let bob = blocked.register("bob").await;
    let (s, body) = remote
        .post(
            &format!("{bob}/inbox"),
            &follow(&remote, "eve", &bob, 1),
            &Sign::by("eve"),
        )
        .await;
    assert_eq!(s, 403, "{body}");

    // 60 a minute: a burst of 10, then 429 with a wait.
    let limited = Instance::start(
        "limited",
        "[federation]\nallow_private_addresses = true\ninbox_requests_per_minute = 60\n",
    )
    .await;
    let bob = limited.register("bob").await;
    let mut statuses = Vec::new();
    let mut last = Value::Null;
    for n in 0..14 {
        let (s, body) = remote
            .post(
                &format!("{bob}/inbox"),
                &follow(&remote, "eve", &bob, 100 + n),
                &Sign::by("eve"),
            )
            .await;
        statuses.push(s);
        last = body;
    }
    assert!(statuses[..10].iter().all(|s| *s == 202), "{statuses:?}");
    assert_eq!(statuses[13], 429, "{statuses:?}");
    assert!(
        last["error"].as_str().unwrap().contains("retry in"),
        "{last}"
    );
}
