//! SSH public keys of people over real HTTP (`/api/v1/ssh-keys`): add, list, delete, every
//! rejection, persistence across a restart; and the SSH server's side of them with the real
//! OpenSSH client: a registered key authenticates, a deleted or unknown one does not, the host
//! key stays the same across restarts, and shells, other commands and unknown repositories are
//! refused with a message.

mod common;

use common::git::{keygen, ssh_keygen, GitUser};
use common::{client, Instance};
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

/// A DSA key (refused whatever its size).
const DSA: &str = "ssh-dss AAAAB3NzaC1kc3MAAACBAJXzTIWF8l+voT8T7DnmYTQTMsISuYhmmtB7UbhojIwveI31tyQqFRarqg+BNDfeZCPcgj0Xn2WswJuomitSXYnIsN/SIBtBlx0cNMqbQYcZHQ9QeWQWMR5md+ChNa8WQqdTSZI3p8fvw6D8nP6vVSJA36rGCWPAVEG5/SEdH7WjAAAAFQD5CAWZJ9l1aNgIyWn8qZdCDOBURQAAAIBLoFKirmf5iFTbrsopfPidDjbXaEAOqrkTjH3MaayUC29kL1sR8YY8wgeCiyuvXYKs9ZZsF9UGnt8VmR1/YULYaedZ5kY3knqSK0BIRgGjoUKyGiqKRfByRkWiCl9ybtujvgSMuKyPWx7PjMvZjKjg8RGPJ5SKn/Mw4ce4h6QRfwAAAIAgy4iwDMAekVFdzJY/NeSJFrFtPeU/a1WwWI3M8DsLzzjFAa9m5HSYHPG+MT+vQvX1MVheba+eZNnMHxpkSd0O4SDrfViMeX/NjmV8mfN6Iv2F5FdgQnSr9SFB+KS/9ZdAIq6w51SP77w2c2v+irim50hxkKkW2ewLK3pJBMrQJA== root@vm";
/// An RSA key of 1024 bits (too small).
const RSA_1024: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDnxpiV8VLRrIXfARPbNhyMCHGXmFRPz85alTP8+q16zIUPwaWazfuagglFtUfQGw+PP/FEhQqhKbdWH2BcTHSi0cj5klFm9pchONvwsySLlAe0oTK2AOBd6vMfps1/MsQrfOTiknXF+nDZa3pgiKyRyVNjweAZ1NgdbWDynxYv9Q== root@vm";

/// An ed25519 key whose fingerprint holds both `+` and `/` (URL-encoding matters).
const ED_SLASH: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBWfR522N3j+pds8AXyDwQ0nbhCwZzhz3yyp5wv9puvi slash+plus";
const ED_SLASH_FINGERPRINT: &str = "SHA256:x312Xd50jZ7h9oLoHUfpSt7c+o7feRIFOLS5yK/rhdQ";

