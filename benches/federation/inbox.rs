//! Inbox: signed, verified, durably stored activities per second from concurrent remote senders
//! over loopback HTTP.
//!
//! One Orchard instance with R registered people (the recipients); a fake remote server with K
//! actors and real RSA-2048 keys. N `Create{Note}` activities with unique ids, spread over the
//! recipients' inboxes and the senders, are signed *before* the timed phase (signing is the
//! sender's cost). Each sender's key is put in Orchard's cache by one warm-up POST. Then the N
//! POSTs go out with C in flight over keep-alive connections; throughput, per-request latency and
//! statuses are recorded. Afterwards the recipients' inbox `totalItems` must have grown by exactly
//! the number of 2xx answers (zero lost).

use crate::common::*;
pub use crate::inbox_round::Round;
use crate::inbox_round::{print_round, round};
use crate::inbox_setup::{people, presign, warm_up};
use crate::remote::Remote;
use actors::KeyPair;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The inbox section's sizes.
pub struct Config {
    pub n: usize,
    pub senders: usize,
    pub recipients: usize,
    pub concurrency: Vec<usize>,
}

impl Config {
    pub fn from(o: &Options) -> Config {
        Config {
            n: o.usize("inbox_n", 20_000),
            senders: o.usize("inbox_senders", 16),
            recipients: o.usize("inbox_recipients", 100),
            concurrency: o.usizes("inbox_concurrency", &[32]),
        }
    }
}

/// The inbox section's results.
pub struct Outcome {
    pub rounds: Vec<Round>,
    pub keys: Vec<KeyPair>,
    /// The first round's signed posts, kept for the verification references.
    pub sample: Vec<SignedPost>,
    pub federation: String,
    pub setup: Duration,
}

/// Sets up the instance, the remote senders and the recipients, then runs one round per
/// concurrency.
pub async fn run(cfg: &Config) -> Outcome {
    let setup_start = Instant::now();
    let senders = cfg.senders.max(1);
    println!(
        "  inbox setup: {senders} sender keys, 1 instance, {} recipients ...",
        cfg.recipients
    );
    let keys = tokio::task::spawn_blocking(move || generate_keys(senders))
        .await
        .unwrap();
    let remote = Remote::start(senders, &keys, 1);
    let inst = Arc::new(
        tokio::task::spawn_blocking(|| Instance::start("", ""))
            .await
            .unwrap(),
    );
    let c = client();
    let p = people(&c, &inst, cfg.recipients).await;
    warm_up(&c, &remote, &keys, &p.warm.1).await;
    let setup = setup_start.elapsed();
    println!("  inbox setup done in {:.1} s", setup.as_secs_f64());

    let mut rounds = Vec::new();
    let mut sample = Vec::new();
    for (n, &conc) in cfg.concurrency.iter().enumerate() {
        let t = Instant::now();
        let posts = {
            let (remote, keys, iu, rc) = (&remote, &keys, &p.inbox_urls, &p.recipients);
            tokio::task::block_in_place(|| presign(remote, keys, iu, rc, n, cfg.n))
        };
        println!(
            "  round {}: {} POSTs pre-signed in {:.1} s; sending with {conc} in flight ...",
            n + 1,
            posts.len(),
            t.elapsed().as_secs_f64()
        );
        let r = round(&c, &inst, &p.users, &posts, conc).await;
        print_round(&r);
        rounds.push(r);
        if sample.is_empty() {
            sample = posts;
        }
    }
    let federation = inst.federation.clone();
    drop(remote);
    if let Ok(inst) = Arc::try_unwrap(inst) {
        tokio::task::spawn_blocking(move || inst.stop())
            .await
            .unwrap();
    }
    Outcome {
        rounds,
        keys,
        sample,
        federation,
        setup,
    }
}
