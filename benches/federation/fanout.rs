//! Fan-out: one Push delivered to F distinct remote inboxes.
//!
//! One Orchard instance; an admin creates a Factory and, through it, a Repository. A loopback
//! receiver server serves F remote actors, each with its own inbox and no shared inbox, so F
//! POSTs are needed; it verifies every signature it receives (remote.rs). Untimed setup: each
//! remote actor sends the repository a signed Follow; the setup waits until all F Accepts arrived
//! verified (which also fills Orchard's remote-actor cache). Timed: a real `git push` over SSH;
//! the clock runs from the push's end (when `git push` returned) and from its start, to the
//! F-th verified Push delivery.

use crate::common::*;
use crate::fanout_setup::{everyone_follows, git, repository, work_tree};
use crate::remote::{Delivered, Remote};
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

/// Sets up (see `fanout_setup`), then times the push and its fan-out.
pub async fn run(cfg: &Config) -> Outcome {
    let setup_start = Instant::now();
    let f = cfg.followers;
    println!(
        "  fan-out setup: {f} remote followers ({} keys), delivery_concurrency_per_host = {} ...",
        cfg.keys, cfg.per_host
    );
    let nkeys = cfg.keys.max(1);
    let keys = tokio::task::spawn_blocking(move || generate_keys(nkeys)).await;
    let keys = keys.unwrap();
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
    everyone_follows(&c, &receivers, &keys, &repo, f).await;
    let (_work, tree, ssh, remote_url) = work_tree(&c, &inst, &token, &repo).await;
    let setup = setup_start.elapsed();
    println!(
        "  fan-out setup done in {:.1} s; pushing ...",
        setup.as_secs_f64()
    );

    // Timed: the push and its fan-out.
    let out = push_and_fan_out(&receivers, &inst, (tree, ssh, remote_url), f).await;
    let out = Outcome {
        followers: f,
        per_host,
        federation: inst.federation.clone(),
        invalid: receivers
            .state
            .invalid
            .load(std::sync::atomic::Ordering::Relaxed),
        key_fetches: receivers
            .state
            .key_fetches
            .load(std::sync::atomic::Ordering::Relaxed),
        setup,
        ..out
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

/// Pushes `tree` to `remote_url` with `ssh` and waits for the `f` verified Push deliveries;
/// answers their timings and the CPU spent meanwhile (see `outcome`).
async fn push_and_fan_out(
    receivers: &Remote,
    inst: &Instance,
    (tree, ssh, remote_url): (std::path::PathBuf, String, String),
    f: usize,
) -> Outcome {
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
    outcome(&delivered, (t_start, t_end), cpu, wall)
}

/// The timings of the deliveries against the push (started, returned), with the CPU report;
/// the fields about the set-up and the receivers are left empty for the caller.
fn outcome(
    delivered: &[Delivered],
    (t_start, t_end): (Instant, Instant),
    cpu: CpuReport,
    wall: Duration,
) -> Outcome {
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
    Outcome {
        followers: 0,
        per_host: 0,
        federation: String::new(),
        push_secs: (t_end - t_start).as_secs_f64(),
        from_end: signed(last, t_end),
        from_start: signed(last, t_start),
        first_from_end: signed(first, t_end),
        spread: (last - first).as_secs_f64(),
        delivered: delivered.len(),
        distinct: distinct.len(),
        invalid: 0,
        key_fetches: 0,
        setup: Duration::ZERO,
        main_cpu: cpu
            .groups
            .iter()
            .filter(|(g, _)| g.starts_with("orchard main"))
            .map(|(_, s)| s)
            .sum(),
        cpu,
        wall,
    }
}
