//! Federation benchmarks (issue 8, items 1 and 2), driving real Orchard instances over loopback.
//!
//! ```sh
//! cargo bench --bench federation                 # everything (inbox, fan-out, references)
//! cargo bench --bench federation -- inbox        # one section: inbox | fanout | crypto
//! cargo bench --bench federation -- inbox inbox_n=40000 inbox_concurrency=8,32,64
//! BENCH_INBOX_N=40000 cargo bench --bench federation -- inbox     # same, by environment
//! ```
//!
//! Options (`key=value` after `--`, or the environment variable `BENCH_<KEY>`):
//! `inbox_n` (20000), `inbox_senders` (16), `inbox_recipients` (100), `inbox_concurrency`
//! (32; a comma list runs one round each), `fanout_followers` (1000), `fanout_keys` (16),
//! `fanout_per_host` (256, Orchard's `delivery_concurrency_per_host`), `fanout_receiver_workers`
//! (2), `client_threads` (2, the load generator's tokio threads), `crypto_secs` (0.5 per
//! reference rate), `log` (`info`: Orchard logs as it does by default, into a file; `off`; or
//! any `RUST_LOG` filter). The figures and how to read them are in BENCHMARKS.md.

use std::time::Instant;

/// Polls `$check` (an `Option`, may `.await`) every 20 ms until it is `Some` or `$secs` pass.
macro_rules! wait_for {
    ($secs:expr, $check:expr) => {{
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs($secs);
        loop {
            if let Some(v) = $check {
                break Some(v);
            }
            if std::time::Instant::now() > deadline {
                break None;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }};
}

#[path = "federation/common.rs"]
mod common;
#[path = "federation/cpu.rs"]
mod cpu;
#[path = "federation/crypto.rs"]
mod crypto;
/// The fake remote server's thread and actor document, shared with the tests.
#[path = "../tests/common/fake_server.rs"]
mod fake_server;
#[path = "federation/fanout.rs"]
mod fanout;
#[path = "federation/inbox.rs"]
mod inbox;
#[path = "federation/remote.rs"]
mod remote;

use common::*;

fn main() {
    let opts = Options::from_args();
    let log = opts.get("log").unwrap_or_else(|| "info".into());
    let log_file = std::env::temp_dir().join("orchard-bench-federation.log");
    if log != "off" {
        // What `orchard serve` does by default (RUST_LOG unset: info), into a file instead of
        // the terminal, as a service writing to its journal would.
        let file = std::fs::File::create(&log_file).expect("log file");
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(&log))
            .with_ansi(false)
            .with_writer(std::sync::Mutex::new(file))
            .try_init();
    }
    let threads = opts.usize("client_threads", 2);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_name("bench-client")
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    rt.block_on(run(&opts, &log, threads, &log_file));
    println!("total run time {:.1} s", started.elapsed().as_secs_f64());
}

fn date_utc() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute()
    )
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}

