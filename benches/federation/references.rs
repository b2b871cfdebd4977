//! The federation benchmark's references, measured in the same run: RSA verification and
//! signing rates (aws-lc-rs and the rsa crate), Orchard's inbox checks without HTTP or storage,
//! and sled's flush latency and storage patterns. Each prints its lines.

use crate::common::{generate_keys, ms, par_map, sign_post, SignedPost};
use crate::crypto::{self, SignRefs};
use crate::inbox;
use crate::storage;
use crate::verify_refs::{verify_refs, VerifyRefs};
use std::time::Duration;

/// A storage pattern's figures: (pattern, k, µs CPU, µs wall, write syscalls) per activity.
pub type Pattern = (&'static str, usize, f64, f64, f64);

/// `12345/s (23456 per CPU-s)`.
pub fn show(r: crypto::Rate) -> String {
    format!("{:.0}/s ({:.0} per CPU-s)", r.wall, r.per_cpu)
}

/// Verification rates, on the inbox section's keys and sample when it ran (else on posts made
/// here), for about `secs` each.
pub fn verify(inbox_out: Option<&inbox::Outcome>, secs: f64) -> VerifyRefs {
    let v = tokio::task::block_in_place(|| match inbox_out {
        Some(o) => verify_refs(&o.keys, &o.sample, secs),
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
            verify_refs(&keys, &posts, secs)
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
    v
}

/// Signing rates with the inbox section's first key when it ran (else a new one).
pub fn sign(inbox_out: Option<&inbox::Outcome>, secs: f64) -> SignRefs {
    let s = tokio::task::block_in_place(|| {
        let key = match inbox_out {
            Some(o) => o.keys[0].clone(),
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
    s
}

/// sled's insert + flush latency (p50, p99), and the storage patterns of one inbox activity.
pub fn flush() -> (Duration, Duration, Vec<Pattern>) {
    let (p50, p99) = tokio::task::block_in_place(|| storage::flush_latency(200));
    println!(
        "  sled insert + flush (fsync), one at a time: p50 {:.2} ms, p99 {:.2} ms",
        ms(p50),
        ms(p99)
    );
    let patterns = tokio::task::block_in_place(|| storage::storage_patterns(2048));
    println!("  sled alone, storing one inbox activity (item + seen + pending) in one tree, flushing every k:");
    for (p, k, cpu, wall, w) in &patterns {
        println!(
            "    {p:<8} k={k:<3} {cpu:>5.0} µs CPU, {wall:>5.0} µs wall, {w:.2} write syscalls per activity"
        );
    }
    (p50, p99, patterns)
}
