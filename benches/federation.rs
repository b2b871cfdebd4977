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
#[path = "federation/fanout_setup.rs"]
mod fanout_setup;
#[path = "federation/inbox.rs"]
mod inbox;
#[path = "federation/inbox_round.rs"]
mod inbox_round;
#[path = "federation/inbox_setup.rs"]
mod inbox_setup;
#[path = "federation/options.rs"]
mod options;
#[path = "federation/references.rs"]
mod references;
#[path = "federation/remote.rs"]
mod remote;
#[path = "federation/remote_verify.rs"]
mod remote_verify;
#[path = "federation/signing.rs"]
mod signing;
#[path = "federation/storage.rs"]
mod storage;
#[path = "federation/summary.rs"]
mod summary;
#[path = "federation/verify_refs.rs"]
mod verify_refs;

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

/// The date and time of the run, for the report's header.
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

/// The header of the report: date, commit, CPUs, load average, Orchard's log filter.
fn header(log: &str) -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: String = load
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "{}, commit {}, {cpus} CPUs, load average before the run {load}, Orchard log filter `{log}`",
        date_utc(),
        git_commit()
    )
}

/// Runs the sections asked for, the references, and prints the summary.
async fn run(opts: &Options, log: &str, client_threads: usize, log_file: &std::path::Path) {
    let secs: f64 = opts
        .get("crypto_secs")
        .map(|s| s.parse().expect("crypto_secs"))
        .unwrap_or(0.5);
    let header = header(log);
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
    let inbox_o = inbox_out.as_ref().map(|(o, _)| o);
    let verify =
        (opts.runs("inbox") || opts.runs("crypto")).then(|| references::verify(inbox_o, secs));
    let sign =
        (opts.runs("fanout") || opts.runs("crypto")).then(|| references::sign(inbox_o, secs));
    let flush = (opts.runs("inbox") || opts.runs("crypto")).then(references::flush);

    // The summary, and the rows for BENCHMARKS.md.
    println!("\n== Summary ({header})");
    let mut md = Vec::new();
    if let (Some((o, cfg)), Some(v)) = (&inbox_out, &verify) {
        summary::inbox(o, cfg, v, flush.as_ref(), &mut md);
    }
    if let Some(v) = &verify {
        summary::verify_row(v, &mut md);
    }
    if let (Some(o), Some(s)) = (&fanout_out, &sign) {
        summary::fanout(o, s, &mut md);
    }
    if let Some(s) = &sign {
        summary::sign_row(s, &mut md);
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
