//! The free-space guard (`[storage] min_free_mb`, issue 13 item 20) over real HTTP and SSH, on a
//! small tmpfs: while free space is below the threshold every write (registration, login, C2S
//! outbox, a signed inbox POST, an SSH push) is refused with 507, Retry-After and the reason, and
//! changes nothing, while reads are served; once space returns writes are accepted again without
//! a restart.

mod common;

use common::forge::with_repo_on;
use common::git::{commit, ok, path_of, rev, work_tree, GitUser};
use common::remote::{FakeRemote, Sign};
use common::tmpfs::{free_bytes, Mounted};
use common::{client, eventually, Instance};
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;

const MIB: u64 = 1024 * 1024;
/// The guard's threshold in this test, in MiB.
const MIN_FREE_MB: u64 = 24;

async fn register(a: &Instance, name: &str) -> reqwest::Response {
    client()
        .post(a.at("/api/v1/register"))
        .json(&json!({"username": name, "password": "correct horse"}))
        .send()
        .await
        .unwrap()
}

/// Asserts a 507 with Retry-After and the guard's reason.
fn assert_refused(what: &str, status: u16, retry_after: Option<&str>, body: &Value) {
    assert_eq!(status, 507, "{what}: {body}");
    assert!(retry_after.is_some(), "{what}: Retry-After is sent");
    let reason = body["error"].as_str().unwrap_or_default();
    assert!(
        reason.contains("storage is almost full")
            && reason.contains(&format!("min_free_mb = {MIN_FREE_MB}")),
        "{what}: {body}"
    );
}

/// Writes a filler file on `disk` until less than `left` bytes are free.
fn fill(disk: &Path, left: u64) -> std::path::PathBuf {
    let path = disk.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![7u8; MIB as usize];
    while free_bytes(disk) >= left {
        f.write_all(&chunk).unwrap();
    }
    path
}

/// What the scenario works on: the instance, alice's git user and repository (its SSH path),
/// her work tree, token and IRI, the fake remote and mallory's Follow of alice.
struct Scene<'a> {
    a: &'a Instance,
    alice: &'a GitUser,
    repo: &'a str,
    path: &'a str,
    tmp: &'a Path,
    src: &'a Path,
    token: &'a str,
    alice_iri: &'a str,
    remote: &'a FakeRemote,
    follow: &'a [u8],
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_are_refused_while_the_disk_is_almost_full_and_accepted_again_when_space_returns() {
    let base = tempfile::tempdir().unwrap();
    let disk = base.path().join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let Some(_mounted) = Mounted::tmpfs(&disk, 96) else {
        return;
    };
    let extra = format!("[storage]\nmin_free_mb = {MIN_FREE_MB}\n");
    let (w, alice, repo) = with_repo_on("Guarded", &extra, Some(&disk)).await;
    let a = &w.a;
    let remote = FakeRemote::start();
    let alice_iri = a.at("/people/alice");
    let path = path_of(&repo);
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 1);
    ok(alice.git(&src, &["push", &alice.url(&path), "main"]));
    let pushed = rev(&src, "HEAD");
    let token = a.login("alice").await;
    let follow = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/1", remote.actor("mallory")),
        "type": "Follow",
        "actor": remote.actor("mallory"),
        "object": alice_iri,
    }))
    .unwrap();
    let scene = Scene {
        a,
        alice: &alice,
        repo: &repo,
        path: &path,
        tmp: tmp.path(),
        src: &src,
        token: &token,
        alice_iri: &alice_iri,
        remote: &remote,
        follow: &follow,
    };

    // Free space well under the threshold, but far from zero: sled never meets ENOSPC.
    let filler = fill(&disk, (MIN_FREE_MB / 2) * MIB);
    let refused_login = || async move {
        let (status, _) = a.try_login("alice", "correct horse").await;
        status == 507
    };
    assert!(eventually(10, refused_login).await, "the guard noticed");
    every_write_is_refused(&scene).await;
    reads_are_served_and_nothing_changed(&scene, &pushed).await;

    // Space returns: writes are accepted again, with no restart.
    std::fs::remove_file(&filler).unwrap();
    writes_are_accepted_again(&scene).await;
}

