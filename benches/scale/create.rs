//! Storing N actors through the public API (`record::create`, as the server does for each new
//! actor), in parallel threads; and the same records as raw sled batches (the reference).

use crate::util::{actor_id, du, free_gb, mb};
use actors::actor::record::{self, ActorRecord};
use actors::{ActorKind, ActorRef, Store};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

pub struct Created {
    pub secs: f64,
    pub du: u64,
    pub size_on_disk: u64,
    pub raw_bytes: u64,
}

pub struct Reference {
    pub secs: f64,
    pub du: u64,
}

/// The one record every actor reuses (a real RSA-2048 key), with id and name changed.
pub fn template() -> ActorRecord {
    ActorRecord::generate(ActorKind::Person, "template", Some("Template".into())).expect("key")
}

pub fn record_for(t: &ActorRecord, i: usize) -> ActorRecord {
    let mut r = t.clone();
    r.id = actor_id(i);
    r.name = Some(format!("User {i}"));
    r
}

/// Below this many GB free, stop at once.
const MIN_FREE_GB: f64 = 20.0;

pub fn run(dir: &Path, n: usize, threads: usize) -> Created {
    let db = dir.join("data/db");
    std::fs::create_dir_all(dir.join("data/repos")).unwrap();
    let store = Store::open(&db).expect("store");
    let template = template();
    let raw_bytes: u64 = (0..n)
        .map(|i| {
            let rec = serde_json::to_vec(&record_for(&template, i)).unwrap().len();
            // Index key `actor 0xFF person/<id>` (instance tree) and record key
            // `<id> 0x00 meta 0xFF record` (tree `person`), plus the record.
            let id = actor_id(i).len();
            (rec + 13 + id + id + 12) as u64
        })
        .sum();
    let start = Instant::now();
    // A first slice, to project the disk size before writing everything.
    let probe = n.min(2_000);
    create_range(&store, &template, 0, probe, threads);
    store.flush_blocking().unwrap();
    let per_actor = du(&db) as f64 / probe as f64;
    let projected_gb = per_actor * n as f64 * 2.2 / 1e9; // store + reference db, some slack
    let free = free_gb(dir);
    println!(
        "probe: {probe} actors take {per_actor:.0} B each on disk; projected for {n} (with the \
         reference db): {projected_gb:.1} GB; free {free:.1} GB"
    );
    assert!(
        free - projected_gb > MIN_FREE_GB,
        "not enough disk: projected {projected_gb:.1} GB with {free:.1} GB free (keep 20 GB)"
    );
    let chunk = 50_000;
    let mut done = probe;
    while done < n {
        let end = (done + chunk).min(n);
        create_range(&store, &template, done, end, threads);
        done = end;
        let free = free_gb(dir);
        assert!(
            free > MIN_FREE_GB,
            "free space fell to {free:.1} GB: stopping"
        );
        if done % 200_000 == 0 {
            println!(
                "  {done} actors, {:.0} s, {:.1} MiB on disk, {free:.1} GB free",
                start.elapsed().as_secs_f64(),
                mb(du(&db))
            );
        }
    }
    store.flush_blocking().unwrap();
    let secs = start.elapsed().as_secs_f64();
    let size_on_disk = store.size_on_disk().unwrap_or(0);
    drop(store);
    Created {
        secs,
        du: du(&db),
        size_on_disk,
        raw_bytes,
    }
}

fn create_range(store: &Store, template: &ActorRecord, from: usize, to: usize, threads: usize) {
    let next = AtomicUsize::new(from);
    let failed = AtomicBool::new(false);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= to || failed.load(Ordering::Relaxed) {
                    break;
                }
                let r = ActorRef::new(ActorKind::Person, actor_id(i));
                if let Err(e) = record::create(store, &r, &record_for(template, i)) {
                    failed.store(true, Ordering::Relaxed);
                    panic!("creating {r}: {e}");
                }
            });
        }
    });
}

/// Key of the i-th record in the reference database: Orchard's layout, `<id> 0x00 meta 0xFF
/// record` in a tree `person`.
pub fn reference_key(i: usize) -> Vec<u8> {
    let mut k = actor_id(i).into_bytes();
    k.push(0x00);
    k.extend_from_slice(b"meta");
    k.push(0xFF);
    k.extend_from_slice(b"record");
    k
}

/// Opens the reference database's one tree.
pub fn reference_tree(db: &sled::Db) -> sled::Tree {
    db.open_tree("person").expect("reference tree")
}

/// The same records in one plain sled tree (no index, no counter, no transaction), written in
/// batches of 10,000.
pub fn reference(dir: &Path, n: usize) -> Reference {
    let path = dir.join("reference");
    let db = sled::Config::new()
        .path(&path)
        .open()
        .expect("reference db");
    let tree = reference_tree(&db);
    let template = template();
    let start = Instant::now();
    let mut i = 0;
    while i < n {
        let mut batch = sled::Batch::default();
        let end = (i + 10_000).min(n);
        for j in i..end {
            batch.insert(
                reference_key(j),
                serde_json::to_vec(&record_for(&template, j)).unwrap(),
            );
        }
        tree.apply_batch(batch).unwrap();
        i = end;
        if i % 100_000 == 0 {
            assert!(
                free_gb(dir) > MIN_FREE_GB,
                "free space under 20 GB: stopping"
            );
        }
    }
    db.flush().unwrap();
    let secs = start.elapsed().as_secs_f64();
    drop(db);
    Reference {
        secs,
        du: du(&path),
    }
}
