//! Inbox: signed, verified, durably stored activities per second from concurrent remote senders
//! over loopback HTTP.
//!
//! One Orchard instance with R registered people (the recipients); a fake remote server with K
//! actors and real RSA-2048 keys. N `Create{Note}` activities with unique ids, spread over the
//! recipients' inboxes and the senders, are signed *before* the timed phase (signing is the
//! sender's cost). Each sender's key is put in Orchard's cache by one warm-up POST. Then the N
//! POSTs go out with C in flight over keep-alive connections; throughput, per-request latency and
//! statuses are recorded. Afterwards the recipients' inbox `totalItems` must have grown by exactly
//! the number of 2xx answers (zero lost).

use super::common::*;
use super::remote::Remote;
use actors::KeyPair;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Config {
    pub n: usize,
    pub senders: usize,
    pub recipients: usize,
    pub concurrency: Vec<usize>,
}

impl Config {
    pub fn from(o: &Options) -> Config {
        Config {
            n: o.usize("inbox_n", 20_000),
            senders: o.usize("inbox_senders", 16),
            recipients: o.usize("inbox_recipients", 100),
            concurrency: o.usizes("inbox_concurrency", &[32]),
        }
    }
}

/// One timed round.
pub struct Round {
    pub concurrency: usize,
    pub sent: usize,
    pub ok: usize,
    pub stored_answers: usize,
    pub statuses: BTreeMap<u16, usize>,
    pub errors: usize,
    pub first_error: Option<String>,
    pub wall: Duration,
    pub per_sec: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    /// Growth of the sum of the recipients' inbox totalItems over the round.
    pub stored: u64,
    pub lost: i64,
    pub cpu: CpuReport,
}

pub struct Outcome {
    pub rounds: Vec<Round>,
    pub keys: Vec<KeyPair>,
    /// The first round's signed posts, kept for the verification references.
    pub sample: Vec<SignedPost>,
    pub federation: String,
    pub setup: Duration,
}

/// One request's latency and outcome: (status, whether the answer said `"stored":1`) or the
/// transport error.
type Sample = (Duration, Result<(u16, bool), String>);

fn note(remote: &Remote, sender: usize, recipient: &str, tag: &str) -> Vec<u8> {
    let actor = remote.actor(sender);
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/activities/{tag}"),
        "type": "Create",
        "actor": actor,
        "to": [recipient],
        "published": "2026-01-01T00:00:00Z",
        "object": {
            "id": format!("{actor}/notes/{tag}"),
            "type": "Note",
            "attributedTo": actor,
            "to": [recipient],
            "content": format!("<p>Benchmark note {tag}: a comment of ordinary length, about as long as a short reply on a ticket.</p>"),
            "published": "2026-01-01T00:00:00Z"
        }
    })
    .to_string()
    .into_bytes()
}

/// Signs `n` posts for round `round` on two threads.
fn presign(
    remote: &Remote,
    keys: &[KeyPair],
    inbox_urls: &[String],
    recipients: &[String],
    round: usize,
    n: usize,
) -> Vec<SignedPost> {
    par_map(n, 2, |i| {
        let s = i % keys.len();
        let r = (i / keys.len() + i) % recipients.len();
        let body = note(remote, s, &recipients[r], &format!("r{round}-{i}"));
        sign_post(&inbox_urls[r], body, &remote.key_id(s), &keys[s], s)
    })
}

async fn inbox_sum(c: &reqwest::Client, inst: &Instance, users: &[(String, String)]) -> u64 {
    let mut sum = 0;
    for (u, token) in users {
        let doc = get_ap(c, &inst.at(&format!("/people/{u}/inbox")), Some(token)).await;
        sum += doc["totalItems"].as_u64().expect("totalItems");
    }
    sum
}

