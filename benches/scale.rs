//! Scale benchmark (issue 8, item 4). Run: `cargo bench --bench scale`.
//!
//! Stores N local actors (Person), then measures, each beside a reference taken in the same run:
//! - creation time, against the same records written as raw sled batches;
//! - disk size (du and sled), against the raw bytes of the records and the raw sled database;
//! - start-up (`RunningServer::spawn` until GET /nodeinfo/2.1 answers 200), against opening the
//!   sled database alone;
//! - cold activation p50/p99 (`Registry::document` of an actor not active, in a fresh process),
//!   against a raw sled point read of the same record in the raw database;
//! - RSS with ACTIVE actors active at once (fresh process, VmRSS).
//!
//! RSA key generation takes ~150 ms, so ONE key is generated and its record reused for every
//! actor (only id and name change): record sizes and activation work (PEM parsing) are real.
//!
//! Env: ORCHARD_BENCH_ACTORS (1000000), ORCHARD_BENCH_ACTIVE (10000), ORCHARD_BENCH_SAMPLES
//! (1000), ORCHARD_BENCH_THREADS (1), ORCHARD_BENCH_STARTS (3), ORCHARD_BENCH_TMPDIR (system
//! temp dir). Data lives in a temporary directory removed at the end; the run stops if the
//! projected size does not fit with 20 GB to spare, or if free space falls under 20 GB.

#[path = "scale/activate.rs"]
mod activate;
#[path = "scale/create.rs"]
mod create;
#[path = "scale/util.rs"]
mod util;

use std::path::Path;
use std::time::{Duration, Instant};
use util::*;

/// Id of the i-th actor.
pub fn actor_id(i: usize) -> String {
    format!("u{i:07}")
}

