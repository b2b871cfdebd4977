//! Interop with an implementation that is not ours: a Node peer (tests/interop/fedify/peer.mjs)
//! built on the npm package `@fedify/fedify` 1.10.x. Fedify's own code finds a person and a
//! repository here by WebFinger and loads their documents, signs a Follow and a Like
//! (draft-cavage) that we must accept, and verifies with its own `verifyRequest` the Accepts and
//! the Push we send it.
//!
//! Needs Node (20 or later) and `cd tests/interop/fedify && npm ci` (.ci/run does both). Without
//! them the test is skipped, unless `CI` is set, where it fails. `ORCHARD_INTEROP_NODE` names
//! another node binary.

mod common;

use common::forge::with_repo;
use common::git::{ok, path_of, rev, work_tree, GitUser};
use common::process::JsonLinePeer;
use common::{eventually, Instance};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::Command;

const PEER_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/fedify");
const WAIT: Duration = Duration::from_secs(30);

/// The node binary to use, or None when the test is skipped (node or the package missing,
/// outside CI).
fn node_with_fedify() -> Option<String> {
    let node = std::env::var("ORCHARD_INTEROP_NODE").unwrap_or_else(|_| "node".into());
    let runs = std::process::Command::new(&node)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let installed = Path::new(PEER_DIR)
        .join("node_modules/@fedify/fedify/package.json")
        .exists();
    if runs && installed {
        return Some(node);
    }
    let how = "cd tests/interop/fedify && npm ci";
    let missing = if runs {
        format!("{PEER_DIR}/node_modules (@fedify/fedify), installed by: {how}")
    } else {
        format!(
            "the `{node}` binary (Node.js 18 or later, e.g. apt-get install nodejs npm), \
             then: {how}"
        )
    };
    if std::env::var_os("CI").is_some() {
        panic!("missing {missing}. .ci/run should have installed Node and the Fedify peer");
    }
    eprintln!("skipped: the Fedify interop test needs {missing}");
    None
}

/// Starts the peer; `plain_http` is the authority of the instance, whose `acct:` WebFinger
/// Fedify would otherwise ask over https (see peer.mjs).
async fn spawn_peer(node: &str, plain_http: &str) -> JsonLinePeer {
    let script: PathBuf = Path::new(PEER_DIR).join("peer.mjs");
    let mut command = Command::new(node);
    command.arg(script).args(["--plain-http", plain_http]);
    let (peer, ready) = JsonLinePeer::spawn(command, "the Fedify peer", WAIT, 600).await;
    eprintln!(
        "Fedify peer: @fedify/fedify {} on Node {}",
        ready["fedify"], ready["node"]
    );
    peer
}

/// The Fedify peer's commands.
impl JsonLinePeer {
    async fn discover(&mut self, resource: &str) -> Value {
        self.command(&format!("discover {resource}")).await;
        self.wait_for(&format!("the discovery of {resource}"), |e| {
            e["event"] == "discovered" && e["resource"] == resource
        })
        .await
    }

    /// Sends a Follow or Like of `object`; returns the `post` event (status and body).
    async fn post(&mut self, kind: &str, object: &str) -> Value {
        self.command(&format!("{} {object}", kind.to_lowercase()))
            .await;
        self.wait_for(&format!("the POST of a {kind}"), |e| {
            e["event"] == "post" && e["type"] == kind
        })
        .await
    }

    /// The next activity of type `kind` by `actor` that reached the peer's inbox.
    async fn received(&mut self, kind: &str, actor: &str) -> Value {
        self.wait_for(&format!("a {kind} from {actor}"), |e| {
            e["event"] == "inbox" && e["type"] == kind && e["actor"] == actor
        })
        .await
    }
}

