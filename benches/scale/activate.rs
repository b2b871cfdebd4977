//! Activation and memory, measured in a fresh process (so sled's cache and the heap start cold):
//! cold activations through the Registry, a raw sled read of the same records as reference,
//! the parts of an activation timed alone, and RSS with many actors active at once.

use crate::create::{reference_key, reference_tree};
use crate::util::{actor_id, env_usize, pct, status_kb, us};
use actors::actor::env::Env;
use actors::actor::record::ActorRecord;
use actors::{ActorKind, ActorRef, KeyPair, Registry, Store, Urls};
use rand::seq::index::sample;
use rand::SeedableRng;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs the `activate` phase in a child process of this benchmark; answers its RESULT figures.
pub fn spawn_child(dir: &Path, n: usize, active: usize, samples: usize) -> BTreeMap<String, f64> {
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe)
        .env("ORCHARD_BENCH_SCALE_CHILD", "activate")
        .env("ORCHARD_BENCH_SCALE_DIR", dir)
        .env("ORCHARD_BENCH_ACTORS", n.to_string())
        .env("ORCHARD_BENCH_ACTIVE", active.to_string())
        .env("ORCHARD_BENCH_SAMPLES", samples.to_string())
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut figures = BTreeMap::new();
    for line in text.lines() {
        match line.strip_prefix("RESULT ") {
            Some(kv) => {
                let mut it = kv.split_whitespace();
                if let (Some(k), Some(v)) = (it.next(), it.next().and_then(|v| v.parse().ok())) {
                    figures.insert(k.to_string(), v);
                }
            }
            None => println!("{line}"),
        }
    }
    assert!(out.status.success(), "the activation phase failed");
    figures
}

fn result(name: &str, v: f64) {
    println!("RESULT {name} {v}");
}

fn report(what: &str, key: &str, v: &[Duration]) {
    let (p50, p99, max) = (pct(v, 50.0), pct(v, 99.0), pct(v, 100.0));
    println!(
        "{what:<48} p50 {:>8.1} µs  p99 {:>8.1} µs  max {:>8.1} µs  (n = {})",
        us(p50),
        us(p99),
        us(max),
        v.len()
    );
    result(&format!("{key}_p50_us"), us(p50));
    result(&format!("{key}_p99_us"), us(p99));
}

/// The child process: opens the store, starts a Registry and measures (see the module doc).
pub fn child() {
    let dir = PathBuf::from(std::env::var_os("ORCHARD_BENCH_SCALE_DIR").expect("dir"));
    let n = env_usize("ORCHARD_BENCH_ACTORS", 0);
    let active = env_usize("ORCHARD_BENCH_ACTIVE", 10_000);
    let samples = env_usize("ORCHARD_BENCH_SAMPLES", 1_000);
    let rss0 = status_kb("VmRSS:");
    let store = open_store(&dir);
    let system = actix_rt::System::new();
    system.block_on(async move {
        let arbiters: Vec<actix::Arbiter> = (0..2).map(|_| actix::Arbiter::new()).collect();
        let registry = registry(&dir, store, &arbiters);
        let rss_open = status_kb("VmRSS:");
        println!(
            "RSS: {:.0} MB at process start, {:.0} MB after opening the store",
            rss0 as f64 / 1024.0,
            rss_open as f64 / 1024.0
        );
        result("rss_open_mb", rss_open as f64 / 1024.0);

        let mut rng = rand::rngs::StdRng::seed_from_u64(0x5EED);
        let ids: Vec<usize> = sample(&mut rng, n, samples.min(n)).into_vec();
        cold_and_warm(&registry, &ids).await;
        many_active(&registry, n, active).await;
        let bytes = reference_reads(&dir, &ids);
        activation_parts(&bytes);
        use std::io::Write;
        let _ = std::io::stdout().flush();
        // Leave without tearing 10,000 actors down one by one.
        std::process::exit(0);
    });
}

/// Opens the store; the parent's last server may release sled's lock a moment after it stopped.
fn open_store(dir: &Path) -> Store {
    let t = Instant::now();
    loop {
        match Store::open(&dir.join("data/db")) {
            Ok(s) => break s,
            Err(e) if t.elapsed() < Duration::from_secs(10) => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => panic!("cannot open the store: {e}"),
        }
    }
}

/// A Registry on `store` whose actors stay active (idle timeout far away, and no sweeper).
fn registry(dir: &Path, store: Store, arbiters: &[actix::Arbiter]) -> Registry {
    let env = Env {
        store: store.clone(),
        urls: Urls::new(url::Url::parse("http://127.0.0.1:7000").unwrap()),
        delivery: actors::storage::delivery_queue::DeliveryQueue::open(&store)
            .expect("delivery queue"),
        repos: std::sync::Arc::new(dir.join("data/repos")),
        push_timeout: Duration::from_secs(600),
        git_jobs: actors::actor::git_jobs::GitJobs::disconnected(),
    };
    Registry::new(
        env,
        arbiters.iter().map(|a| a.handle()).collect(),
        Duration::from_secs(24 * 3600),
    )
}

