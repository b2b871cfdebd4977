//! The rate limit on inbox POSTs: a token bucket per key, refilled at `[federation]
//! inbox_requests_per_minute` with bursts up to a tenth of that. The inbox takes a token from
//! the client address's bucket (`address <ip>`) before the body is read, and one from the
//! verified signer's host (`host <authority>`) once the signature verifies: neither can be
//! chosen by a sender, so made-up `keyId` hosts escape nothing and a forger spends only its own
//! budget. Buckets idle for a while are forgotten.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most hosts tracked at once; the table is cleared of full buckets past this.
const MAX_HOSTS: usize = 50_000;

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The limiter. Share it behind the app state.
pub struct RateLimit {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimit {
    /// `per_minute` = 0 disables the limit.
    pub fn new(per_minute: u32) -> RateLimit {
        let per_second = f64::from(per_minute) / 60.0;
        RateLimit {
            per_second,
            burst: (f64::from(per_minute) / 10.0).max(10.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `host`; `Err(wait)` when there is none.
    pub fn check(&self, host: &str) -> Result<(), Duration> {
        if self.per_second <= 0.0 {
            return Ok(());
        }
        let now = Instant::now();
        let mut buckets = match self.buckets.lock() {
            Ok(b) => b,
            Err(p) => p.into_inner(),
        };
        if buckets.len() >= MAX_HOSTS {
            let (rate, burst) = (self.per_second, self.burst);
            buckets.retain(|_, b| b.tokens + now.duration_since(b.at).as_secs_f64() * rate < burst);
        }
        let bucket = buckets.entry(host.to_string()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * self.per_second;
        bucket.tokens = (bucket.tokens + refill).min(self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / self.per_second,
            ))
        }
    }
}

/// The host of the `keyId` in a Signature (or `Authorization: Signature`) header, with its port
/// (explicit or the scheme's default), if any. Unverified: use it only to refuse more.
pub fn key_host(signature: &str) -> Option<(String, Option<u16>)> {
    let start = signature.find("keyId=\"")? + "keyId=\"".len();
    let rest = &signature[start..];
    let key_id = &rest[..rest.find('"')?];
    let url = url::Url::parse(key_id).ok()?;
    Some((url.host_str()?.to_string(), url.port_or_known_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_limits_then_refills() {
        let rl = RateLimit::new(600); // 10/s, burst 60
        for _ in 0..60 {
            assert!(rl.check("a.example").is_ok());
        }
        let wait = rl.check("a.example").unwrap_err();
        assert!(wait <= Duration::from_millis(110), "{wait:?}");
        assert!(rl.check("b.example").is_ok(), "hosts are independent");
        std::thread::sleep(Duration::from_millis(120));
        assert!(rl.check("a.example").is_ok());
        assert!(RateLimit::new(0).check("x").is_ok());
    }

    #[test]
    fn finds_the_key_host() {
        let sig = r#"keyId="https://remote.example:8443/users/a#main-key",algorithm="rsa-sha256",signature="x""#;
        assert_eq!(key_host(sig), Some(("remote.example".into(), Some(8443))));
        assert_eq!(key_host("garbage"), None);
    }
}