/// Registration, login, a signed inbox POST, a C2S outbox POST and an SSH push are refused.
async fn every_write_is_refused(t: &Scene<'_>) {
    let a = t.a;
    let res = register(a, "bob").await;
    let (status, retry) = (
        res.status().as_u16(),
        res.headers().get("retry-after").cloned(),
    );
    let body: Value = res.json().await.unwrap_or_default();
    assert_refused(
        "register",
        status,
        retry.as_ref().and_then(|v| v.to_str().ok()),
        &body,
    );

    let (status, body) = a.try_login("alice", "correct horse").await;
    assert_eq!(status, 507, "login writes a token: {body}");

    let inbox = format!("{}/inbox", t.alice_iri);
    let (status, headers, body) = t
        .remote
        .post_with_headers(&inbox, t.follow, &Sign::by("mallory"))
        .await;
    let retry = headers.get("retry-after").and_then(|v| v.to_str().ok());
    assert_refused("signed inbox POST", status, retry, &body);

    let (status, body) = a.post_outbox("alice", t.token, &note()).await;
    assert_eq!(status, 507, "C2S outbox POST: {body}");

    commit(t.src, "more.txt", "a second commit");
    let out = t.alice.git(t.src, &["push", &t.alice.url(t.path), "main"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the push was accepted: {stderr}");
    assert!(
        stderr.contains("push refused") && stderr.contains("storage is almost full"),
        "a clear git error: {stderr}"
    );
}

/// Reads are served, and nothing changed (no follower; `main` still at `pushed`).
async fn reads_are_served_and_nothing_changed(t: &Scene<'_>, pushed: &str) {
    let alice_iri = t.alice_iri;
    for url in [
        alice_iri.to_string(),
        format!("{alice_iri}/outbox"),
        t.repo.to_string(),
    ] {
        let (status, body) = t.a.get_ap(&url).await;
        assert_eq!(status, 200, "GET {url}: {body}");
    }
    assert_eq!(t.a.total(&format!("{alice_iri}/followers"), None).await, 0);
    let listed = ok(t
        .alice
        .git(t.tmp, &["ls-remote", &t.alice.url(t.path), "main"]));
    assert!(listed.starts_with(pushed), "the ref moved: {listed}");
}

/// Once space returns: registration, the retried inbox POST, the push and the outbox POST are
/// accepted.
async fn writes_are_accepted_again(t: &Scene<'_>) {
    let a = t.a;
    let registered = || async move { register(a, "bob").await.status() == 201 };
    assert!(eventually(20, registered).await, "register works again");
    let inbox = format!("{}/inbox", t.alice_iri);
    let (status, body) = t.remote.post(&inbox, t.follow, &Sign::by("mallory")).await;
    assert_eq!(status, 202, "the retried inbox POST is accepted: {body}");
    let followers = format!("{}/followers", t.alice_iri);
    let followed = || {
        let url = followers.clone();
        async move { a.total(&url, None).await == 1 }
    };
    assert!(eventually(15, followed).await, "the Follow was applied");
    ok(t.alice.git(t.src, &["push", &t.alice.url(t.path), "main"]));
    let listed = ok(t
        .alice
        .git(t.tmp, &["ls-remote", &t.alice.url(t.path), "main"]));
    assert!(listed.starts_with(&rev(t.src, "HEAD")), "{listed}");
    let (status, body) = a.post_outbox("alice", t.token, &note()).await;
    assert_eq!(status, 201, "C2S outbox POST: {body}");
}

/// The Note alice posts through her outbox.
fn note() -> Value {
    json!({"type": "Create", "object": {"type": "Note", "content": "hi"}})
}
