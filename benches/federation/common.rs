//! What the federation benchmarks share: options, an in-process Orchard instance on port 0, a few
//! HTTP helpers, draft-cavage signing as a remote sender does it, per-thread CPU counters and
//! percentiles.

use actors::KeyPair;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use orchard::{Listeners, RunningServer, Settings};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub use super::cpu::*;
use std::net::TcpListener;
use std::time::{Duration, SystemTime};

// ---------------------------------------------------------------------------------------------
// Options: `key=value` arguments after `--`, else the environment variable `BENCH_<KEY>`.

#[derive(Clone, Default)]
pub struct Options {
    args: HashMap<String, String>,
    /// Sections named on the command line (`inbox`, `fanout`, `crypto`); empty means all.
    pub sections: Vec<String>,
}

impl Options {
    pub fn from_args() -> Options {
        let mut o = Options::default();
        for a in std::env::args().skip(1) {
            if a.starts_with('-') {
                continue; // `--bench` from cargo, and any harness flag
            }
            match a.split_once('=') {
                Some((k, v)) => {
                    o.args.insert(k.to_ascii_lowercase(), v.to_string());
                }
                None => o.sections.push(a.to_ascii_lowercase()),
            }
        }
        o
    }

    pub fn runs(&self, section: &str) -> bool {
        self.sections.is_empty() || self.sections.iter().any(|s| s == section)
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.args
            .get(key)
            .cloned()
            .or_else(|| std::env::var(format!("BENCH_{}", key.to_ascii_uppercase())).ok())
    }

    pub fn usize(&self, key: &str, default: usize) -> usize {
        match self.get(key) {
            Some(v) => v
                .parse()
                .unwrap_or_else(|_| panic!("{key}={v}: expected a number")),
            None => default,
        }
    }

    /// A comma-separated list of numbers (e.g. `inbox_concurrency=8,32,64`).
    pub fn usizes(&self, key: &str, default: &[usize]) -> Vec<usize> {
        match self.get(key) {
            Some(v) => v
                .split(',')
                .map(|x| {
                    x.trim()
                        .parse()
                        .unwrap_or_else(|_| panic!("{key}={v}: expected numbers"))
                })
                .collect(),
            None => default.to_vec(),
        }
    }
}

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

// ---------------------------------------------------------------------------------------------
// Signing as a remote server does (draft-cavage, rsa-sha256, `(request-target) host date digest`).

/// A signed POST, ready to send: headers and body, plus what was signed (for the references).
pub struct SignedPost {
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    pub signing_string: String,
    pub signature: Vec<u8>,
    /// Which key signed it (index into the sender's key list).
    pub key: usize,
}

/// Signs a POST of `body` to `url` with `key`, named `key_id`, dated now.
pub fn sign_post(
    url: &str,
    body: Vec<u8>,
    key_id: &str,
    key: &KeyPair,
    key_idx: usize,
) -> SignedPost {
    let target = url::Url::parse(url).expect("url");
    let host = format!("{}:{}", target.host_str().unwrap(), target.port().unwrap());
    let date = httpdate::fmt_http_date(SystemTime::now());
    let digest = format!("SHA-256={}", B64.encode(Sha256::digest(&body)));
    let signing_string = format!(
        "(request-target): post {}\nhost: {host}\ndate: {date}\ndigest: {digest}",
        target.path()
    );
    let signature = key.sign_sha256(signing_string.as_bytes());
    let header = format!(
        r#"keyId="{key_id}",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="{}""#,
        B64.encode(&signature)
    );
    SignedPost {
        url: url.to_string(),
        headers: vec![
            ("Content-Type", "application/activity+json".into()),
            ("Host", host),
            ("Date", date),
            ("Digest", digest),
            ("Signature", header),
        ],
        body,
        signing_string,
        signature,
        key: key_idx,
    }
}

impl SignedPost {
    /// The request, built before the timed phase so the client does little while measured.
    pub fn request(&self, c: &reqwest::Client) -> reqwest::Request {
        let mut b = c.post(&self.url).body(self.body.clone());
        for (k, v) in &self.headers {
            b = b.header(*k, v);
        }
        b.build().expect("request")
    }

    /// The (lowercase name, value) headers, as Orchard's verifier takes them.
    pub fn lower_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect()
    }
}

/// Generates `n` RSA-2048 key pairs on two threads (~150 ms each).
pub fn generate_keys(n: usize) -> Vec<KeyPair> {
    let half = n / 2;
    let other = std::thread::spawn(move || {
        (0..half)
            .map(|_| KeyPair::generate().expect("keygen"))
            .collect::<Vec<_>>()
    });
    let mut keys: Vec<KeyPair> = (half..n)
        .map(|_| KeyPair::generate().expect("keygen"))
        .collect();
    keys.extend(other.join().expect("keygen thread"));
    keys
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