/// Why Fedify's verifyRequest (and the key-owner check) did not accept a delivery, or None.
fn refusal(event: &Value) -> Option<String> {
    if event["verified"] == true && event["owner_matches"] == true {
        return None;
    }
    Some(format!(
        "Fedify refused our signed {} (keyId {}): verified={}, owner_matches={}; Fedify's log:\n  {}",
        event["type"],
        event["signature"]["keyId"],
        event["verified"],
        event["owner_matches"],
        event["fedify_log"]
            .as_array()
            .map(|lines| lines
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n  "))
            .unwrap_or_default()
    ))
}

#[tokio::test]
async fn fedify_discovers_follows_stars_and_verifies_our_signatures() {
    let Some(node) = node_with_fedify() else {
        return;
    };
    let (w, alice_git, repo) = with_repo("Fedify Target").await;
    let a = &w.a;
    let alice = a.at("/people/alice");
    let authority = format!("127.0.0.1:{}", a.port);
    let mut peer = spawn_peer(&node, &authority).await;

    // (a) WebFinger and document loading by Fedify: the person by acct:, the repository by IRI.
    fedify_finds_the_person(&mut peer, &authority, &alice).await;
    fedify_finds_the_repository(&mut peer, &repo).await;
    // (b) Following the person: a Fedify-signed Follow is stored, and Fedify verifies our Accept.
    fedify_follows_the_person(&mut peer, &alice).await;
    // (c) Following the repository: stored, the peer is a follower, and our Accept reaches it.
    let repo_accept = fedify_follows_the_repository(&mut peer, a, &repo).await;
    // (d) A Fedify-signed Like stars the repository.
    fedify_stars_the_repository(&mut peer, a, &repo).await;
    // (e) alice pushes with git over SSH; the repository's Push reaches the follower.
    let push = the_push_reaches_fedify(&mut peer, &alice_git, &alice, &repo).await;

    // Every signed request of the peer was accepted; Fedify's verification of what the
    // repository signed is checked last, so that a refusal still lets the steps above run.
    let refusals: Vec<String> = [&repo_accept, &push]
        .into_iter()
        .filter_map(refusal)
        .collect();
    assert!(refusals.is_empty(), "{}", refusals.join("\n\n"));
    assert_eq!(a.total(&format!("{repo}/followers"), None).await, 1);
    peer.command("quit").await;
}

/// Fedify finds alice by `acct:alice@authority`: WebFinger, her document, and lookupObject.
async fn fedify_finds_the_person(peer: &mut JsonLinePeer, authority: &str, alice: &str) {
    let acct = format!("acct:alice@{authority}");
    let found = peer.discover(&acct).await;
    assert_eq!(found["webfinger"]["subject"], acct.as_str(), "{found}");
    assert_eq!(found["self"], alice, "{found}");
    assert_eq!(found["document"]["type"], "Person", "{found}");
    let lookup = &found["lookup"];
    assert_eq!(lookup["class"], "Person", "Fedify's lookupObject: {found}");
    assert_eq!(lookup["id"], alice, "{found}");
    assert_eq!(lookup["inbox"], format!("{alice}/inbox"), "{found}");
    assert_eq!(lookup["publicKey"]["id"], format!("{alice}#main-key"));
    assert_eq!(lookup["publicKey"]["owner"], alice);
}

/// Fedify finds the repository by its IRI: WebFinger and its document.
async fn fedify_finds_the_repository(peer: &mut JsonLinePeer, repo: &str) {
    let found = peer.discover(repo).await;
    assert_eq!(found["webfinger"]["subject"], repo, "{found}");
    assert_eq!(found["self"], repo, "{found}");
    let doc = &found["document"];
    assert_eq!(doc["id"], repo, "Fedify's document loader: {found}");
    assert_eq!(doc["type"], "Repository", "{found}");
    assert_eq!(doc["inbox"], format!("{repo}/inbox"), "{found}");
    assert_eq!(doc["publicKey"]["owner"], repo, "{found}");
    // Fedify's vocabulary has no ForgeFed types: lookupObject answers null for a Repository
    // (see docs/interop.md); when it does parse it, the object must be ours.
    if !found["lookup"].is_null() {
        assert_eq!(found["lookup"]["id"], repo, "{found}");
    }
    eprintln!(
        "Fedify's lookupObject of the repository: {} {}",
        found["lookup"], found["lookup_error"]
    );
}

/// A Fedify-signed Follow of alice is stored, and Fedify verifies our Accept.
async fn fedify_follows_the_person(peer: &mut JsonLinePeer, alice: &str) {
    let follow = peer.post("Follow", alice).await;
    assert_eq!(
        follow["status"], 202,
        "Fedify's signed Follow of alice: {follow}"
    );
    let accept = peer.received("Accept", alice).await;
    assert_eq!(accept["object"]["id"], follow["id"], "{accept}");
    assert_eq!(accept["key_id"], format!("{alice}#main-key"), "{accept}");
    if let Some(why) = refusal(&accept) {
        panic!("{why}");
    }
    assert_eq!(accept["does_actor_own_key"], true, "{accept}");
}

/// A Fedify-signed Follow of the repository is stored, the peer is a follower, and our Accept
/// reaches it. Answers the Accept as the peer received it.
async fn fedify_follows_the_repository(peer: &mut JsonLinePeer, a: &Instance, repo: &str) -> Value {
    let fedify = peer.actor.clone();
    let follow = peer.post("Follow", repo).await;
    assert_eq!(
        follow["status"], 202,
        "Fedify's signed Follow of the repository: {follow}"
    );
    let followers = format!("{repo}/followers");
    let follows = || async {
        a.collection(&followers, None)
            .await
            .iter()
            .any(|v| v.as_str() == Some(fedify.as_str()))
    };
    assert!(
        eventually(10, follows).await,
        "the peer follows the repository"
    );
    let repo_accept = peer.received("Accept", repo).await;
    assert_eq!(repo_accept["object"]["id"], follow["id"], "{repo_accept}");
    repo_accept
}

/// A Fedify-signed Like stars the repository.
async fn fedify_stars_the_repository(peer: &mut JsonLinePeer, a: &Instance, repo: &str) {
    let fedify = peer.actor.clone();
    let like = peer.post("Like", repo).await;
    assert_eq!(like["status"], 202, "Fedify's signed Like: {like}");
    let likes = format!("{repo}/likes");
    let starred = || async {
        a.collection(&likes, None)
            .await
            .iter()
            .any(|v| v.as_str() == Some(fedify.as_str()))
    };
    assert!(
        eventually(10, starred).await,
        "the peer starred the repository"
    );
}

/// alice pushes with git over SSH; the repository's Push reaches the follower. Answers the Push
/// as the peer received it.
async fn the_push_reaches_fedify(
    peer: &mut JsonLinePeer,
    alice_git: &GitUser,
    alice: &str,
    repo: &str,
) -> Value {
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 2);
    let path = path_of(repo);
    ok(alice_git.git(&src, &["push", &alice_git.url(&path), "main"]));
    let head = rev(&src, "HEAD");
    let push = peer.received("Push", repo).await;
    assert_eq!(push["hashAfter"], head.as_str(), "{push}");
    assert_eq!(push["attributedTo"], alice, "{push}");
    let commits = push["commits"].as_array().cloned().unwrap_or_default();
    assert!(
        commits.iter().any(|c| c.as_str() == Some(head.as_str())),
        "the Push lists the pushed commit {head}: {push}"
    );
    push
}
