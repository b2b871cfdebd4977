//! Interop with an implementation that is not ours: a Python peer (tests/interop/bovine_peer.py)
//! whose HTTP signatures are made and checked by the PyPI package `bovine` (one by `httpsig`, in
//! the `Signature` header) follows a person here, verifies our signed Accept with bovine's code,
//! and sends a Like and an activity of a type we do not know.
//!
//! Needs `python3 -m pip install -r tests/interop/requirements.txt` (.ci/run does it). Without
//! those packages the test is skipped, unless `CI` is set, where it fails.
//! `ORCHARD_INTEROP_PYTHON` names another interpreter (e.g. a virtualenv's).

mod common;

use common::process::JsonLinePeer;
use common::{eventually, Instance};
use serde_json::Value;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::Command;

const PRIVATE_OK: &str = "[federation]\nallow_private_addresses = true\n";
const REQUIREMENTS: &str = "tests/interop/requirements.txt";
const WAIT: Duration = Duration::from_secs(20);

/// The interpreter to use, or None when the test is skipped (packages missing outside CI).
fn python_with_bovine() -> Option<String> {
    let python = std::env::var("ORCHARD_INTEROP_PYTHON").unwrap_or_else(|_| "python3".into());
    let importable = std::process::Command::new(&python)
        .args(["-c", "import bovine, httpsig"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if importable {
        return Some(python);
    }
    let how = format!("{python} -m pip install -r {REQUIREMENTS}");
    if std::env::var_os("CI").is_some() {
        panic!(
            "{python} cannot import bovine and httpsig: .ci/run should have installed them ({how})"
        );
    }
    eprintln!("skipped: the bovine interop test needs Python packages: {how}");
    None
}

/// Starts the bovine peer.
async fn spawn_peer(python: &str) -> JsonLinePeer {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/bovine_peer.py");
    let mut command = Command::new(python);
    command.arg(script);
    JsonLinePeer::spawn(command, "the bovine peer", WAIT, 400)
        .await
        .0
}

/// The bovine peer's commands.
impl JsonLinePeer {
    /// Sends a command that POSTs an activity and returns the `post` event (status and body).
    async fn post(&mut self, command: &str, via: &str, kind: &str) -> Value {
        self.command(command).await;
        let what = format!("the {via} POST of a {kind}");
        self.wait_for(&what, |e| {
            e["event"] == "post" && e["via"] == via && e["type"] == kind
        })
        .await
    }
}

fn refers_to(value: &Value, id: &str) -> bool {
    value.as_str() == Some(id) || value["id"].as_str() == Some(id)
}

#[tokio::test]
async fn bovine_follows_and_likes_and_verifies_our_accept() {
    let Some(python) = python_with_bovine() else {
        return;
    };
    let a = Instance::start("a", PRIVATE_OK).await;
    let bob = a.register("bob").await;
    let token = a.login("bob").await;
    let mut peer = spawn_peer(&python).await;
    let cow = peer.actor.clone();

    // (a) A Follow signed by bovine's SignedHttpClient is accepted...
    let follow = peer
        .post(&format!("follow {bob}"), "bovine", "Follow")
        .await;
    assert_eq!(follow["status"], 202, "bovine's signed Follow: {follow}");
    let follow_id = follow["id"].as_str().expect("id").to_string();
    let followers = format!("{bob}/followers");
    let follows = || async {
        a.collection(&followers, None)
            .await
            .iter()
            .any(|v| v.as_str() == Some(cow.as_str()))
    };
    assert!(eventually(10, follows).await, "the peer follows bob");

    // (b) ... and our Accept reaches the peer, whose bovine code verifies our signature.
    our_accept_is_verified(&mut peer, &bob, &follow_id).await;

    // (c) A Like signed by bovine and (d) an unknown activity signed by httpsig are stored too.
    let like = peer
        .post(&format!("send Like {bob}"), "bovine", "Like")
        .await;
    assert_eq!(like["status"], 202, "bovine's signed Like: {like}");
    let moo = peer
        .post(&format!("httpsig Moo {bob}"), "httpsig", "Moo")
        .await;
    assert_eq!(moo["status"], 202, "httpsig's signed Moo: {moo}");
    let inbox = a.collection(&format!("{bob}/inbox"), Some(&token)).await;
    for sent in [&follow, &like, &moo] {
        assert!(
            inbox
                .iter()
                .any(|item| refers_to(item, sent["id"].as_str().unwrap())),
            "bob's inbox holds {}: {inbox:?}",
            sent["id"]
        );
    }
    assert_eq!(a.total(&followers, None).await, 1);
    peer.command("quit").await;
}

/// Our Accept of the Follow `follow_id` reaches the peer, whose bovine (and httpsig) code
/// verifies our signature with bob's key.
async fn our_accept_is_verified(peer: &mut JsonLinePeer, bob: &str, follow_id: &str) {
    let accept = peer
        .wait_for("our Accept", |e| {
            e["event"] == "inbox" && e["type"] == "Accept"
        })
        .await;
    assert_eq!(accept["actor"], bob, "{accept}");
    assert!(refers_to(&accept["object"], follow_id), "{accept}");
    assert_eq!(accept["key_id"], format!("{bob}#main-key"), "{accept}");
    assert_eq!(accept["key_fetch_status"], 200, "{accept}");
    assert_eq!(
        accept["verified"], true,
        "bovine rejects our signature: {accept}"
    );
    assert_eq!(accept["controller"], bob, "{accept}");
    assert_eq!(
        accept["httpsig_verified"], true,
        "httpsig rejects our signature: {accept}"
    );
}