pub async fn run(cfg: &Config) -> Outcome {
    let setup_start = Instant::now();
    let senders = cfg.senders.max(1);
    println!(
        "  inbox setup: {senders} sender keys, 1 instance, {} recipients ...",
        cfg.recipients
    );
    let keys = tokio::task::spawn_blocking(move || generate_keys(senders))
        .await
        .unwrap();
    let remote = Remote::start(senders, &keys, 1);
    let inst = Arc::new(
        tokio::task::spawn_blocking(|| Instance::start("", ""))
            .await
            .unwrap(),
    );
    let c = client();
    // Register and log in every recipient (argon2 and an RSA key each), a few at a time.
    let names: Vec<String> = (0..cfg.recipients).map(|i| format!("r{i}")).collect();
    let sem = Arc::new(tokio::sync::Semaphore::new(4));
    let mut tasks = tokio::task::JoinSet::new();
    for name in names.iter().cloned().chain(["warm".to_string()]) {
        let (c, inst, sem) = (c.clone(), inst.clone(), sem.clone());
        tasks.spawn(async move {
            let _p = sem.acquire().await.unwrap();
            let iri = register(&c, &inst.url, &name).await;
            let token = login(&c, &inst.url, &name).await;
            (name, iri, token)
        });
    }
    let mut people: Vec<(String, String, String)> = Vec::new();
    while let Some(r) = tasks.join_next().await {
        people.push(r.unwrap());
    }
    people.sort_by_key(|p| {
        p.0.trim_start_matches('r')
            .parse::<usize>()
            .unwrap_or(usize::MAX)
    });
    let warm = people.pop().expect("warm");
    let recipients: Vec<String> = people.iter().map(|p| p.1.clone()).collect();
    let inbox_urls: Vec<String> = recipients.iter().map(|r| format!("{r}/inbox")).collect();
    let users: Vec<(String, String)> = people.iter().map(|p| (p.0.clone(), p.2.clone())).collect();

    // Warm-up: one POST per sender (Orchard fetches and caches each key), to a person who is
    // not counted.
    for (s, key) in keys.iter().enumerate() {
        let body = note(&remote, s, &warm.1, &format!("warm-{s}"));
        let p = sign_post(
            &format!("{}/inbox", warm.1),
            body,
            &remote.key_id(s),
            key,
            s,
        );
        let res = c.execute(p.request(&c)).await.expect("warm-up POST");
        assert!(res.status().is_success(), "warm-up: {}", res.status());
    }
    let setup = setup_start.elapsed();
    println!("  inbox setup done in {:.1} s", setup.as_secs_f64());

    let mut rounds = Vec::new();
    let mut sample = Vec::new();
    for (round, &conc) in cfg.concurrency.iter().enumerate() {
        let t = Instant::now();
        let posts = {
            let (remote, keys, iu, rc) = (&remote, &keys, &inbox_urls, &recipients);
            tokio::task::block_in_place(|| presign(remote, keys, iu, rc, round, cfg.n))
        };
        println!(
            "  round {}: {} POSTs pre-signed in {:.1} s; sending with {conc} in flight ...",
            round + 1,
            posts.len(),
            t.elapsed().as_secs_f64()
        );
        let before = inbox_sum(&c, &inst, &users).await;
        let load = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(conc)
            .build()
            .unwrap();
        let requests: Vec<reqwest::Request> = posts.iter().map(|p| p.request(&load)).collect();
        let queue = Arc::new(Mutex::new(requests.into_iter()));
        let started = Arc::new(AtomicUsize::new(0));
        let cpu0 = cpu_snapshot();
        let t0 = Instant::now();
        let mut workers = tokio::task::JoinSet::new();
        for _ in 0..conc {
            let (queue, load, started) = (queue.clone(), load.clone(), started.clone());
            workers.spawn(async move {
                let mut out: Vec<Sample> = Vec::new();
                loop {
                    let Some(req) = queue.lock().unwrap().next() else {
                        break;
                    };
                    started.fetch_add(1, Ordering::Relaxed);
                    let t = Instant::now();
                    let r = match load.execute(req).await {
                        Ok(res) => {
                            let status = res.status().as_u16();
                            match res.bytes().await {
                                Ok(b) => {
                                    let stored = b.windows(10).any(|w| w == b"\"stored\":1");
                                    Ok((status, stored))
                                }
                                Err(e) => Err(e.to_string()),
                            }
                        }
                        Err(e) => Err(e.to_string()),
                    };
                    out.push((t.elapsed(), r));
                }
                out
            });
        }
        let mut all = Vec::with_capacity(cfg.n);
        while let Some(r) = workers.join_next().await {
            all.extend(r.unwrap());
        }
        let wall = t0.elapsed();
        let cpu1 = cpu_snapshot();
        let roles = inst.thread_roles();
        let cpu = cpu_report(&cpu0, &cpu1, &roles);
        let mut statuses = BTreeMap::new();
        let (mut ok, mut stored_answers, mut errors, mut first_error) = (0, 0, 0, None);
        let mut lat: Vec<Duration> = Vec::with_capacity(all.len());
        for (d, r) in &all {
            lat.push(*d);
            match r {
                Ok((s, stored)) => {
                    *statuses.entry(*s).or_insert(0) += 1;
                    if (200..300).contains(s) {
                        ok += 1;
                    }
                    stored_answers += usize::from(*stored);
                }
                Err(e) => {
                    errors += 1;
                    first_error.get_or_insert_with(|| e.clone());
                }
            }
        }
        lat.sort();
        // Durability is checked where it counts: what the recipients' inboxes hold now.
        let after = inbox_sum(&c, &inst, &users).await;
        let stored = after - before;
        let r = Round {
            concurrency: conc,
            sent: all.len(),
            ok,
            stored_answers,
            statuses,
            errors,
            first_error,
            wall,
            per_sec: ok as f64 / wall.as_secs_f64(),
            p50: quantile(&lat, 0.5),
            p99: quantile(&lat, 0.99),
            max: lat.last().copied().unwrap_or_default(),
            stored,
            lost: ok as i64 - stored as i64,
            cpu,
        };
        print_round(&r);
        rounds.push(r);
        if sample.is_empty() {
            sample = posts;
        }
    }
    let federation = inst.federation.clone();
    drop(remote);
    if let Ok(inst) = Arc::try_unwrap(inst) {
        tokio::task::spawn_blocking(move || inst.stop())
            .await
            .unwrap();
    }
    Outcome {
        rounds,
        keys,
        sample,
        federation,
        setup,
    }
}

impl Round {
    /// CPU seconds of Orchard's own threads (everything but the load generator and the idle
    /// fake remote).
    pub fn server_cpu(&self) -> f64 {
        self.cpu
            .groups
            .iter()
            .filter(|(g, _)| !g.starts_with("bench client") && !g.starts_with("other actix"))
            .map(|(_, s)| s)
            .sum()
    }
}

fn print_round(r: &Round) {
    println!(
        "    c={}: {} sent, {} answered 2xx ({} said stored:1), statuses {:?}, {} transport errors{}",
        r.concurrency,
        r.sent,
        r.ok,
        r.stored_answers,
        r.statuses,
        r.errors,
        r.first_error
            .as_deref()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default()
    );
    println!(
        "    {:.0} activities/s over {:.2} s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; inboxes grew by {} -> lost {}",
        r.per_sec,
        r.wall.as_secs_f64(),
        ms(r.p50),
        ms(r.p99),
        ms(r.max),
        r.stored,
        r.lost
    );
    r.cpu.print(r.wall, Some((r.ok.max(1), "activity")));
}