fn main() {
    if std::env::var("ORCHARD_BENCH_SCALE_CHILD").as_deref() == Ok("activate") {
        activate::child();
        return;
    }
    let n = env_usize("ORCHARD_BENCH_ACTORS", 1_000_000).max(1);
    let active = env_usize("ORCHARD_BENCH_ACTIVE", 10_000).min(n);
    let samples = env_usize("ORCHARD_BENCH_SAMPLES", 1_000).min(n);
    let starts = env_usize("ORCHARD_BENCH_STARTS", 3).max(1);
    // One thread by default: every creation is a sled transaction that also bumps the shared
    // `counter 0xFF person` key, so two threads conflict and retry (measured: 4x slower).
    let threads = env_usize("ORCHARD_BENCH_THREADS", 1).max(1);
    let mut builder = tempfile::Builder::new();
    builder.prefix("orchard-bench-scale");
    let tmp = match std::env::var_os("ORCHARD_BENCH_TMPDIR") {
        Some(d) => builder.tempdir_in(d),
        None => builder.tempdir(),
    }
    .expect("tempdir");
    let dir = tmp.path();
    println!("# scale benchmark: {n} actors, {active} active, {samples} activation samples");
    println!("data under {} ({:.1} GB free)", dir.display(), free_gb(dir));

    let c = create::run(dir, n, threads);
    println!(
        "memory of this process after creating (store closed): VmRSS {:.0} MB, peak VmHWM {:.0} MB",
        status_kb("VmRSS:") as f64 / 1024.0,
        status_kb("VmHWM:") as f64 / 1024.0
    );
    let r = create::reference(dir, n);
    println!(
        "created {n} actors in {:.1} s ({:.0}/s, {threads} threads); raw sled batches: {:.1} s ({:.0}/s)",
        c.secs,
        n as f64 / c.secs,
        r.secs,
        n as f64 / r.secs
    );

    let (raw_open, store_open, server) = startup(dir, starts);

    let act = activate::spawn_child(dir, n, active, samples);
    println!("free after: {:.1} GB", free_gb(dir));

    println!();
    println!("| figure | Orchard | reference (same run) | ratio |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| creation, {n} actors | {:.1} s ({:.0}/s) | raw sled batches {:.1} s | {:.1}x |",
        c.secs,
        n as f64 / c.secs,
        r.secs,
        c.secs / r.secs
    );
    println!(
        "| disk (du) | {:.1} MiB ({:.0} B/actor) | raw record bytes {:.1} MiB | {:.2}x |",
        mb(c.du),
        c.du as f64 / n as f64,
        mb(c.raw_bytes),
        c.du as f64 / c.raw_bytes as f64
    );
    println!(
        "| disk (sled size_on_disk) | {:.1} MiB | raw sled db (du) {:.1} MiB | {:.2}x (du vs du) |",
        mb(c.size_on_disk),
        mb(r.du),
        c.du as f64 / r.du as f64
    );
    println!(
        "| start-up until /nodeinfo/2.1 answers | {:.0} ms | sled open alone {:.0} ms (Store::open {:.0} ms) | {:.1}x |",
        ms(server), ms(raw_open), ms(store_open), ms(server) / ms(raw_open).max(0.001)
    );
    let get = |k: &str| act.get(k).copied().unwrap_or(0.0);
    println!(
        "| cold activation p50 | {:.0} µs | raw sled get p50 {:.1} µs | {:.0}x |",
        get("act_p50_us"),
        get("ref_p50_us"),
        get("act_p50_us") / get("ref_p50_us").max(0.001)
    );
    println!(
        "| cold activation p99 (goal < 1 ms) | {:.0} µs | raw sled get p99 {:.1} µs | {:.0}x |",
        get("act_p99_us"),
        get("ref_p99_us"),
        get("act_p99_us") / get("ref_p99_us").max(0.001)
    );
    println!(
        "| RSS with {:.0} active actors (goal < 300 MB) | {:.0} MB | RSS after opening the store {:.0} MB | +{:.1} KB/actor |",
        get("active_count"), get("rss_active_mb"), get("rss_open_mb"),
        (get("rss_active_mb") - get("rss_open_mb")) * 1024.0 / get("active_count").max(1.0)
    );
    println!();
    println!(
        "SUMMARY actors={n} du_mb={:.0} startup_ms={:.0} act_p99_us={:.0} rss_mb={:.0}",
        mb(c.du),
        ms(server),
        get("act_p99_us"),
        get("rss_active_mb")
    );
    drop(tmp);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Start-up: opening sled alone, `Store::open`, and a whole server until it answers; medians.
fn startup(dir: &Path, starts: usize) -> (Duration, Duration, Duration) {
    let db = dir.join("data/db");
    // First start creates the instance key and SSH host key: not counted.
    let _ = server_start(dir);
    let (mut raw, mut store, mut server) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..starts {
        let (d, took) = timed_open(|| sled::Config::new().path(&db).open());
        raw.push(took);
        drop(d);
        let (st, took) = timed_open(|| actors::Store::open(&db));
        store.push(took);
        drop(st);
        server.push(server_start(dir));
    }
    let (raw, store, server) = (median(raw), median(store), median(server));
    println!(
        "start-up (median of {starts}): sled open {:.0} ms, Store::open {:.0} ms, server until \
         /nodeinfo/2.1 answers {:.0} ms",
        ms(raw),
        ms(store),
        ms(server)
    );
    (raw, store, server)
}

/// Runs `open` until it stops failing (sled's lock may be released a moment after a server
/// stopped; up to 10 s); answers the value and the time of the successful attempt only.
fn timed_open<T, E: std::fmt::Debug>(open: impl Fn() -> Result<T, E>) -> (T, Duration) {
    let first = Instant::now();
    loop {
        let t = Instant::now();
        match open() {
            Ok(v) => {
                let took = t.elapsed();
                if first.elapsed() - took > Duration::from_millis(5) {
                    println!(
                        "  (the database was still locked for {:.0} ms)",
                        ms(first.elapsed() - took)
                    );
                }
                return (v, took);
            }
            Err(e) => {
                assert!(
                    first.elapsed() < Duration::from_secs(10),
                    "cannot open: {e:?}"
                );
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }
}

/// Starts a server on the data directory, waits until GET /nodeinfo/2.1 answers 200, stops it.
/// Answers the time from `RunningServer::spawn` to the first 200.
fn server_start(dir: &Path) -> Duration {
    let first = Instant::now();
    loop {
        let http = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let ssh = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = http.local_addr().unwrap();
        let text = format!(
            "public_url = \"http://{addr}\"\n[http]\nbind = \"{addr}\"\n[ssh]\nbind = \"{}\"\n\
             [storage]\npath = \"{}\"\nrepos = \"{}\"\n",
            ssh.local_addr().unwrap(),
            dir.join("data/db").display(),
            dir.join("data/repos").display()
        );
        let settings = orchard::Settings::parse(&text, "bench.toml").expect("settings");
        let t = Instant::now();
        let server = match orchard::RunningServer::spawn(settings, orchard::Listeners { http, ssh })
        {
            Ok(s) => s,
            // The previous instance may hold sled's lock a moment after it stopped.
            Err(e) if first.elapsed() < Duration::from_secs(10) => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            Err(e) => panic!("the server does not start: {e}"),
        };
        if first.elapsed() - t.elapsed() > Duration::from_millis(5) {
            println!(
                "  (the database was still locked for {:.0} ms)",
                ms(first.elapsed() - t.elapsed())
            );
        }
        loop {
            if http_get_status(addr, "/nodeinfo/2.1") == 200 {
                break;
            }
            assert!(
                t.elapsed() < Duration::from_secs(600),
                "no answer from the server"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        let took = t.elapsed();
        server.stop().expect("server stops");
        return took;
    }
}
