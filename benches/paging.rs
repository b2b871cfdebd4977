//! Paging benchmark (issue 14, item 5). Run: `cargo bench --bench paging`.
//!
//! Fills one person's inbox, outbox and followers with N items each (default 1,000,000) in a
//! real sled store in a temporary directory, then reads, many times each, the collection
//! document (`totalItems`) and the first and the last page of each through
//! `actors::collections::get` (what `GET {actor}/{collection}?page=N` asks the actor), and
//! reports p50/p99; and, fewer times, a page in the middle (inbox and outbox read any page
//! directly; followers read it from the nearer end). The reference, measured in the same run on the same database: a raw sled
//! range read of the same number of keys (20) at the same end of the same prefix.
//!
//! Items are written as the server stores them (the same keys and JSON layouts; the sizes
//! `size 0xFF <collection>` set as the handlers keep them), but in large batches, not through
//! the inbox: filling through HTTP would take hours and is not what is measured.
//!
//! Env: ORCHARD_BENCH_ITEMS (1000000), ORCHARD_BENCH_READS (2000), ORCHARD_BENCH_TMPDIR
//! (system temp dir).

use actors::actor::env::Env;
use actors::actor::record::{create, ActorRecord};
use actors::actor::state::ActorCore;
use actors::audience::Reader;
use actors::kind::{ActorKind, ActorRef};
use actors::messages::GetCollection;
use actors::storage::layout::{self, FOLLOWERS, INBOX, OUTBOX, OUTBOX_AT, OUTBOX_PUBLIC};
use actors::storage::{keyspace::ActorKeyspace, sizes, store::Store};
use serde_json::json;
use std::time::{Duration, Instant};

const BATCH: u64 = 10_000;
/// Each collection read, and by whom (the outbox also as anonymous readers see it: its public
/// items, all of them here).
const READS: [(&str, &str, Reader); 4] = [
    ("inbox", "inbox", Reader::Owner),
    ("outbox", "outbox", Reader::Owner),
    ("outbox", "outbox (anonymous)", Reader::Anonymous),
    ("followers", "followers", Reader::Anonymous),
];

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The i-th item of each collection: its key and value.
fn item(collection: &str, i: u64) -> (Vec<u8>, Vec<u8>) {
    let actor = format!("https://remote{}.example/users/u{i:07}", i % 97);
    let activity = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{actor}/activities/{i}"), "type": "Like", "actor": actor,
        "object": "http://127.0.0.1:7000/people/big", "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "published": "2026-01-01T00:00:00Z",
    });
    match collection {
        FOLLOWERS => (
            layout::key(FOLLOWERS, actor.as_bytes()),
            json!({"follow": format!("{actor}/follow"), "since": "2026-01-01T00:00:00Z"})
                .to_string()
                .into_bytes(),
        ),
        c => (layout::seq_key(c, i), activity.to_string().into_bytes()),
    }
}

