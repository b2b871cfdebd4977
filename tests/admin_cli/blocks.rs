//! `blocks list|add|remove` through the socket and on a stopped instance: a host block refuses
//! the signed POSTs of that host at once, lifting it lets them in again; what is no host, this
//! instance itself and what is not blocked are refused and change nothing.

use crate::common::remote::{FakeRemote, Sign};
use crate::common::Instance;
use crate::run::admin;
use serde_json::{json, Value};

/// A signed Follow from the remote's eve to `bob`: the inbox's status.
async fn follow_status(remote: &FakeRemote, bob: &str, n: u32) -> u16 {
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/{n}", remote.actor("eve")),
        "type": "Follow", "actor": remote.actor("eve"), "object": bob,
    }))
    .unwrap();
    remote
        .post(&format!("{bob}/inbox"), &body, &Sign::by("eve"))
        .await
        .0
}

async fn listed(a: &Instance) -> Vec<Value> {
    let out = admin(a, &["blocks", "list", "--json"], None).await.ok();
    serde_json::from_str::<Vec<Value>>(&out).expect("JSON")
}

#[tokio::test]
async fn blocks_through_the_socket_and_on_a_stopped_instance() {
    let remote = FakeRemote::start();
    let authority = remote.url.trim_start_matches("http://").to_string();
    let mut a = Instance::start("a", "[federation]\nallow_private_addresses = true\n").await;
    let bob = a.register("bob").await;
    assert_eq!(follow_status(&remote, &bob, 1).await, 202);

    let out = admin(&a, &["blocks", "add", &authority], None).await.ok();
    assert!(out.contains(&authority), "{out}");
    assert_eq!(
        follow_status(&remote, &bob, 2).await,
        403,
        "refused at once"
    );
    let table = admin(&a, &["blocks", "list"], None).await.ok();
    assert!(
        table.contains(&authority) && table.contains("operator"),
        "{table}"
    );
    let actor = "https://spam.example/users/x";
    admin(&a, &["blocks", "add", actor], None).await.ok();
    assert_eq!(listed(&a).await.len(), 2);

    refusals(&a).await;
    assert_eq!(listed(&a).await.len(), 2, "the refusals changed nothing");

    admin(&a, &["blocks", "remove", &authority], None)
        .await
        .ok();
    assert_eq!(follow_status(&remote, &bob, 3).await, 202, "lifted");
    admin(&a, &["blocks", "remove", actor], None).await.ok();
    assert!(listed(&a).await.is_empty());

    // On the stopped instance: the block is stored and holds once it runs again.
    a.stop().await;
    admin(&a, &["blocks", "add", &authority], None).await.ok();
    assert_eq!(listed(&a).await.len(), 1);
    admin(&a, &["blocks", "add", "no/host"], None)
        .await
        .fails(1, "is not a host name");
    a.restart().await;
    assert_eq!(follow_status(&remote, &bob, 4).await, 403);
    a.stop().await;
    admin(&a, &["blocks", "remove", &authority], None)
        .await
        .ok();
    a.restart().await;
    assert_eq!(follow_status(&remote, &bob, 5).await, 202);
}

/// Bad hosts and IRIs, this instance itself, and lifting what is not blocked.
async fn refusals(a: &Instance) {
    for bad in ["no/host", "u@h", "h:0", "", "ftp://x.example/u"] {
        let ran = admin(a, &["blocks", "add", bad], None).await;
        assert_eq!(ran.status, 1, "{bad}: {ran:?}");
        assert!(ran.stderr.contains("is not"), "{bad}: {ran:?}");
    }
    let own = a.url.trim_start_matches("http://").to_string();
    admin(a, &["blocks", "add", &own], None)
        .await
        .fails(1, "cannot block itself");
    admin(a, &["blocks", "remove", "never.example"], None)
        .await
        .fails(1, "is not blocked");
}
