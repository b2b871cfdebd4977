//! What the federation benchmarks share: an in-process Orchard instance on port 0, a few
//! HTTP helpers, and percentiles; it re-exports the options (`options`), the signing (`signing`)
//! and the per-thread CPU counters (`cpu`).

use orchard::{Listeners, RunningServer, Settings};
use serde_json::{json, Value};

pub use super::cpu::*;
pub use super::options::*;
pub use super::signing::*;
use std::net::TcpListener;
use std::time::Duration;

// ---------------------------------------------------------------------------------------------
// An Orchard instance in this process.

pub struct Instance {
    pub url: String,
    pub ssh_port: u16,
    /// The data directory, removed when the instance is dropped.
    _dir: tempfile::TempDir,
    /// The `[federation]` lines the instance runs with (reported).
    pub federation: String,
    /// The instance's main thread (see `classify_threads`).
    instance_tid: u32,
    server: Option<RunningServer>,
}

fn settings_text(url: &str, port: u16, ssh: u16, dir: &std::path::Path, extra: &str) -> String {
    format!(
        "public_url = \"{url}\"\n[http]\nbind = \"127.0.0.1:{port}\"\n[ssh]\nbind = \"127.0.0.1:{ssh}\"\n\
         [storage]\npath = \"{db}\"\nrepos = \"{repos}\"\n{extra}\n",
        db = dir.join("db").display(),
        repos = dir.join("repos").display(),
    )
}

impl Instance {
    /// Starts an instance (blocking: call from `spawn_blocking`). `federation` are extra lines of
    /// the `[federation]` section; `accounts` of `[accounts]`. The inbox rate limit, when this
    /// build has one, is switched off: every sender here is on the same loopback host.
    pub fn start(federation: &str, accounts: &str) -> Instance {
        // Every bench client registers from loopback: no registration limit.
        let accounts = format!("registrations_per_hour_per_address = 0\n{accounts}");
        let accounts = accounts.as_str();
        let dir = tempfile::tempdir().expect("tempdir");
        let http = TcpListener::bind("127.0.0.1:0").expect("bind");
        let ssh = TcpListener::bind("127.0.0.1:0").expect("bind ssh");
        let port = http.local_addr().unwrap().port();
        let ssh_port = ssh.local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}");
        let base_fed = format!("allow_private_addresses = true\n{federation}");
        let mut settings = None;
        let mut used = String::new();
        for optional in ["inbox_requests_per_minute = 0\n", ""] {
            used = format!("{base_fed}{optional}");
            let extra = format!(
                "[accounts]\n{accounts}\n[federation]\n{used}\n[actors]\nidle_timeout_secs = 3600\n"
            );
            match Settings::parse(
                &settings_text(&url, port, ssh_port, dir.path(), &extra),
                "bench.toml",
            ) {
                Ok(s) => {
                    settings = Some(s);
                    break;
                }
                Err(e) if !optional.is_empty() => {
                    eprintln!("  (settings without inbox_requests_per_minute: {e})")
                }
                Err(e) => panic!("bench settings: {e}"),
            }
        }
        let server = RunningServer::spawn(settings.unwrap(), Listeners { http, ssh })
            .expect("orchard starts");
        let instance_tid = thread_names()
            .into_iter()
            .filter(|(_, n)| n.starts_with("orchard-instanc"))
            .map(|(t, _)| t)
            .max()
            .unwrap_or(0);
        Instance {
            url,
            ssh_port,
            _dir: dir,
            federation: used.trim().replace('\n', "; "),
            instance_tid,
            server: Some(server),
        }
    }

    /// Names Orchard's actix threads for the CPU report: a classifier for `cpu_report`, made
    /// after the phase (the HTTP workers start after `RunningServer::spawn` returns).
    pub fn thread_roles(&self) -> impl Fn(u32) -> Option<&'static str> {
        let (arbiters, workers) = classify_threads(self.instance_tid);
        move |tid| {
            if arbiters.contains(&tid) {
                Some("orchard actor arbiters (2)")
            } else if workers.contains(&tid) {
                Some("orchard HTTP workers (actix-web)")
            } else {
                None
            }
        }
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    /// Stops the instance (blocking).
    /// The running instance's store, for the operator's account commands (granting a role).
    pub fn store(&self) -> actors::Store {
        self.server
            .as_ref()
            .expect("running")
            .registry
            .store()
            .clone()
    }

    pub fn stop(mut self) {
        if let Some(s) = self.server.take() {
            let _ = s.stop();
        }
    }
}