/// Cold activations (the actor is stored, not active; GetDocument activates it), then the same
/// actors again, now active: the message round trip alone.
async fn cold_and_warm(registry: &Registry, ids: &[usize]) {
    let mut cold = Vec::with_capacity(ids.len());
    for &i in ids {
        let r = ActorRef::new(ActorKind::Person, actor_id(i));
        let t = Instant::now();
        let doc = registry.document(&r).await.expect("document");
        cold.push(t.elapsed());
        debug_assert_eq!(doc.preferred_username.as_deref(), Some(r.id.as_str()));
    }
    report("cold activation (Registry::document)", "act", &cold);

    let mut warm = Vec::with_capacity(ids.len());
    for &i in ids {
        let r = ActorRef::new(ActorKind::Person, actor_id(i));
        let t = Instant::now();
        registry.document(&r).await.expect("document");
        warm.push(t.elapsed());
    }
    report("GetDocument of an active actor", "warm", &warm);
}

/// Many active at once: activates actors until `active` are, then reads RSS.
async fn many_active(registry: &Registry, n: usize, active: usize) {
    let t = Instant::now();
    let mut i = 0;
    while registry.active_count() < active && i < n {
        let r = ActorRef::new(ActorKind::Person, actor_id(i));
        registry.document(&r).await.expect("document");
        i += 1;
    }
    let count = registry.active_count();
    let took = t.elapsed();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let rss = status_kb("VmRSS:");
    println!(
        "{count} actors active (activated in {:.1} s): RSS {:.0} MB, peak {:.0} MB",
        took.as_secs_f64(),
        rss as f64 / 1024.0,
        status_kb("VmHWM:") as f64 / 1024.0
    );
    result("active_count", count as f64);
    result("rss_active_mb", rss as f64 / 1024.0);
}

/// Reference: raw sled point reads of the same records, in the raw database (cold too).
/// Answers the bytes of the last record read.
fn reference_reads(dir: &Path, ids: &[usize]) -> Vec<u8> {
    let refdb = sled::Config::new()
        .path(dir.join("reference"))
        .open()
        .expect("reference db");
    let reftree = reference_tree(&refdb);
    let mut raw = Vec::with_capacity(ids.len());
    let mut bytes = Vec::new();
    for &i in ids {
        let k = reference_key(i);
        let t = Instant::now();
        let v = reftree.get(&k).unwrap().expect("record");
        raw.push(t.elapsed());
        bytes = v.to_vec();
    }
    report("reference: raw sled get of the record", "ref", &raw);
    bytes
}

/// Parts of an activation, alone: decoding the record `bytes`, and key parsing.
fn activation_parts(bytes: &[u8]) {
    let mut decode = Vec::new();
    let mut record: Option<ActorRecord> = None;
    for _ in 0..200 {
        let t = Instant::now();
        record = Some(serde_json::from_slice(bytes).unwrap());
        decode.push(t.elapsed());
    }
    report("  part: decode the record (serde_json)", "decode", &decode);
    let pem = record.unwrap().private_key_pem;
    let mut key = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let k = KeyPair::from_pkcs8_pem(&pem).unwrap();
        key.push(t.elapsed());
        drop(k);
    }
    report(
        "  not in an activation: KeyPair::from_pkcs8_pem (aws-lc-rs, on first signature)",
        "key",
        &key,
    );
    key_parts(&pem);
}

/// For comparison, the steps of the earlier `KeyPair::from_pkcs8_pem` (run at every activation
/// until the public PEM was kept in the record), each alone.
fn key_parts(pem: &str) {
    use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
    let (mut parse, mut public, mut awslc) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..200 {
        let t = Instant::now();
        let private = rsa::RsaPrivateKey::from_pkcs8_pem(pem).unwrap();
        parse.push(t.elapsed());
        let t = Instant::now();
        let _ = rsa::RsaPublicKey::from(&private)
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        public.push(t.elapsed());
        let der = private.to_pkcs8_der().unwrap();
        let t = Instant::now();
        let _ = aws_lc_rs::signature::RsaKeyPair::from_pkcs8(der.as_bytes()).unwrap();
        awslc.push(t.elapsed());
    }
    report("    rsa::RsaPrivateKey::from_pkcs8_pem", "key_rsa", &parse);
    report("    public key PEM", "key_pub", &public);
    report("    aws_lc_rs RsaKeyPair::from_pkcs8", "key_awslc", &awslc);
}
