//! The references: raw RSA-2048 verification and signing rates, measured in the same run on the
//! same machine, with aws-lc-rs (what Orchard uses) and with the `rsa` crate (for the comparison
//! issue 8 asks for; its signing is measured blinded only, `sign_with_rng`, because unblinded
//! signing is RUSTSEC-2023-0071), and the rate measurement they share. The verification
//! references (and Orchard's own inbox checks) are in `verify_refs`, sled's in `storage`.

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

pub fn aws_public(key: &KeyPair) -> aws_lc_rs::signature::ParsedPublicKey {
    let public = rsa::RsaPublicKey::from_public_key_pem(key.public_pem()).unwrap();
    let der = public.to_pkcs1_der().unwrap();
    aws_lc_rs::signature::ParsedPublicKey::new(
        &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
        der.as_bytes(),
    )
    .unwrap()
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
