//! Moderation and limits over real HTTP: the admin API blocks remote actors and hosts (their
//! activities are refused, nothing is delivered to them), `[federation] blocked_hosts`, and the
//! per-host rate limit on inbox POSTs (429).

mod calls;
#[path = "../common/mod.rs"]
mod common;
mod rate;

use calls::{admin_call, block, follow, unblock, urlencode, with_admin};
use common::remote::{FakeRemote, Sign};
use common::Instance;
use rate::{statuses, the_host_budget_is_shared};
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test]
async fn admins_block_actors_and_hosts() {
    let remote = FakeRemote::start();
    let a = with_admin().await;
    let bob = a.register("bob").await;
    let _alice = a.register("alice").await;
    let admin = a.login("admin").await;
    let bob_token = a.login("bob").await;
    only_admins_use_the_api(&a, &remote, &admin, &bob_token).await;
    an_actor_block_refuses_only_hers(&a, &remote, &admin, &bob).await;
    a_host_block_stops_everything_in_and_out(&a, &remote, &admin).await;
}

/// Only admins use the API, and a block names an IRI or a host, not both.
async fn only_admins_use_the_api(a: &Instance, remote: &FakeRemote, admin: &str, bob: &str) {
    let mallory = remote.actor("mallory");
    assert_eq!(block(a, None, json!({"actor": mallory})).await.0, 401);
    assert_eq!(block(a, Some(bob), json!({"actor": mallory})).await.0, 403);
    assert_eq!(
        block(a, Some(admin), json!({"actor": "not an iri"}))
            .await
            .0,
        400
    );
    assert_eq!(
        block(a, Some(admin), json!({"host": "a", "actor": mallory}))
            .await
            .0,
        400
    );
}

