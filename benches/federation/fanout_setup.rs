//! The fan-out benchmark's set-up (untimed): the admin, a Factory and the Repository; every
//! remote actor's signed Follow of it, until all Accepts arrived verified; and a work tree with
//! three commits and the admin's SSH key.

use crate::common::*;
use crate::remote::Remote;
use actors::KeyPair;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// Runs git in `dir` (with `GIT_SSH_COMMAND` = `ssh` when given); it must succeed.
pub fn git(dir: &Path, args: &[&str], ssh: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.org")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.org")
        .env("GIT_TERMINAL_PROMPT", "0");
    if let Some(s) = ssh {
        cmd.env("GIT_SSH_COMMAND", s);
    }
    let out = cmd.output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The first page of a collection.
async fn items(c: &reqwest::Client, url: &str, token: Option<&str>) -> Vec<Value> {
    get_ap(c, &format!("{url}?page=1"), token).await["orderedItems"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Admin, Factory and Repository: answers (repository IRI, admin token).
pub async fn repository(c: &reqwest::Client, inst: &Instance) -> (String, String) {
    register(c, &inst.url, "admin").await;
    // The operator makes admin a Factory creator (`orchard admin grant`'s library function).
    actors::Accounts::new(inst.store())
        .set_role("admin", actors::accounts::Role::FactoryCreator, true)
        .await
        .expect("grant factory-creator");
    let token = login(c, &inst.url, "admin").await;
    let (s, body) = post_outbox(
        c,
        &inst.url,
        "admin",
        &token,
        &json!({"type": "Create", "object": {"type": "Factory", "name": "Main",
                 "availableActorTypes": ["Repository"]}}),
    )
    .await;
    assert_eq!(s, 201, "create Factory: {body}");
    let factory = inst.at("/factories/main");
    let grants = inst.at("/people/admin/grants");
    let grant = wait_for!(
        20,
        items(c, &grants, None)
            .await
            .into_iter()
            .find(|g| g["context"] == factory.as_str() && g["state"] == "active")
    )
    .expect("the Factory grants its creator admin");
    let (s, body) = post_outbox(
        c,
        &inst.url,
        "admin",
        &token,
        &json!({"type": "Create", "to": [factory], "capability": grant["id"],
                "object": {"type": "Repository", "name": "Fan Out"}}),
    )
    .await;
    assert_eq!(s, 201, "create Repository: {body}");
    let create = body["id"].as_str().unwrap().to_string();
    let inbox = inst.at("/people/admin/inbox");
    let accept = wait_for!(
        20,
        items(c, &inbox, Some(&token)).await.into_iter().find(|v| {
            v["object"]["id"] == create.as_str() && (v["type"] == "Accept" || v["type"] == "Reject")
        })
    )
    .expect("the Factory answers the Create");
    assert_eq!(accept["type"], "Accept", "{accept}");
    (accept["result"].as_str().unwrap().to_string(), token)
}

/// Every remote actor follows the repository `repo`; waits for the `f` verified Accepts.
pub async fn everyone_follows(
    c: &reqwest::Client,
    receivers: &Remote,
    keys: &[KeyPair],
    repo: &str,
    f: usize,
) {
    let repo_inbox = format!("{repo}/inbox");
    let posts = {
        let (r, k, ri) = (receivers, keys, &repo_inbox);
        let repo = repo.to_string();
        tokio::task::block_in_place(move || {
            par_map(f, 2, |i| {
                let actor = r.actor(i);
                let body = json!({"@context": "https://www.w3.org/ns/activitystreams",
                    "id": format!("{actor}/follows/1"), "type": "Follow", "actor": actor,
                    "object": repo, "to": [repo]})
                .to_string()
                .into_bytes();
                sign_post(ri, body, &r.key_id(i), &k[i % k.len()], i % k.len())
            })
        })
    };
    let queue = Arc::new(std::sync::Mutex::new(posts.into_iter()));
    let mut senders = tokio::task::JoinSet::new();
    for _ in 0..16 {
        let (queue, c) = (queue.clone(), c.clone());
        senders.spawn(async move {
            loop {
                let Some(p) = queue.lock().unwrap().next() else {
                    break;
                };
                let res = c.execute(p.request(&c)).await.expect("Follow POST");
                assert!(res.status().is_success(), "Follow: {}", res.status());
            }
        });
    }
    while let Some(r) = senders.join_next().await {
        r.unwrap();
    }
    let accepted = wait_for!(180, {
        let n = receivers.delivered("Accept").len();
        (n >= f).then_some(n)
    });
    assert!(
        accepted.is_some(),
        "only {} of {f} Accepts arrived verified (invalid: {}, {:?})",
        receivers.delivered("Accept").len(),
        receivers
            .state
            .invalid
            .load(std::sync::atomic::Ordering::Relaxed),
        receivers.state.invalid_reasons.lock().unwrap()
    );
    let followers = get_ap(c, &format!("{repo}/followers"), None).await["totalItems"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(followers as usize, f, "the repository has {f} followers");
}

/// A work tree with three commits, and the admin's SSH key (registered with `token`). Answers
/// the temporary directory holding them, the work tree, the SSH command and the push URL.
pub async fn work_tree(
    c: &reqwest::Client,
    inst: &Arc<Instance>,
    token: &str,
    repo: &str,
) -> (tempfile::TempDir, PathBuf, String, String) {
    let work = tempfile::tempdir().unwrap();
    let key = work.path().join("id_ed25519");
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f"])
        .arg(&key)
        .output()
        .expect("ssh-keygen runs");
    assert!(out.status.success());
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let res = c
        .post(inst.at("/api/v1/ssh-keys"))
        .bearer_auth(token)
        .json(&json!({"key": public.trim()}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "add SSH key");
    let tree = work.path().join("tree");
    std::fs::create_dir_all(&tree).unwrap();
    git(&tree, &["init", "-q", "-b", "main"], None);
    for i in 0..3 {
        std::fs::write(tree.join(format!("f{i}.txt")), format!("file {i}\n")).unwrap();
        git(&tree, &["add", "."], None);
        git(&tree, &["commit", "-q", "-m", &format!("Commit {i}")], None);
    }
    let ssh = format!(
        "ssh -i {} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -p {}",
        key.display(),
        inst.ssh_port
    );
    let path = url::Url::parse(repo).unwrap().path().to_string();
    let remote_url = format!("ssh://git@127.0.0.1:{}{path}", inst.ssh_port);
    (work, tree, ssh, remote_url)
}