/// Orchard's actor arbiters and actix-web workers are all threads named `actix-rt|system:..`
/// (truncated to 15 characters by the kernel). `server::run` creates its actor arbiters
/// (`ACTOR_ARBITERS` = 2) before the HTTP server starts its workers, so among the actix threads
/// created after the instance's `orchard-instance` thread, the first two are the actor arbiters
/// and the others are HTTP workers (thread ids grow with creation; the fake remote servers are
/// started before the instance). Answers (arbiters, workers).
fn classify_threads(instance: u32) -> (Vec<u32>, Vec<u32>) {
    let actix: Vec<u32> = thread_names()
        .into_iter()
        .filter(|(_, n)| n.starts_with("actix-rt"))
        .map(|(t, _)| t)
        .collect();
    let mut mine: Vec<u32> = actix.into_iter().filter(|t| *t > instance).collect();
    mine.sort();
    let http = mine.split_off(mine.len().min(2));
    (mine, http)
}

/// A client for setup requests (not the measured ones).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

pub const PASSWORD: &str = "benchmark password";

/// Registers `username` and answers their actor IRI.
pub async fn register(c: &reqwest::Client, inst_url: &str, username: &str) -> String {
    let res = c
        .post(format!("{inst_url}/api/v1/register"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .expect("register");
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 201, "register {username}: {body}");
    body["id"].as_str().expect("id").to_string()
}

/// Logs in and answers a bearer token.
pub async fn login(c: &reqwest::Client, inst_url: &str, username: &str) -> String {
    let res = c
        .post(format!("{inst_url}/api/v1/login"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(res.status(), 200, "login {username}");
    let body: Value = res.json().await.expect("json");
    body["token"].as_str().expect("token").to_string()
}

/// GETs an ActivityPub document, optionally with a bearer token.
pub async fn get_ap(c: &reqwest::Client, url: &str, token: Option<&str>) -> Value {
    let mut req = c.get(url).header("Accept", "application/activity+json");
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("get");
    let status = res.status();
    let body = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "GET {url}: {status} {body}");
    body
}

/// POSTs to a person's outbox: (status, body).
pub async fn post_outbox(
    c: &reqwest::Client,
    inst_url: &str,
    user: &str,
    token: &str,
    activity: &Value,
) -> (u16, Value) {
    let res = c
        .post(format!("{inst_url}/people/{user}/outbox"))
        .bearer_auth(token)
        .json(activity)
        .send()
        .await
        .expect("post outbox");
    let s = res.status().as_u16();
    (s, res.json().await.unwrap_or(Value::Null))
}

/// Runs `f(i)` for i in 0..n on `threads` threads; answers the results in order.
pub fn par_map<T: Send, F: Fn(usize) -> T + Sync>(n: usize, threads: usize, f: F) -> Vec<T> {
    let threads = threads.max(1);
    let chunk = n.div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let f = &f;
                s.spawn(move || {
                    (t * chunk..((t + 1) * chunk).min(n))
                        .map(f)
                        .collect::<Vec<T>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    })
}

// ---------------------------------------------------------------------------------------------
// Statistics.

/// The q-quantile (0..=1) of sorted values.
pub fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The current git commit of the workspace (for the report), with `+dirty` if modified.
pub fn git_commit() -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = std::process::Command::new("git")
        .args(["-C", root, "rev-parse", "--short", "HEAD"])
        .output();
    let mut c = out
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let dirty = std::process::Command::new("git")
        .args(["-C", root, "status", "--porcelain", "--untracked-files=no"])
        .output()
        .ok()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false);
    if dirty {
        c.push_str("+dirty");
    }
    c
}
