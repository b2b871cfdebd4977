//! SSH public keys of people over real HTTP (`/api/v1/ssh-keys`): add, list, delete, every
//! rejection, persistence across a restart; and the SSH server's side of them with the real
//! OpenSSH client: a registered key authenticates, a deleted or unknown one does not, the host
//! key stays the same across restarts, and shells, other commands and unknown repositories are
//! refused with a message.

#[path = "../common/mod.rs"]
mod common;

mod api;
mod keys;

use api::{add, delete, list, post};
use common::git::{keygen, GitUser};
use common::Instance;
use keys::{
    host_keys, openssh_fingerprint, public_key, rsa_key, ssh_with, stderr, DSA, ED_SLASH,
    ED_SLASH_FINGERPRINT, RSA_1024,
};
use serde_json::json;

/// An instance with alice and bob logged in, and alice's key (made by ssh-keygen).
struct Keys {
    inst: Instance,
    alice: String,
    bob: String,
    /// The key's .pub line, its fingerprint as OpenSSH prints it, and the POST body adding it.
    line: String,
    fingerprint: String,
    body: String,
}

#[tokio::test]
async fn add_list_delete_and_every_rejection() {
    let inst = Instance::start("keys", "").await;
    inst.register("alice").await;
    inst.register("bob").await;
    let alice = inst.login("alice").await;
    let bob = inst.login("bob").await;
    let (dir, key) = keygen();
    let line = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let line = line.trim().to_string();
    let fingerprint = openssh_fingerprint(&key.with_extension("pub"));
    let body = json!({ "key": line }).to_string();
    let k = Keys {
        inst,
        alice,
        bob,
        line,
        fingerprint,
        body,
    };
    no_token_no_keys(&k).await;
    added_and_owned_once(&k).await;
    bad_keys_and_bad_bodies(&k).await;
    other_types_are_accepted(&k).await;
    deleting_frees_the_key(&k).await;
    fingerprints_with_slash_and_plus(&k).await;
    drop(dir);
}

/// No token, or an unknown one.
async fn no_token_no_keys(k: &Keys) {
    let (body, fingerprint) = (&k.body, &k.fingerprint);
    assert_eq!(post(&k.inst, None, body.clone()).await.0, 401);
    assert_eq!(post(&k.inst, Some("nope"), body.clone()).await.0, 401);
    assert_eq!(list(&k.inst, None).await.0, 401);
    assert_eq!(delete(&k.inst, None, fingerprint).await.0, 401);
}

/// Added: the fingerprint as OpenSSH prints it, the key without its comment. A key belongs to
/// one person.
async fn added_and_owned_once(k: &Keys) {
    let (body, fingerprint, line) = (&k.body, &k.fingerprint, &k.line);
    let (s, added) = post(&k.inst, Some(&k.alice), body.clone()).await;
    assert_eq!(s, 201, "{added}");
    assert_eq!(added["fingerprint"], fingerprint.as_str());
    let without_comment = line.rsplit_once(' ').unwrap().0;
    assert_eq!(added["key"], without_comment);
    assert_eq!(added["comment"], "orchard-test");
    assert!(added["added"].as_str().is_some_and(|t| t.contains('T')));
    let (s, keys) = list(&k.inst, Some(&k.alice)).await;
    assert_eq!(s, 200);
    assert_eq!(keys, json!([added.clone()]));
    assert_eq!(list(&k.inst, Some(&k.bob)).await.1, json!([]));

    // A key belongs to one person.
    let (s, e) = post(&k.inst, Some(&k.alice), body.clone()).await;
    assert_eq!(
        (s, e["error"].as_str()),
        (409, Some("this key already belongs to a person"))
    );
    assert_eq!(post(&k.inst, Some(&k.bob), body.clone()).await.0, 409);
    assert_eq!(list(&k.inst, Some(&k.bob)).await.1, json!([]));
}

