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
#[path = "scale/startup.rs"]
mod startup;
#[path = "scale/util.rs"]
mod util;

use startup::{ms, startup};
use std::collections::BTreeMap;
use std::time::Duration;
use util::*;

/// The sizes of a run, from the environment (see the module doc).
struct Sizes {
    n: usize,
    active: usize,
    samples: usize,
    starts: usize,
    threads: usize,
}

impl Sizes {
    fn from_env() -> Sizes {
        let n = env_usize("ORCHARD_BENCH_ACTORS", 1_000_000).max(1);
        Sizes {
            n,
            active: env_usize("ORCHARD_BENCH_ACTIVE", 10_000).min(n),
            samples: env_usize("ORCHARD_BENCH_SAMPLES", 1_000).min(n),
            starts: env_usize("ORCHARD_BENCH_STARTS", 3).max(1),
            // One thread by default: every creation is a sled transaction that also bumps the
            // shared `counter 0xFF person` key, so two threads conflict and retry (measured: 4x
            // slower).
            threads: env_usize("ORCHARD_BENCH_THREADS", 1).max(1),
        }
    }
}

/// Every figure of a run, measured.
struct Figures {
    created: create::Created,
    reference: create::Reference,
    raw_open: Duration,
    store_open: Duration,
    server: Duration,
    activation: BTreeMap<String, f64>,
}

fn main() {
    if std::env::var("ORCHARD_BENCH_SCALE_CHILD").as_deref() == Ok("activate") {
        activate::child();
        return;
    }
    let z = Sizes::from_env();
    let (n, threads) = (z.n, z.threads);
    let mut builder = tempfile::Builder::new();
    builder.prefix("orchard-bench-scale");
    let tmp = match std::env::var_os("ORCHARD_BENCH_TMPDIR") {
        Some(d) => builder.tempdir_in(d),
        None => builder.tempdir(),
    }
    .expect("tempdir");
    let dir = tmp.path();
    println!(
        "# scale benchmark: {n} actors, {} active, {} activation samples",
        z.active, z.samples
    );
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

    let (raw_open, store_open, server) = startup(dir, z.starts);

    let act = activate::spawn_child(dir, n, z.active, z.samples);
    println!("free after: {:.1} GB", free_gb(dir));
    print_table(
        n,
        &Figures {
            created: c,
            reference: r,
            raw_open,
            store_open,
            server,
            activation: act,
        },
    );
    drop(tmp);
}

/// The table of figures beside their references, and the SUMMARY line.
fn print_table(n: usize, f: &Figures) {
    let (c, r, server, raw_open) = (&f.created, &f.reference, f.server, f.raw_open);
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
        ms(server), ms(raw_open), ms(f.store_open), ms(server) / ms(raw_open).max(0.001)
    );
    let get = |k: &str| f.activation.get(k).copied().unwrap_or(0.0);
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
}
