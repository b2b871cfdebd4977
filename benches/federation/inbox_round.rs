//! One timed round of the inbox benchmark: the pre-signed POSTs sent with C in flight over
//! keep-alive connections, their latencies and statuses tallied, and the recipients' inboxes
//! counted before and after (zero lost).

use crate::common::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

/// One request's latency and outcome: (status, whether the answer said `"stored":1`) or the
/// transport error.
type Sample = (Duration, Result<(u16, bool), String>);

/// Sends `posts` with `conc` in flight, to `inst` whose recipients are `users`; answers the
/// round.
pub async fn round(
    c: &reqwest::Client,
    inst: &Instance,
    users: &[(String, String)],
    posts: &[SignedPost],
    conc: usize,
) -> Round {
    let before = inbox_sum(c, inst, users).await;
    let (all, wall, cpu0, cpu1) = send_all(posts, conc).await;
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
    let after = inbox_sum(c, inst, users).await;
    let stored = after - before;
    Round {
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
    }
}

/// Sends `posts` with `conc` workers, each taking the next request; answers every request's
/// sample, the wall time of the whole, and the CPU snapshots taken around the sending.
async fn send_all(
    posts: &[SignedPost],
    conc: usize,
) -> (Vec<Sample>, Duration, CpuSnapshot, CpuSnapshot) {
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
    let mut all = Vec::with_capacity(posts.len());
    while let Some(r) = workers.join_next().await {
        all.extend(r.unwrap());
    }
    let wall = t0.elapsed();
    let cpu1 = cpu_snapshot();
    (all, wall, cpu0, cpu1)
}

/// The sum of the recipients' inbox totalItems.
async fn inbox_sum(c: &reqwest::Client, inst: &Instance, users: &[(String, String)]) -> u64 {
    let mut sum = 0;
    for (u, token) in users {
        let doc = get_ap(c, &inst.at(&format!("/people/{u}/inbox")), Some(token)).await;
        sum += doc["totalItems"].as_u64().expect("totalItems");
    }
    sum
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

/// Prints a round's figures.
pub fn print_round(r: &Round) {
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