/// Bad keys and bad bodies.
async fn bad_keys_and_bad_bodies(k: &Keys) {
    let line = &k.line;
    let (s, e) = add(&k.inst, &k.alice, DSA).await;
    assert_eq!(s, 400);
    assert!(e["error"].as_str().unwrap().contains("DSA"), "{e}");
    let (s, e) = add(&k.inst, &k.alice, RSA_1024).await;
    assert_eq!(s, 400);
    assert!(e["error"].as_str().unwrap().contains("2048"), "{e}");
    for garbage in [
        "",
        "garbage",
        "ssh-ed25519 AAAA",
        "ssh-ed25519 !!!! x",
        &format!("{line}\n{line}"),
    ] {
        let (s, e) = add(&k.inst, &k.alice, garbage).await;
        assert_eq!(s, 400, "{garbage:?}: {e}");
        assert!(e["error"].is_string(), "{e}");
    }
    assert_eq!(
        post(&k.inst, Some(&k.alice), "{not json".into()).await.0,
        400
    );
    assert_eq!(post(&k.inst, Some(&k.alice), "{}".into()).await.0, 400);
    assert_eq!(
        list(&k.inst, Some(&k.alice))
            .await
            .1
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

/// Other accepted types.
async fn other_types_are_accepted(k: &Keys) {
    let (_d1, ecdsa) = public_key("ecdsa", Some("384"));
    let (s, e) = add(&k.inst, &k.bob, &ecdsa).await;
    assert_eq!(s, 201, "{e}");
    let (_d2, rsa) = public_key("rsa", Some("3072"));
    let (s, e) = add(&k.inst, &k.bob, &rsa).await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(
        list(&k.inst, Some(&k.bob)).await.1.as_array().map(Vec::len),
        Some(2)
    );
}

/// Deleting: only one's own key; with or without the SHA256: prefix.
async fn deleting_frees_the_key(k: &Keys) {
    let (body, fingerprint) = (k.body.clone(), &k.fingerprint);
    let (s, e) = delete(&k.inst, Some(&k.bob), fingerprint).await;
    assert_eq!(s, 404, "{e}");
    assert!(e["error"].is_string());
    assert_eq!(
        list(&k.inst, Some(&k.alice))
            .await
            .1
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(delete(&k.inst, Some(&k.alice), fingerprint).await.0, 204);
    assert_eq!(list(&k.inst, Some(&k.alice)).await.1, json!([]));
    assert_eq!(delete(&k.inst, Some(&k.alice), fingerprint).await.0, 404);
    // Freed: now bob may register it, and delete it by the bare fingerprint.
    assert_eq!(post(&k.inst, Some(&k.bob), body).await.0, 201);
    let bare = fingerprint.strip_prefix("SHA256:").unwrap();
    assert_eq!(delete(&k.inst, Some(&k.bob), bare).await.0, 204);
    assert_eq!(
        list(&k.inst, Some(&k.bob)).await.1.as_array().map(Vec::len),
        Some(2)
    );
}

/// A fingerprint with `+` and `/`, deleted URL-encoded with and without its prefix.
async fn fingerprints_with_slash_and_plus(k: &Keys) {
    for name in [ED_SLASH_FINGERPRINT, &ED_SLASH_FINGERPRINT[7..]] {
        let (s, e) = add(&k.inst, &k.alice, ED_SLASH).await;
        assert_eq!(
            (s, e["fingerprint"].as_str()),
            (201, Some(ED_SLASH_FINGERPRINT))
        );
        assert_eq!(e["comment"], "slash+plus");
        assert_eq!(delete(&k.inst, Some(&k.alice), name).await.0, 204, "{name}");
    }
    assert_eq!(list(&k.inst, Some(&k.alice)).await.1, json!([]));
}

#[tokio::test]
async fn keys_and_host_key_survive_a_restart_and_ssh_uses_them() {
    let mut inst = Instance::start("keys-ssh", "").await;
    inst.register("alice").await;
    let token = inst.login("alice").await;
    let alice = GitUser::register(&inst, &token).await;
    let host_key = host_keys(inst.ssh_port);
    assert!(host_key.contains("ssh-ed25519 AAAA"), "{host_key}");

    inst.restart().await;
    assert_eq!(
        host_keys(inst.ssh_port),
        host_key,
        "the same host key after a restart"
    );
    let (s, keys) = list(&inst, Some(&token)).await;
    assert_eq!(s, 200);
    let fingerprint = openssh_fingerprint(&alice.key.with_extension("pub"));
    assert_eq!(keys[0]["fingerprint"], fingerprint.as_str());

    refused_after_authentication(&alice);
    rsa_signs_with_sha2(&inst, &token).await;
    subsystems_and_ptys_are_refused(&alice);

    // An unknown key, and a deleted one, are refused at authentication (ssh exits 255).
    let stranger = GitUser::unknown(&inst);
    let out = stranger.ssh("git-upload-pack '/repos/nope'");
    assert_eq!(out.status.code(), Some(255));
    assert!(
        stderr(&out).contains("Permission denied"),
        "{}",
        stderr(&out)
    );
    assert_eq!(delete(&inst, Some(&token), &fingerprint).await.0, 204);
    let out = alice.ssh("git-upload-pack '/repos/nope'");
    assert_eq!(out.status.code(), Some(255), "{}", stderr(&out));
}

/// The key authenticates; what follows is refused with a message and status 1.
fn refused_after_authentication(alice: &GitUser) {
    for (command, message) in [
        (
            "git-upload-pack '/repos/nope'",
            "orchard: no repository /repos/nope",
        ),
        ("", "interactive shells are not offered"),
        ("ls -la /", "only git-receive-pack and git-upload-pack"),
        ("git-upload-pack '/var/lib/x.git'", "not a repository path"),
    ] {
        let out = alice.ssh(command);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(message),
            "{command:?}: {}",
            stderr(&out)
        );
    }
}

/// An RSA key signs with rsa-sha2-*; SHA-1 `ssh-rsa` signatures are refused.
async fn rsa_signs_with_sha2(inst: &Instance, token: &str) {
    let (dir, _) = keygen();
    let rsa = GitUser {
        key: rsa_key(dir.path()),
        dir,
        ssh_port: inst.ssh_port,
    };
    let line = std::fs::read_to_string(rsa.key.with_extension("pub")).unwrap();
    assert_eq!(add(inst, token, line.trim()).await.0, 201);
    let out = rsa.ssh("git-upload-pack '/repos/nope'");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = ssh_with(
        &rsa,
        &["-o", "PubkeyAcceptedAlgorithms=ssh-rsa"],
        "git-upload-pack '/repos/nope'",
    );
    assert_eq!(out.status.code(), Some(255), "{}", stderr(&out));
}

/// A subsystem (sftp) is refused with the message; a pty is refused (and OpenSSH's -tt gives up).
fn subsystems_and_ptys_are_refused(alice: &GitUser) {
    let out = ssh_with(alice, &["-s"], "sftp");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("interactive shells are not offered"),
        "{}",
        stderr(&out)
    );
    let out = ssh_with(alice, &["-tt"], "git-upload-pack '/repos/nope'");
    assert!(
        stderr(&out).contains("PTY allocation request failed"),
        "{}",
        stderr(&out)
    );
}