/// POSTs a body to `/api/v1/ssh-keys`: (status, JSON body).
async fn post(inst: &Instance, token: Option<&str>, body: String) -> (u16, Value) {
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

async fn add(inst: &Instance, token: &str, key: &str) -> (u16, Value) {
    post(inst, Some(token), json!({ "key": key }).to_string()).await
}

async fn list(inst: &Instance, token: Option<&str>) -> (u16, Value) {
    let mut req = client().get(inst.at("/api/v1/ssh-keys"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("list keys");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// DELETEs a key named by `fingerprint` (URL-encoded here): (status, JSON body or Null).
async fn delete(inst: &Instance, token: Option<&str>, fingerprint: &str) -> (u16, Value) {
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

/// A fresh key of a type and size: (its directory, the .pub line).
fn public_key(kind: &str, bits: Option<&str>) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("id");
    let mut cmd = Command::new("ssh-keygen");
    cmd.args(["-q", "-t", kind, "-N", "", "-C", "someone@host", "-f"])
        .arg(&key);
    if let Some(b) = bits {
        cmd.args(["-b", b]);
    }
    let out = cmd.output().expect("ssh-keygen runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    (dir, line.trim().to_string())
}

/// Runs `ssh` with `user`'s key, extra options and a remote command.
fn ssh_with(user: &GitUser, extra: &[&str], command: &str) -> std::process::Output {
    Command::new("ssh")
        .arg("-i")
        .arg(&user.key)
        .args(["-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no"])
        .args(["-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes"])
        .args(extra)
        .args(["-p", &user.ssh_port.to_string(), "git@127.0.0.1", command])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("ssh runs")
}

/// A new RSA-3072 key in `dir`; answers the private key's path.
fn rsa_key(dir: &Path) -> std::path::PathBuf {
    let key = dir.join("id_rsa");
    ssh_keygen(&key, &["-t", "rsa", "-b", "3072"]);
    key
}

/// The fingerprint OpenSSH prints for a public key file.
fn openssh_fingerprint(pub_file: &Path) -> String {
    let out = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(pub_file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.split_whitespace()
        .nth(1)
        .expect("fingerprint")
        .to_string()
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
    let line = line.trim();
    let fingerprint = openssh_fingerprint(&key.with_extension("pub"));
    let body = json!({ "key": line }).to_string();

    // No token, or an unknown one.
    assert_eq!(post(&inst, None, body.clone()).await.0, 401);
    assert_eq!(post(&inst, Some("nope"), body.clone()).await.0, 401);
    assert_eq!(list(&inst, None).await.0, 401);
    assert_eq!(delete(&inst, None, &fingerprint).await.0, 401);

    // Added: the fingerprint as OpenSSH prints it, the key without its comment.
    let (s, added) = post(&inst, Some(&alice), body.clone()).await;
    assert_eq!(s, 201, "{added}");
    assert_eq!(added["fingerprint"], fingerprint.as_str());
    let without_comment = line.rsplit_once(' ').unwrap().0;
    assert_eq!(added["key"], without_comment);
    assert_eq!(added["comment"], "orchard-test");
    assert!(added["added"].as_str().is_some_and(|t| t.contains('T')));
    let (s, keys) = list(&inst, Some(&alice)).await;
    assert_eq!(s, 200);
    assert_eq!(keys, json!([added.clone()]));
    assert_eq!(list(&inst, Some(&bob)).await.1, json!([]));

    // A key belongs to one person.
    let (s, e) = post(&inst, Some(&alice), body.clone()).await;
    assert_eq!(
        (s, e["error"].as_str()),
        (409, Some("this key already belongs to a person"))
    );
    assert_eq!(post(&inst, Some(&bob), body.clone()).await.0, 409);
    assert_eq!(list(&inst, Some(&bob)).await.1, json!([]));

    // Bad keys and bad bodies.
    let (s, e) = add(&inst, &alice, DSA).await;
    assert_eq!(s, 400);
    assert!(e["error"].as_str().unwrap().contains("DSA"), "{e}");
    let (s, e) = add(&inst, &alice, RSA_1024).await;
    assert_eq!(s, 400);
    assert!(e["error"].as_str().unwrap().contains("2048"), "{e}");
    for garbage in [
        "",
        "garbage",
        "ssh-ed25519 AAAA",
        "ssh-ed25519 !!!! x",
        &format!("{line}\n{line}"),
    ] {
        let (s, e) = add(&inst, &alice, garbage).await;
        assert_eq!(s, 400, "{garbage:?}: {e}");
        assert!(e["error"].is_string(), "{e}");
    }
    assert_eq!(post(&inst, Some(&alice), "{not json".into()).await.0, 400);
    assert_eq!(post(&inst, Some(&alice), "{}".into()).await.0, 400);
    assert_eq!(
        list(&inst, Some(&alice)).await.1.as_array().map(Vec::len),
        Some(1)
    );

    // Other accepted types.
    let (_d1, ecdsa) = public_key("ecdsa", Some("384"));
    let (s, e) = add(&inst, &bob, &ecdsa).await;
    assert_eq!(s, 201, "{e}");
    let (_d2, rsa) = public_key("rsa", Some("3072"));
    let (s, e) = add(&inst, &bob, &rsa).await;
    assert_eq!(s, 201, "{e}");
    assert_eq!(
        list(&inst, Some(&bob)).await.1.as_array().map(Vec::len),
        Some(2)
    );

    // Deleting: only one's own key; with or without the SHA256: prefix.
    let (s, e) = delete(&inst, Some(&bob), &fingerprint).await;
    assert_eq!(s, 404, "{e}");
    assert!(e["error"].is_string());
    assert_eq!(
        list(&inst, Some(&alice)).await.1.as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(delete(&inst, Some(&alice), &fingerprint).await.0, 204);
    assert_eq!(list(&inst, Some(&alice)).await.1, json!([]));
    assert_eq!(delete(&inst, Some(&alice), &fingerprint).await.0, 404);
    // Freed: now bob may register it, and delete it by the bare fingerprint.
    assert_eq!(post(&inst, Some(&bob), body).await.0, 201);
    let bare = fingerprint.strip_prefix("SHA256:").unwrap();
    assert_eq!(delete(&inst, Some(&bob), bare).await.0, 204);
    assert_eq!(
        list(&inst, Some(&bob)).await.1.as_array().map(Vec::len),
        Some(2)
    );

    // A fingerprint with `+` and `/`, deleted URL-encoded with and without its prefix.
    for name in [ED_SLASH_FINGERPRINT, &ED_SLASH_FINGERPRINT[7..]] {
        let (s, e) = add(&inst, &alice, ED_SLASH).await;
        assert_eq!(
            (s, e["fingerprint"].as_str()),
            (201, Some(ED_SLASH_FINGERPRINT))
        );
        assert_eq!(e["comment"], "slash+plus");
        assert_eq!(delete(&inst, Some(&alice), name).await.0, 204, "{name}");
    }
    assert_eq!(list(&inst, Some(&alice)).await.1, json!([]));
    drop(dir);
}

/// Host key lines `ssh-keyscan` reads from the instance.
fn host_keys(port: u16) -> String {
    let out = Command::new("ssh-keyscan")
        .args(["-p", &port.to_string(), "-T", "10", "127.0.0.1"])
        .output()
        .expect("ssh-keyscan runs");
    let mut lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines.join("\n")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
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

    // The key authenticates; what follows is refused with a message and status 1.
    let out = alice.ssh("git-upload-pack '/repos/nope'");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("orchard: no repository /repos/nope"),
        "{}",
        stderr(&out)
    );
    let out = alice.ssh("");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("interactive shells are not offered"),
        "{}",
        stderr(&out)
    );
    let out = alice.ssh("ls -la /");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("only git-receive-pack and git-upload-pack"),
        "{}",
        stderr(&out)
    );
    let out = alice.ssh("git-upload-pack '/var/lib/x.git'");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not a repository path"),
        "{}",
        stderr(&out)
    );

    // An RSA key signs with rsa-sha2-*; SHA-1 `ssh-rsa` signatures are refused.
    let (dir, _) = keygen();
    let rsa = GitUser {
        key: rsa_key(dir.path()),
        dir,
        ssh_port: inst.ssh_port,
    };
    let line = std::fs::read_to_string(rsa.key.with_extension("pub")).unwrap();
    assert_eq!(add(&inst, &token, line.trim()).await.0, 201);
    let out = rsa.ssh("git-upload-pack '/repos/nope'");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = ssh_with(
        &rsa,
        &["-o", "PubkeyAcceptedAlgorithms=ssh-rsa"],
        "git-upload-pack '/repos/nope'",
    );
    assert_eq!(out.status.code(), Some(255), "{}", stderr(&out));

    // A subsystem (sftp) is refused with the message; a pty is refused (and OpenSSH's -tt gives up).
    let out = ssh_with(&alice, &["-s"], "sftp");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("interactive shells are not offered"),
        "{}",
        stderr(&out)
    );
    let out = ssh_with(&alice, &["-tt"], "git-upload-pack '/repos/nope'");
    assert!(
        stderr(&out).contains("PTY allocation request failed"),
        "{}",
        stderr(&out)
    );

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
