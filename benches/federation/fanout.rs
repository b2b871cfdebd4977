//! Fan-out: one Push delivered to F distinct remote inboxes.
//!
//! One Orchard instance; an admin creates a Factory and, through it, a Repository. A loopback
//! receiver server serves F remote actors, each with its own inbox and no shared inbox, so F
//! POSTs are needed; it verifies every signature it receives (remote.rs). Untimed setup: each
//! remote actor sends the repository a signed Follow; the setup waits until all F Accepts arrived
//! verified (which also fills Orchard's remote-actor cache). Timed: a real `git push` over SSH;
//! the clock runs from the push's end (when `git push` returned) and from its start, to the
//! F-th verified Push delivery.

use super::common::*;
use super::remote::Remote;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Config {
    pub followers: usize,
    pub keys: usize,
    pub per_host: usize,
    pub receiver_workers: usize,
}

impl Config {
    pub fn from(o: &Options) -> Config {
        Config {
            followers: o.usize("fanout_followers", 1000),
            keys: o.usize("fanout_keys", 16),
            per_host: o.usize("fanout_per_host", 256),
            receiver_workers: o.usize("fanout_receiver_workers", 2),
        }
    }
}

pub struct Outcome {
    pub followers: usize,
    pub per_host: usize,
    pub federation: String,
    pub push_secs: f64,
    /// From `git push` returning to the last verified delivery.
    pub from_end: f64,
    /// From `git push` starting to the last verified delivery.
    pub from_start: f64,
    /// From `git push` returning to the first verified delivery (negative: before it returned).
    pub first_from_end: f64,
    /// From the first to the last verified delivery.
    pub spread: f64,
    pub delivered: usize,
    pub distinct: usize,
    pub invalid: u64,
    pub key_fetches: u64,
    pub setup: Duration,
    pub cpu: CpuReport,
    pub wall: Duration,
    /// CPU seconds of Orchard's main thread (delivery worker, signing, outbound HTTP).
    pub main_cpu: f64,
}

fn git(dir: &Path, args: &[&str], ssh: Option<&str>) -> std::process::Output {
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

async fn items(c: &reqwest::Client, url: &str, token: Option<&str>) -> Vec<Value> {
    get_ap(c, &format!("{url}?page=1"), token).await["orderedItems"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Admin, Factory and Repository: answers (repository IRI, admin token).
async fn repository(c: &reqwest::Client, inst: &Instance) -> (String, String) {
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

pub async fn run(cfg: &Config) -> Outcome {
    let setup_start = Instant::now();
    let f = cfg.followers;
    println!(
        "  fan-out setup: {f} remote followers ({} keys), delivery_concurrency_per_host = {} ...",
        cfg.keys, cfg.per_host
    );
    let nkeys = cfg.keys.max(1);
    let keys = tokio::task::spawn_blocking(move || generate_keys(nkeys))
        .await
        .unwrap();
    let receivers = Remote::start(f, &keys, cfg.receiver_workers);
    let per_host = cfg.per_host;
    let inst = Arc::new(
        tokio::task::spawn_blocking(move || {
            Instance::start(&format!("delivery_concurrency_per_host = {per_host}\n"), "")
        })
        .await
        .unwrap(),
    );
    let c = client();
    let (repo, token) = repository(&c, &inst).await;
    let repo_inbox = format!("{repo}/inbox");

    // Every remote actor follows the repository; wait for the F verified Accepts.
    let posts = {
        let (r, k, ri) = (&receivers, &keys, &repo_inbox);
        let repo = repo.clone();
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
    let followers = get_ap(&c, &format!("{repo}/followers"), None).await["totalItems"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(followers as usize, f, "the repository has {f} followers");

    // A work tree with three commits, and the admin's SSH key.
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
        .bearer_auth(&token)
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
    let path = url::Url::parse(&repo).unwrap().path().to_string();
    let remote_url = format!("ssh://git@127.0.0.1:{}{path}", inst.ssh_port);
    let setup = setup_start.elapsed();
    println!(
        "  fan-out setup done in {:.1} s; pushing ...",
        setup.as_secs_f64()
    );

    // Timed: the push and its fan-out.
    let cpu0 = cpu_snapshot();
    let t_start = Instant::now();
    let t_end = tokio::task::spawn_blocking(move || {
        git(&tree, &["push", "-q", &remote_url, "main"], Some(&ssh));
        Instant::now()
    })
    .await
    .unwrap();
    let done = wait_for!(60, {
        let d = receivers.delivered("Push");
        (d.len() >= f).then_some(d)
    });
    let cpu1 = cpu_snapshot();
    let wall = t_start.elapsed();
    let delivered = done.unwrap_or_else(|| receivers.delivered("Push"));
    let roles = inst.thread_roles();
    let cpu = cpu_report(&cpu0, &cpu1, &|tid| {
        if receivers.is_worker(tid) {
            Some("receivers (verify; not Orchard)")
        } else {
            roles(tid)
        }
    });
    let last = delivered.iter().map(|d| d.at).max().unwrap_or(t_end);
    let first = delivered.iter().map(|d| d.at).min().unwrap_or(t_end);
    let signed = |a: Instant, b: Instant| {
        if a >= b {
            (a - b).as_secs_f64()
        } else {
            -(b - a).as_secs_f64()
        }
    };
    let distinct: std::collections::HashSet<usize> = delivered.iter().map(|d| d.actor).collect();
    let out = Outcome {
        followers: f,
        per_host,
        federation: inst.federation.clone(),
        push_secs: (t_end - t_start).as_secs_f64(),
        from_end: signed(last, t_end),
        from_start: signed(last, t_start),
        first_from_end: signed(first, t_end),
        spread: (last - first).as_secs_f64(),
        delivered: delivered.len(),
        distinct: distinct.len(),
        invalid: receivers
            .state
            .invalid
            .load(std::sync::atomic::Ordering::Relaxed),
        key_fetches: receivers
            .state
            .key_fetches
            .load(std::sync::atomic::Ordering::Relaxed),
        setup,
        main_cpu: cpu
            .groups
            .iter()
            .filter(|(g, _)| g.starts_with("orchard main"))
            .map(|(_, s)| s)
            .sum(),
        cpu,
        wall,
    };
    println!(
        "    git push took {:.3} s; {} Push deliveries verified ({} distinct inboxes, {} invalid); first {:+.3} s after the push returned, last {:+.3} s (from push start {:.3} s; first to last {:.3} s)",
        out.push_secs, out.delivered, out.distinct, out.invalid, out.first_from_end, out.from_end, out.from_start, out.spread
    );
    out.cpu
        .print(out.wall, Some((out.delivered.max(1), "delivery")));
    drop(receivers);
    if let Ok(inst) = Arc::try_unwrap(inst) {
        tokio::task::spawn_blocking(move || inst.stop())
            .await
            .unwrap();
    }
    out
}
