//! The verification references: raw RSA-2048 verification rates with aws-lc-rs (what Orchard
//! uses) and the `rsa` crate, and the CPU cost of Orchard's own pre-storage inbox checks
//! (Digest, signature parsing, Date, verification, JSON and activity parsing) without HTTP or
//! storage, which is the ceiling of the inbox before any I/O; as a whole and step by step.

use crate::common::SignedPost;
use crate::crypto::{aws_public, rate, Rate};
use actors::KeyPair;
use orchard::federation::signature::{
    check_digest, prepare_verify, PendingSignature, VerifyingKey,
};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use sha2::Sha256;
use std::time::Duration;

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
    let (aws_1, aws_2, rsa_1, rsa_2) = raw_rates(keys, &sample, secs);
    let p = Prepared::new(keys, &sample);
    let pipeline_2 = pipeline(&p, secs);
    let steps = steps(&p, secs);
    VerifyRefs {
        aws_1,
        aws_2,
        rsa_1,
        rsa_2,
        pipeline_2,
        steps,
    }
}

/// aws-lc-rs and rsa-crate verification rates, on 1 and on 2 threads: (aws 1, aws 2, rsa 1,
/// rsa 2). Every signature verifies, before anything is timed.
fn raw_rates(keys: &[KeyPair], sample: &[&SignedPost], secs: f64) -> (Rate, Rate, Rate, Rate) {
    let aws: Vec<_> = keys.iter().map(aws_public).collect();
    let rsa_keys: Vec<_> = keys
        .iter()
        .map(|k| {
            rsa::pkcs1v15::VerifyingKey::<Sha256>::new(
                rsa::RsaPublicKey::from_public_key_pem(k.public_pem()).unwrap(),
            )
        })
        .collect();
    for p in sample {
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
    (aws_1, aws_2, rsa_1, rsa_2)
}

/// The sample's posts ready for Orchard's checks, as src/federation/verified_activity.rs::verify runs them
/// on a cached key: the verifying keys, and each post's lower-cased headers and path.
struct Prepared<'a> {
    sample: &'a [&'a SignedPost],
    orchard_keys: Vec<VerifyingKey>,
    prepared: Vec<(Vec<(String, String)>, String)>,
}

impl<'a> Prepared<'a> {
    fn new(keys: &[KeyPair], sample: &'a [&'a SignedPost]) -> Prepared<'a> {
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
        Prepared {
            sample,
            orchard_keys,
            prepared,
        }
    }

    /// Each post's signature, parsed and ready to verify.
    fn pendings(&self) -> Vec<PendingSignature> {
        (0..self.sample.len())
            .map(|j| {
                let (headers, path) = &self.prepared[j];
                prepare_verify("POST", path, headers, true, Duration::from_secs(300)).unwrap()
            })
            .collect()
    }
}

/// Orchard's own checks, all of them, on 2 threads.
fn pipeline(p: &Prepared, secs: f64) -> Rate {
    let (sample, prepared, orchard_keys) = (p.sample, &p.prepared, &p.orchard_keys);
    rate(2, secs, |i| {
        let j = i % sample.len();
        let (post, (headers, path)) = (sample[j], &prepared[j]);
        check_digest(digest(headers), &post.body).unwrap();
        let pending =
            prepare_verify("POST", path, headers, true, Duration::from_secs(300)).unwrap();
        assert!(pending.verify_with(&orchard_keys[post.key]));
        let v: serde_json::Value = serde_json::from_slice(&post.body).unwrap();
        let a: schema::Activity = serde_json::from_value(v.clone()).unwrap();
        assert!(a.actor_id().is_some());
    })
}

/// The same checks one by one on one thread: (step, CPU µs each).
fn steps(p: &Prepared, secs: f64) -> Vec<(&'static str, f64)> {
    let (sample, prepared, orchard_keys) = (p.sample, &p.prepared, &p.orchard_keys);
    let digest_of = |j: usize| digest(&prepared[j].0);
    let us = |r: Rate| r.cpu_us();
    let pendings = p.pendings();
    let values: Vec<serde_json::Value> = sample
        .iter()
        .map(|p| serde_json::from_slice(&p.body).unwrap())
        .collect();
    vec![
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
    ]
}

/// The value of the `digest` header among lower-cased `headers`.
fn digest(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .find(|(k, _)| k == "digest")
        .map(|(_, v)| v.as_str())
}