fn fill(ks: &ActorKeyspace, n: u64) {
    let started = Instant::now();
    for collection in [INBOX, OUTBOX, FOLLOWERS] {
        for start in (0..n).step_by(BATCH as usize) {
            let mut batch = ks.batch();
            for i in start..(start + BATCH).min(n) {
                let (k, v) = item(collection, i);
                batch.insert(k, v);
                if collection == OUTBOX {
                    // Its two indexes by position (see actors::publish::outbox_index); all public here.
                    batch.insert(layout::seq_key(OUTBOX_AT, i), i.to_be_bytes());
                    batch.insert(layout::seq_key(OUTBOX_PUBLIC, i), i.to_be_bytes());
                }
            }
            if collection != INBOX && start + BATCH >= n {
                batch.insert(sizes::size_key(collection), n.to_be_bytes());
                if collection == OUTBOX {
                    batch.insert(sizes::size_key(OUTBOX_AT), n.to_be_bytes());
                    batch.insert(sizes::size_key(OUTBOX_PUBLIC), n.to_be_bytes());
                }
            }
            ks.apply_batch(batch).expect("batch");
        }
    }
    println!(
        "filled 3 collections of {n} items in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// CPU time of this thread so far (what a read costs, whatever else the machine runs).
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec it is given and nothing else.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// p50 and p99 of wall and of CPU time, in ms.
#[derive(Clone, Copy)]
struct Figures {
    wall: (f64, f64),
    cpu: (f64, f64),
}

/// Times `f` `reads` times.
fn timed(reads: u64, mut f: impl FnMut()) -> Figures {
    let (mut wall, mut cpu): (Vec<Duration>, Vec<Duration>) = (0..reads)
        .map(|_| {
            let (t, c) = (Instant::now(), thread_cpu());
            f();
            (t.elapsed(), thread_cpu().saturating_sub(c))
        })
        .unzip();
    wall.sort();
    cpu.sort();
    let p = |v: &[Duration]| (percentile(v, 0.5), percentile(v, 0.99));
    Figures {
        wall: p(&wall),
        cpu: p(&cpu),
    }
}

fn read(core: &ActorCore, (name, reader): (&str, &Reader), page: Option<u64>) -> serde_json::Value {
    let msg = GetCollection {
        name: name.into(),
        page,
        reader: reader.clone(),
    };
    actors::collections::get(core, &msg).expect("collection")
}

/// A raw sled range read of 20 entries at one end of a prefix of the kind's tree.
fn raw_range(tree: &sled::Tree, prefix: &[u8], from_end: bool) -> usize {
    let iter = tree.scan_prefix(prefix);
    let entries: Vec<_> = match from_end {
        true => iter.rev().take(20).map(|e| e.expect("entry")).collect(),
        false => iter.take(20).map(|e| e.expect("entry")).collect(),
    };
    entries.len()
}

type Row = (&'static str, &'static str, Figures);
type Reference = (&'static str, Figures, Figures);

/// What the actor is given, over `store`.
fn env_of(store: &Store) -> Env {
    Env {
        store: store.clone(),
        urls: actors::Urls::new(url::Url::parse("http://127.0.0.1:7000").expect("base")),
        delivery: actors::storage::delivery_queue::DeliveryQueue::open(store)
            .expect("delivery queue"),
        repos: Default::default(),
        push_timeout: Duration::from_secs(60),
        git_jobs: actors::actor::git_jobs::GitJobs::disconnected(),
    }
}

/// Stores the person `big` with N items a collection in `db`, and times the reads of `READS`.
fn measure(db: &std::path::Path, n: u64, reads: u64) -> Vec<Row> {
    let r = ActorRef::new(ActorKind::Person, "big");
    let store = Store::open(db).expect("store");
    let record = ActorRecord::generate(ActorKind::Person, "big", None).expect("key");
    create(&store, &r, &record).expect("create");
    fill(&store.keyspace(&r).expect("keyspace"), n);
    store.flush_blocking().expect("flush");
    // Read as a running server would: the store reopened after the fill (sled's clean-up of
    // three million writes is not measured), and each figure after one untimed read.
    store.close_clean().expect("closed");
    drop(store);
    let store = Store::open(db).expect("store reopened");
    let core = ActorCore::load(&env_of(&store), &r).expect("load");
    let pages = n.div_ceil(20);
    let mut rows = Vec::new();
    for (name, label, reader) in &READS {
        let name = (*name, reader);
        assert_eq!(read(&core, name, None)["totalItems"], n, "{label}");
        let last = read(&core, name, Some(pages));
        let got = last["orderedItems"].as_array().map_or(0, Vec::len) as u64;
        assert_eq!(
            got,
            n - (pages - 1) * 20,
            "{label}: the last page holds the rest"
        );
        let mut time = |what, times, page| {
            drop(read(&core, name, page));
            rows.push((*label, what, timed(times, || drop(read(&core, name, page)))));
        };
        time("collection (totalItems)", reads, None);
        time("first page", reads, Some(1));
        time("last page", reads, Some(pages));
        time(
            "middle page (not a goal)",
            (reads / 200).max(3),
            Some(pages / 2),
        );
    }
    rows
}

/// The reference: the same database opened with sled alone (the store is closed), 20 entries
/// read at the newest and at the oldest end of each prefix.
fn reference(db: &std::path::Path, reads: u64) -> Vec<Reference> {
    let raw = sled::Config::new().path(db).open().expect("raw sled");
    let tree = raw.open_tree("person").expect("tree");
    let mut refs = Vec::new();
    for collection in [INBOX, OUTBOX, FOLLOWERS] {
        let mut prefix = b"big\0".to_vec();
        prefix.extend_from_slice(&layout::prefix(collection));
        let newest = timed(reads, || assert_eq!(raw_range(&tree, &prefix, true), 20));
        let oldest = timed(reads, || assert_eq!(raw_range(&tree, &prefix, false), 20));
        refs.push((collection, newest, oldest));
    }
    refs
}

fn print(rows: Vec<Row>, refs: &[Reference]) {
    println!("\n| collection | read | wall p50 / p99 | CPU p50 / p99 | reference (raw sled, 20 keys at that end) wall p50 / p99, CPU p99 |");
    println!("| --- | --- | --- | --- | --- |");
    for (name, what, f) in rows {
        let collection = name.split(' ').next().unwrap_or(name);
        let (_, newest, oldest) = refs.iter().find(|(c, _, _)| *c == collection).expect("ref");
        // Inbox and outbox serve newest first: their first page is at the end of the prefix.
        let newest_first = collection != "followers";
        let at_end = (what == "first page") == newest_first;
        let reference = match what {
            "collection (totalItems)" | "middle page (not a goal)" => "-".to_string(),
            _ => {
                let r = if at_end { newest } else { oldest };
                format!("{:.3} / {:.3} ms, {:.3} ms", r.wall.0, r.wall.1, r.cpu.1)
            }
        };
        println!(
            "| {name} | {what} | {:.3} / {:.3} ms | {:.3} / {:.3} ms | {reference} |",
            f.wall.0, f.wall.1, f.cpu.0, f.cpu.1
        );
    }
}

fn main() {
    let n = env_u64("ORCHARD_BENCH_ITEMS", 1_000_000).max(1);
    let reads = env_u64("ORCHARD_BENCH_READS", 2_000).max(1);
    let mut builder = tempfile::Builder::new();
    builder.prefix("orchard-bench-paging");
    let tmp = match std::env::var_os("ORCHARD_BENCH_TMPDIR") {
        Some(d) => builder.tempdir_in(d),
        None => builder.tempdir(),
    }
    .expect("tempdir");
    let db = tmp.path().join("db");
    println!("# paging benchmark: {n} items a collection, {reads} reads a figure");
    let rows = measure(&db, n, reads);
    let refs = reference(&db, reads);
    print(rows, &refs);
    let _ = tmp.close();
}
