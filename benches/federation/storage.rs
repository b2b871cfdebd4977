//! sled alone, measured in the same run: the latency of an insert + flush, and the storage
//! patterns of one inbox activity (no Orchard code).

use crate::common::{cpu_report, cpu_snapshot, quantile};
use std::time::{Duration, Instant};

/// fsync cost on this disk: sled insert + flush, one at a time (the floor under each group
/// commit Orchard's inbox waits for).
pub fn flush_latency(n: usize) -> (Duration, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let db = sled::Config::new().path(dir.path()).open().unwrap();
    let mut lat = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        db.insert((i as u64).to_be_bytes(), vec![7u8; 600]).unwrap();
        db.flush().unwrap();
        lat.push(t.elapsed());
    }
    lat.sort();
    (quantile(&lat, 0.5), quantile(&lat, 0.99))
}

/// Storage patterns measured on sled directly (no Orchard code), each writing what storing one
/// inbox activity writes (a ~700-byte item, a `seen` marker, a `pending` marker) into one shared
/// tree, and flushing every `k` records:
/// - `inserts`: three plain inserts per record;
/// - `batch`: one `apply_batch` of the three per record (what `store_received` does);
/// - `merged`: one `apply_batch` holding the k records' entries (a write-level group commit).
///
/// Answers rows of (pattern, k, CPU µs per record over all threads of this process, including
/// sled's IO threads; wall µs per record; write syscalls per record).
pub fn storage_patterns(records: usize) -> Vec<(&'static str, usize, f64, f64, f64)> {
    let dir = tempfile::tempdir().unwrap();
    let db = sled::Config::new().path(dir.path()).open().unwrap();
    let tree = db.open_tree("person").unwrap();
    let value = vec![b'x'; 700];
    let mut out = Vec::new();
    let mut seq = 0u64;
    for (pattern, k) in [
        ("inserts", 1),
        ("batch", 1),
        ("inserts", 16),
        ("batch", 16),
        ("merged", 16),
    ] {
        let a = cpu_snapshot();
        let t = Instant::now();
        write_records(&db, &tree, (pattern, k), records, &value, &mut seq);
        let wall = t.elapsed().as_secs_f64();
        let b = cpu_snapshot();
        let r = cpu_report(&a, &b, &|_| None);
        let n = (records / k * k) as f64;
        out.push((
            pattern,
            k,
            r.total * 1e6 / n,
            wall * 1e6 / n,
            r.io.1 as f64 / n,
        ));
    }
    out
}

/// Writes `records / k` groups of `k` records the way `pattern` says, flushing after each group.
fn write_records(
    db: &sled::Db,
    tree: &sled::Tree,
    (pattern, k): (&str, usize),
    records: usize,
    value: &[u8],
    seq: &mut u64,
) {
    for _ in 0..records / k {
        let mut merged = sled::Batch::default();
        for _ in 0..k {
            *seq += 1;
            let (item, seen, pending) = record_keys(*seq);
            match pattern {
                "inserts" => {
                    tree.insert(item, value.to_vec()).unwrap();
                    tree.insert(pending, &[][..]).unwrap();
                    tree.insert(seen, &seq.to_be_bytes()[..]).unwrap();
                }
                "batch" => {
                    let mut b = sled::Batch::default();
                    b.insert(item, value.to_vec());
                    b.insert(seen, &seq.to_be_bytes()[..]);
                    b.insert(pending, &[][..]);
                    tree.apply_batch(b).unwrap();
                }
                _ => {
                    merged.insert(item, value.to_vec());
                    merged.insert(seen, &seq.to_be_bytes()[..]);
                    merged.insert(pending, &[][..]);
                }
            }
        }
        if pattern == "merged" {
            tree.apply_batch(merged).unwrap();
        }
        db.flush().unwrap();
    }
}

/// The keys one stored activity writes: its item, its `seen` marker and its `pending` marker.
fn record_keys(seq: u64) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let p = (seq % 100).to_be_bytes();
    let mut item = p.to_vec();
    item.extend_from_slice(b"\x00inbox\xff");
    item.extend_from_slice(&seq.to_be_bytes());
    let mut seen = p.to_vec();
    seen.extend_from_slice(b"\x00seen\xffhttp://127.0.0.1:1/users/a1/activities/");
    seen.extend_from_slice(seq.to_string().as_bytes());
    let mut pending = p.to_vec();
    pending.extend_from_slice(b"\x00pending\xff");
    pending.extend_from_slice(&seq.to_be_bytes());
    (item, seen, pending)
}
