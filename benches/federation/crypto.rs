//! The references: raw RSA-2048 verification and signing rates, measured in the same run on the
//! same machine, with aws-lc-rs (what Orchard uses) and with the `rsa` crate (for the comparison
//! issue 8 asks for; its signing is measured blinded only, `sign_with_rng`, because unblinded
//! signing is RUSTSEC-2023-0071). Also the CPU cost of Orchard's own pre-storage inbox checks
//! (Digest, signature parsing, Date, verification, JSON and activity parsing) without HTTP or
//! storage, which is the ceiling of the inbox before any I/O.

use super::common::SignedPost;
use actors::KeyPair;
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier};
use sha2::Sha256;
use std::time::{Duration, Instant};

/// A measured rate: operations per second of wall time (all threads together), and per
/// CPU-second actually spent by those threads (independent of other load on the machine).
#[derive(Clone, Copy, Debug)]
pub struct Rate {
    pub wall: f64,
    pub per_cpu: f64,
}

impl Rate {
    /// What two otherwise idle cores would do.
    pub fn idle2(&self) -> f64 {
        2.0 * self.per_cpu
    }

    /// CPU µs per operation.
    pub fn cpu_us(&self) -> f64 {
        1e6 / self.per_cpu
    }
}

fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Runs `op(i)` over and over on `threads` threads for about `secs`.
pub fn rate<F: Fn(usize) + Sync>(threads: usize, secs: f64, op: F) -> Rate {
    let budget = Duration::from_secs_f64(secs);
    let start = Instant::now();
    let counts: Vec<(usize, u64)> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|t| {
                let op = &op;
                s.spawn(move || {
                    let cpu0 = thread_cpu_ns();
                    let mut n = 0usize;
                    let mut i = t * 7919;
                    while start.elapsed() < budget {
                        for _ in 0..8 {
                            op(i);
                            i += 1;
                            n += 1;
                        }
                    }
                    (n, thread_cpu_ns().saturating_sub(cpu0))
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let wall = start.elapsed().as_secs_f64();
    let n: usize = counts.iter().map(|c| c.0).sum();
    let cpu: u64 = counts.iter().map(|c| c.1).sum();
    Rate {
        wall: n as f64 / wall,
        per_cpu: if cpu > 0 {
            n as f64 / (cpu as f64 / 1e9)
        } else {
            0.0
        },
    }
}

fn aws_public(key: &KeyPair) -> aws_lc_rs::signature::ParsedPublicKey {
    let public = rsa::RsaPublicKey::from_public_key_pem(key.public_pem()).unwrap();
    let der = public.to_pkcs1_der().unwrap();
    aws_lc_rs::signature::ParsedPublicKey::new(
        &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
        der.as_bytes(),
    )
    .unwrap()
}

pub struct VerifyRefs {
    pub aws_1: Rate,
    pub aws_2: Rate,
    pub rsa_1: Rate,
    pub rsa_2: Rate,
    /// Orchard's pre-storage inbox checks (CPU only), on two threads.
    pub pipeline_2: Rate,
    /// The same checks one by one on one thread: (step, CPU µs each).
    pub steps: Vec<(&'static str, f64)>,
}

/// Verification rates over `posts` (signed by `keys[post.key]`).
pub fn verify_refs(keys: &[KeyPair], posts: &[SignedPost], secs: f64) -> VerifyRefs {
    let sample: Vec<&SignedPost> = posts.iter().take(4096).collect();
    let aws: Vec<_> = keys.iter().map(aws_public).collect();
    let rsa_keys: Vec<_> = keys
        .iter()
        .map(|k| {
            rsa::pkcs1v15::VerifyingKey::<Sha256>::new(
                rsa::RsaPublicKey::from_public_key_pem(k.public_pem()).unwrap(),
            )
        })
        .collect();
    // Every signature verifies, before anything is timed.
    for p in &sample {
        assert!(aws[p.key]
            .verify_sig(p.signing_string.as_bytes(), &p.signature)
            .is_ok());
    }
    let aws_op = |i: usize| {
        let p = sample[i % sample.len()];
        let ok = aws[p.key].verify_sig(p.signing_string.as_bytes(), &p.signature);
        assert!(ok.is_ok());
    };
    let aws_1 = rate(1, secs, aws_op);
    let aws_2 = rate(2, secs, aws_op);
    let rsa_op = |i: usize| {
        let p = sample[i % sample.len()];
        let sig = rsa::pkcs1v15::Signature::try_from(p.signature.as_slice()).unwrap();
        assert!(rsa_keys[p.key]
            .verify(p.signing_string.as_bytes(), &sig)
            .is_ok());
    };
    let rsa_1 = rate(1, secs, rsa_op);
    let rsa_2 = rate(2, secs, rsa_op);
    // Orchard's own checks, as src/federation/verified_activity.rs::verify runs them on a cached key.
    use orchard::federation::signature::{check_digest, prepare_verify, VerifyingKey};
    let orchard_keys: Vec<VerifyingKey> = keys
        .iter()
        .map(|k| VerifyingKey::from_pem(k.public_pem()).unwrap())
        .collect();
    let prepared: Vec<(Vec<(String, String)>, String)> = sample
        .iter()
        .map(|p| {
            let path = url::Url::parse(&p.url).unwrap().path().to_string();
            (p.lower_headers(), path)
        })
        .collect();
    let pipeline_2 = rate(2, secs, |i| {
        let j = i % sample.len();
        let (p, (headers, path)) = (sample[j], &prepared[j]);
        let digest = headers
            .iter()
            .find(|(k, _)| k == "digest")
            .map(|(_, v)| v.as_str());
        check_digest(digest, &p.body).unwrap();
        let pending =
            prepare_verify("POST", path, headers, true, Duration::from_secs(300)).unwrap();
        assert!(pending.verify_with(&orchard_keys[p.key]));
        let v: serde_json::Value = serde_json::from_slice(&p.body).unwrap();
        let a: schema::Activity = serde_json::from_value(v.clone()).unwrap();
        assert!(a.actor_id().is_some());
    });
    let digest_of = |j: usize| {
        prepared[j]
            .0
            .iter()
            .find(|(k, _)| k == "digest")
            .map(|(_, v)| v.as_str())
    };
    let us = |r: Rate| r.cpu_us();
    let pendings: Vec<_> = (0..sample.len())
        .map(|j| {
            prepare_verify(
                "POST",
                &prepared[j].1,
                &prepared[j].0,
                true,
                Duration::from_secs(300),
            )
            .unwrap()
        })
        .collect();
    let values: Vec<serde_json::Value> = sample
        .iter()
        .map(|p| serde_json::from_slice(&p.body).unwrap())
        .collect();
    let steps = vec![
        (
            "Digest (SHA-256 of the body)",
            us(rate(1, secs / 2.0, |i| {
                let j = i % sample.len();
                check_digest(digest_of(j), &sample[j].body).unwrap();
            })),
        ),
        (
            "Signature header parse, Date, signing string",
            us(rate(1, secs / 2.0, |i| {
                let j = i % sample.len();
                let (h, path) = &prepared[j];
                prepare_verify("POST", path, h, true, Duration::from_secs(300)).unwrap();
            })),
        ),
        (
            "RSA verify (aws-lc-rs)",
            us(rate(1, secs / 2.0, |i| {
                let j = i % sample.len();
                assert!(pendings[j].verify_with(&orchard_keys[sample[j].key]));
            })),
        ),
        (
            "JSON parse to Value",
            us(rate(1, secs / 2.0, |i| {
                let j = i % sample.len();
                let v: serde_json::Value = serde_json::from_slice(&sample[j].body).unwrap();
                assert!(v.is_object());
            })),
        ),
        (
            "Value clone + schema::Activity",
            us(rate(1, secs / 2.0, |i| {
                let j = i % sample.len();
                let a: schema::Activity = serde_json::from_value(values[j].clone()).unwrap();
                assert!(a.actor_id().is_some());
            })),
        ),
    ];
    VerifyRefs {
        aws_1,
        aws_2,
        rsa_1,
        rsa_2,
        pipeline_2,
        steps,
    }
}

pub struct SignRefs {
    pub aws_1: Rate,
    pub aws_2: Rate,
    pub rsa_blinded_1: Rate,
    /// What the soundness checks found.
    pub soundness: String,
}

/// Signing rates with `key` (RSA-2048, PKCS#1 v1.5, SHA-256).
pub fn sign_refs(key: &KeyPair, secs: f64) -> SignRefs {
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(&key.private_pem().unwrap()).unwrap();
    let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(private.clone());
    let verifier = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(private.to_public_key());
    let aws = aws_public(key);
    let msgs: Vec<String> = (0..256)
        .map(|i| format!("(request-target): post /users/a{i}/inbox\nhost: 127.0.0.1:1\ndate: x\ndigest: SHA-256={i}"))
        .collect();
    // Soundness: PKCS#1 v1.5 signatures are deterministic, so both libraries must produce the
    // same bytes; each must accept the other's and refuse a tampered message.
    let mut identical = 0;
    for m in msgs.iter().take(16) {
        let a = key.sign_sha256(m.as_bytes());
        let r = signer
            .sign_with_rng(&mut rand::thread_rng(), m.as_bytes())
            .to_vec();
        let rs = rsa::pkcs1v15::Signature::try_from(a.as_slice()).unwrap();
        assert!(
            verifier.verify(m.as_bytes(), &rs).is_ok(),
            "rsa verifies aws-lc"
        );
        assert!(
            aws.verify_sig(m.as_bytes(), &r).is_ok(),
            "aws-lc verifies rsa"
        );
        let tampered = format!("{m}!");
        assert!(aws.verify_sig(tampered.as_bytes(), &a).is_err());
        assert!(verifier.verify(tampered.as_bytes(), &rs).is_err());
        identical += usize::from(a == r);
    }
    let soundness = format!(
        "{identical}/16 signatures byte-identical between aws-lc-rs and rsa (blinded); each verifies the other's; tampered messages refused by both"
    );
    let aws_op = |i: usize| {
        let s = key.sign_sha256(msgs[i % msgs.len()].as_bytes());
        assert_eq!(s.len(), 256);
    };
    let aws_1 = rate(1, secs, aws_op);
    let aws_2 = rate(2, secs, aws_op);
    let rsa_blinded_1 = rate(1, secs, |i| {
        let s = signer.sign_with_rng(&mut rand::thread_rng(), msgs[i % msgs.len()].as_bytes());
        assert_eq!(s.to_vec().len(), 256);
    });
    SignRefs {
        aws_1,
        aws_2,
        rsa_blinded_1,
        soundness,
    }
}

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
    (
        super::common::quantile(&lat, 0.5),
        super::common::quantile(&lat, 0.99),
    )
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
    let keys = |seq: u64| {
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
    };
    for (pattern, k) in [
        ("inserts", 1),
        ("batch", 1),
        ("inserts", 16),
        ("batch", 16),
        ("merged", 16),
    ] {
        let a = super::common::cpu_snapshot();
        let t = Instant::now();
        for _ in 0..records / k {
            let mut merged = sled::Batch::default();
            for _ in 0..k {
                seq += 1;
                let (item, seen, pending) = keys(seq);
                match pattern {
                    "inserts" => {
                        tree.insert(item, value.clone()).unwrap();
                        tree.insert(pending, &[][..]).unwrap();
                        tree.insert(seen, &seq.to_be_bytes()[..]).unwrap();
                    }
                    "batch" => {
                        let mut b = sled::Batch::default();
                        b.insert(item, value.clone());
                        b.insert(seen, &seq.to_be_bytes()[..]);
                        b.insert(pending, &[][..]);
                        tree.apply_batch(b).unwrap();
                    }
                    _ => {
                        merged.insert(item, value.clone());
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
        let wall = t.elapsed().as_secs_f64();
        let b = super::common::cpu_snapshot();
        let r = super::common::cpu_report(&a, &b, &|_| None);
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