async fn run(opts: &Options, log: &str, client_threads: usize, log_file: &std::path::Path) {
    let secs: f64 = opts
        .get("crypto_secs")
        .map(|s| s.parse().expect("crypto_secs"))
        .unwrap_or(0.5);
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: String = load
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    let header = format!(
        "{}, commit {}, {cpus} CPUs, load average before the run {load}, Orchard log filter `{log}`",
        date_utc(),
        git_commit()
    );
    println!("== Orchard federation benchmarks: {header}");

    let mut inbox_out = None;
    if opts.runs("inbox") {
        let cfg = inbox::Config::from(opts);
        println!(
            "\n-- Inbox: N={} Create{{Note}} from {} remote senders to {} local people, client threads {client_threads}",
            cfg.n, cfg.senders, cfg.recipients
        );
        inbox_out = Some((inbox::run(&cfg).await, cfg));
    }
    let mut fanout_out = None;
    if opts.runs("fanout") {
        let cfg = fanout::Config::from(opts);
        println!("\n-- Fan-out: one Push to {} remote inboxes", cfg.followers);
        fanout_out = Some(fanout::run(&cfg).await);
    }

    println!(
        "\n-- References (same run, same machine; ~{secs} s each; wall rate, and per CPU-second)"
    );
    let verify = if opts.runs("inbox") || opts.runs("crypto") {
        let v = tokio::task::block_in_place(|| match &inbox_out {
            Some((o, _)) => crypto::verify_refs(&o.keys, &o.sample, secs),
            None => {
                let keys = generate_keys(4);
                let posts: Vec<SignedPost> = par_map(1024, 2, |i| {
                    let k = i % keys.len();
                    let body = format!(
                        r#"{{"@context":"https://www.w3.org/ns/activitystreams","id":"http://127.0.0.1:1/users/a{k}/activities/{i}","type":"Create","actor":"http://127.0.0.1:1/users/a{k}","object":{{"type":"Note","content":"x"}}}}"#
                    );
                    sign_post(
                        "http://127.0.0.1:1/people/r0/inbox",
                        body.into_bytes(),
                        &format!("http://127.0.0.1:1/users/a{k}#main-key"),
                        &keys[k],
                        k,
                    )
                });
                crypto::verify_refs(&keys, &posts, secs)
            }
        });
        println!(
            "  verify RSA-2048, aws-lc-rs: {} on 1 thread, {} on 2 ({:.1} µs CPU each)",
            show(v.aws_1),
            show(v.aws_2),
            v.aws_1.cpu_us()
        );
        println!(
            "  verify RSA-2048, rsa crate: {} on 1 thread, {} on 2 ({:.1} µs CPU each; aws-lc-rs is {:.1}x faster per CPU-second)",
            show(v.rsa_1),
            show(v.rsa_2),
            v.rsa_1.cpu_us(),
            v.aws_1.per_cpu / v.rsa_1.per_cpu
        );
        println!(
            "  Orchard's inbox checks without HTTP or storage (Digest, signature parse, Date, verify, JSON, activity), 2 threads: {} ({:.1} µs CPU each)",
            show(v.pipeline_2),
            v.pipeline_2.cpu_us()
        );
        let steps: Vec<String> = v
            .steps
            .iter()
            .map(|(k, us)| format!("{k} {us:.1}"))
            .collect();
        println!("    the same, step by step (µs CPU): {}", steps.join("; "));
        Some(v)
    } else {
        None
    };
    let sign = if opts.runs("fanout") || opts.runs("crypto") {
        let s = tokio::task::block_in_place(|| {
            let key = match &inbox_out {
                Some((o, _)) => o.keys[0].clone(),
                None => actors::KeyPair::generate().expect("keygen"),
            };
            crypto::sign_refs(&key, secs)
        });
        println!(
            "  sign RSA-2048, aws-lc-rs: {} on 1 thread, {} on 2 ({:.0} µs CPU each)",
            show(s.aws_1),
            show(s.aws_2),
            s.aws_1.cpu_us()
        );
        println!(
            "  sign RSA-2048, rsa crate blinded (sign_with_rng): {} on 1 thread ({:.0} µs CPU each; aws-lc-rs is {:.1}x faster per CPU-second)",
            show(s.rsa_blinded_1),
            s.rsa_blinded_1.cpu_us(),
            s.aws_1.per_cpu / s.rsa_blinded_1.per_cpu
        );
        println!("  soundness: {}", s.soundness);
        Some(s)
    } else {
        None
    };
    let mut flush = None;
    if opts.runs("inbox") || opts.runs("crypto") {
        let (p50, p99) = tokio::task::block_in_place(|| crypto::flush_latency(200));
        println!(
            "  sled insert + flush (fsync), one at a time: p50 {:.2} ms, p99 {:.2} ms",
            ms(p50),
            ms(p99)
        );
        let patterns = tokio::task::block_in_place(|| crypto::storage_patterns(2048));
        println!("  sled alone, storing one inbox activity (item + seen + pending) in one tree, flushing every k:");
        for (p, k, cpu, wall, w) in &patterns {
            println!(
                "    {p:<8} k={k:<3} {cpu:>5.0} µs CPU, {wall:>5.0} µs wall, {w:.2} write syscalls per activity"
            );
        }
        flush = Some((p50, p99, patterns));
    }

    // The summary, and the rows for BENCHMARKS.md.
    println!("\n== Summary ({header})");
    let mut md = Vec::new();
    if let (Some((o, cfg)), Some(v)) = (&inbox_out, &verify) {
        println!(
            "Inbox (N={} per round, {} senders, {} recipients, setup {:.1} s; Orchard [federation]: {}):",
            cfg.n,
            cfg.senders,
            cfg.recipients,
            o.setup.as_secs_f64(),
            o.federation
        );
        println!(
            "  {:>3} | {:>8} | {:>8} | {:>7} | {:>7} | {:>4} | {:>7} | {:>9} | {:>9} | {:>9} | {:>8} | goals",
            "c", "activ./s", "% verify", "p50 ms", "p99 ms", "lost", "non-2xx", "µs CPU/a", "srv µs/a", "idle proj", "idle %v"
        );
        for r in &o.rounds {
            let pct = 100.0 * r.per_sec / v.aws_2.wall;
            let non2xx = r.sent - r.ok;
            let cpu_us = r.cpu.total * 1e6 / r.ok.max(1) as f64;
            let server_us = r.server_cpu() * 1e6 / r.ok.max(1) as f64;
            let idle = 2e6 / cpu_us;
            let idle_pct = 100.0 * idle / v.aws_1.idle2();
            let rsa_pct = 100.0 * r.per_sec / v.rsa_2.wall;
            let goals = [
                r.per_sec >= 5000.0,
                pct >= 50.0,
                ms(r.p99) < 20.0,
                r.lost == 0 && r.ok == r.sent,
            ];
            let g: String = goals.iter().map(|m| if *m { 'y' } else { 'n' }).collect();
            println!(
                "  {:>3} | {:>8.0} | {:>7.1}% | {:>7.2} | {:>7.2} | {:>4} | {:>7} | {:>9.0} | {:>9.0} | {:>9.0} | {:>7.1}% | {g}",
                r.concurrency, r.per_sec, pct, ms(r.p50), ms(r.p99), r.lost, non2xx, cpu_us, server_us, idle, idle_pct
            );
            md.push(format!(
                "| inbox c={} | **{:.0} activities/s** | {:.1} % of aws-lc-rs verification on 2 threads ({:.0}/s); {:.0} % of the rsa crate's ({:.0}/s) | p50 {:.2} ms, p99 {:.2} ms | lost {} of {} 2xx | server {:.0} µs CPU per activity (verification {:.0} µs = {:.0} %); projected on 2 idle cores {:.0}/s = {:.1} % of the verification ceiling there | >= 5,000/s: {}; >= 50 %: {}; p99 < 20 ms: {}; zero lost: {} |",
                r.concurrency, r.per_sec, pct, v.aws_2.wall, rsa_pct, v.rsa_2.wall, ms(r.p50), ms(r.p99), r.lost, r.ok,
                server_us, v.aws_1.cpu_us(), 100.0 * v.aws_1.cpu_us() / server_us, idle, idle_pct,
                verdict(goals[0]), verdict(goals[1]), verdict(goals[2]), verdict(goals[3])
            ));
        }
        println!("  % verify: of the aws-lc-rs verification rate on 2 threads in this run; µs CPU/a: this process (server and load generator) per activity; srv µs/a: Orchard's threads only; idle proj: 2 cores / µs CPU per activity, what an otherwise idle 2-core machine would do if CPU-bound; idle %v: that, of 2 idle cores' aws-lc-rs verification rate");
        println!("  goals: >=5,000/s, >=50 % of the verification rate, p99 < 20 ms, zero lost and every POST 2xx (y = met)");
        if let Some((p50, p99, patterns)) = &flush {
            let shown: Vec<String> = patterns
                .iter()
                .map(|(p, k, cpu, _, w)| format!("{p} k={k}: {cpu:.0} µs, {w:.1} writes"))
                .collect();
            println!(
                "  context: one sled flush (fsync) p50 {:.2} ms / p99 {:.2} ms; sled alone per stored activity: {}",
                ms(*p50),
                ms(*p99),
                shown.join("; ")
            );
        }
    }
    if let Some(v) = &verify {
        md.push(format!(
            "| reference: verify | aws-lc-rs {} (1 thread), {} (2 threads); rsa crate {} (1 thread), {} (2 threads) | Orchard's checks without HTTP/storage: {} (2 threads), {:.1} µs CPU each | | | | |",
            show(v.aws_1), show(v.aws_2), show(v.rsa_1), show(v.rsa_2), show(v.pipeline_2), v.pipeline_2.cpu_us()
        ));
    }
    if let (Some(o), Some(s)) = (&fanout_out, &sign) {
        let raw = o.followers as f64 / s.aws_1.wall;
        let main_us = o.main_cpu * 1e6 / o.delivered.max(1) as f64;
        let met = o.from_end < 2.0 && o.distinct == o.followers && o.invalid == 0;
        println!(
            "Fan-out ({} remote inboxes, no shared inbox, setup {:.1} s; Orchard [federation]: {}):",
            o.followers,
            o.setup.as_secs_f64(),
            o.federation
        );
        println!(
            "  push returned -> last verified delivery {:.3} s (goal < 2 s: {}); from push start {:.3} s (git push itself {:.3} s); first to last delivery {:.3} s",
            o.from_end,
            verdict(met),
            o.from_start,
            o.push_secs,
            o.spread
        );
        println!(
            "  {:.0} deliveries/s (first to last); {} delivered to {} distinct inboxes, {} invalid signatures; the receivers fetched Orchard's key {} time(s)",
            o.delivered as f64 / o.spread.max(1e-9),
            o.delivered,
            o.distinct,
            o.invalid,
            o.key_fetches
        );
        println!(
            "  vs {} aws-lc-rs signatures at this run's raw rate ({:.3} s on 1 thread, {:.3} s on 2): push end to last {:.2}x, first to last {:.2}x (1 thread)",
            o.followers,
            raw,
            o.followers as f64 / s.aws_2.wall,
            o.from_end / raw,
            o.spread / raw,
        );
        println!(
            "  Orchard's delivery thread spent {:.0} µs CPU per delivery, of which signing ~{:.0} µs ({:.0} %)",
            main_us,
            s.aws_1.cpu_us(),
            100.0 * s.aws_1.cpu_us() / main_us
        );
        md.push(format!(
            "| fan-out {} inboxes, per_host {} | **{:.3} s** from push end to the last verified delivery ({:.3} s from push start; first to last {:.3} s) | {:.2}x the time of {} aws-lc-rs signatures on 1 thread ({:.3} s) | {:.0} deliveries/s | {} distinct inboxes, {} invalid | delivery thread {:.0} µs CPU per delivery, signing {:.0} µs ({:.0} %) | < 2 s: {} |",
            o.followers, o.per_host, o.from_end, o.from_start, o.spread, o.from_end / raw, o.followers, raw,
            o.delivered as f64 / o.spread.max(1e-9), o.distinct, o.invalid,
            main_us, s.aws_1.cpu_us(), 100.0 * s.aws_1.cpu_us() / main_us, verdict(met)
        ));
    }
    if let Some(s) = &sign {
        md.push(format!(
            "| reference: sign | aws-lc-rs {} (1 thread), {} (2 threads) | rsa crate blinded {} (1 thread) | | | | |",
            show(s.aws_1), show(s.aws_2), show(s.rsa_blinded_1)
        ));
    }
    if log != "off" {
        let lines = std::fs::read_to_string(log_file)
            .map(|s| s.lines().count())
            .unwrap_or(0);
        println!("Orchard's log: {lines} lines in {}", log_file.display());
    }
    println!("\nMarkdown rows (BENCHMARKS.md):");
    for l in md {
        println!("{l}");
    }
}

/// `12345/s (23456 per CPU-s)`.
fn show(r: crypto::Rate) -> String {
    format!("{:.0}/s ({:.0} per CPU-s)", r.wall, r.per_cpu)
}