/// Blocking mallory refuses her activities, not eve's; unblocked, she is heard again.
async fn an_actor_block_refuses_only_hers(
    a: &Instance,
    remote: &FakeRemote,
    admin: &str,
    bob: &str,
) {
    let inbox = format!("{bob}/inbox");
    let mallory = remote.actor("mallory");
    let (s, _) = block(a, Some(admin), json!({"actor": mallory})).await;
    assert_eq!(s, 201);
    let (s, body) = remote
        .post(
            &inbox,
            &follow(remote, "mallory", bob, 1),
            &Sign::by("mallory"),
        )
        .await;
    assert_eq!(s, 403, "{body}");
    assert!(body["error"].as_str().unwrap().contains("blocked"));
    let (s, _) = remote
        .post(&inbox, &follow(remote, "eve", bob, 2), &Sign::by("eve"))
        .await;
    assert_eq!(s, 202);
    let (s, list) = admin_call(a, Some(admin), reqwest::Method::GET, None, "").await;
    assert_eq!(s, 200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let query = format!("?actor={}", urlencode(&mallory));
    assert_eq!(unblock(a, admin, &query).await, 204);
    let (s, _) = remote
        .post(
            &inbox,
            &follow(remote, "mallory", bob, 3),
            &Sign::by("mallory"),
        )
        .await;
    assert_eq!(s, 202);
}

/// Blocking the whole host: nothing in, nothing out (the instance's own host is refused).
async fn a_host_block_stops_everything_in_and_out(a: &Instance, remote: &FakeRemote, admin: &str) {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = remote.received().len();
    let (s, _) = block(a, Some(admin), json!({"host": "127.0.0.1"})).await;
    assert_eq!(s, 400, "the instance's own host cannot be blocked");
    let other = FakeRemote::start();
    let (s, _) = block(a, Some(admin), json!({"host": "localhost"})).await;
    assert_eq!(s, 201);
    let alice_token = a.login("alice").await;
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

#[tokio::test]
async fn a_host_block_with_a_port_matches_that_port() {
    let remote = FakeRemote::start();
    let other = FakeRemote::start();
    let a = with_admin().await;
    let bob = a.register("bob").await;
    let admin = a.login("admin").await;
    let authority = remote.url.trim_start_matches("http://").to_string();
    what_never_matches_is_refused(&a, &admin).await;
    port_block_refuses_only_that_port(&a, &remote, &other, &admin, &bob).await;

    // Nothing is delivered to the blocked host:port either.
    let bob_token = a.login("bob").await;
    let (s, _) = a
        .post_outbox(
            "bob",
            &bob_token,
            &json!({"type": "Follow", "object": remote.actor("mallory")}),
        )
        .await;
    assert_eq!(s, 201);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        remote.received().is_empty(),
        "nothing is delivered to a blocked host:port"
    );

    // Unblocked by the same text.
    let query = format!("?host={}", urlencode(&authority));
    assert_eq!(unblock(&a, &admin, &query).await, 204);
    let (s, body) = remote
        .post(
            &format!("{bob}/inbox"),
            &follow(&remote, "eve", &bob, 2),
            &Sign::by("eve"),
        )
        .await;
    assert_eq!(s, 202, "{body}");
}

/// A host block that can never match, or names the instance's own host:port, is refused.
async fn what_never_matches_is_refused(a: &Instance, admin: &str) {
    for bad in [
        "127.0.0.1:0",
        "127.0.0.1:99999",
        "127.0.0.1:x",
        "http://127.0.0.1",
        "a/b",
    ] {
        let (s, body) = block(a, Some(admin), json!({"host": bad})).await;
        assert_eq!(s, 400, "{bad}: {body}");
        assert!(body["error"].as_str().is_some(), "{bad}: {body}");
    }
    let own = format!("127.0.0.1:{}", a.port);
    let (s, _) = block(a, Some(admin), json!({"host": own})).await;
    assert_eq!(s, 400, "the instance's own host:port cannot be blocked");
}

/// Blocking `remote`'s host:port refuses its activities, and only its (`other` is heard).
async fn port_block_refuses_only_that_port(
    a: &Instance,
    remote: &FakeRemote,
    other: &FakeRemote,
    admin: &str,
    bob: &str,
) {
    let inbox = format!("{bob}/inbox");
    let authority = remote.url.trim_start_matches("http://").to_string();
    let (s, record) = block(a, Some(admin), json!({"host": authority})).await;
    assert_eq!(s, 201, "{record}");
    assert_eq!(record["host"], json!(authority));
    let (s, body) = remote
        .post(&inbox, &follow(remote, "eve", bob, 1), &Sign::by("eve"))
        .await;
    assert_eq!(s, 403, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("blocked"),
        "{body}"
    );
    let (s, body) = other
        .post(&inbox, &follow(other, "eve", bob, 1), &Sign::by("eve"))
        .await;
    assert_eq!(
        s, 202,
        "another port of the same host is not blocked: {body}"
    );
}

#[tokio::test]
async fn the_inbox_rate_is_the_client_address_and_the_verified_host() {
    let remote = FakeRemote::start();
    // 60 a minute: bursts of 10.
    let limited = Instance::start(
        "limited",
        "[federation]\nallow_private_addresses = true\ninbox_requests_per_minute = 60\n",
    )
    .await;
    let bob = limited.register("bob").await;
    let inbox = format!("{bob}/inbox");

    // Rotating made-up keyId hosts from one address: the address's budget still runs out.
    let rotating = statuses(&remote, &inbox, &bob, 14, 0, |i| {
        let mut s = Sign::by("eve");
        s.key_id = Some(format!(
            "http://127.0.{}.{}:9/users/x#main-key",
            i / 200,
            2 + i % 200
        ));
        s.from = Some("127.0.0.2".parse().unwrap());
        s
    })
    .await;
    assert!(rotating[..10].iter().all(|s| *s == 401), "{rotating:?}");
    assert_eq!(rotating[13], 429, "{rotating:?}");

    // A forger (another address) naming eve's key spends its own budget, not eve's host's.
    let forged = statuses(&remote, &inbox, &bob, 14, 100, |_| {
        let mut s = Sign::by("eve");
        s.key_of = Some("mallory".into());
        s.from = Some("127.0.0.3".parse().unwrap());
        s
    })
    .await;
    assert!(forged[..10].iter().all(|s| *s == 401), "{forged:?}");
    assert_eq!(forged[13], 429, "{forged:?}");
    let genuine = statuses(&remote, &inbox, &bob, 10, 200, |_| Sign::by("eve")).await;
    assert!(
        genuine.iter().all(|s| *s == 202),
        "eve's host keeps its budget: {genuine:?}"
    );

    the_host_budget_is_shared(&remote, &inbox, &bob).await;
}
