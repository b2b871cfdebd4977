//! The rate limit on inbox POSTs: a token bucket per key, refilled at `[federation]
//! inbox_requests_per_minute` with bursts up to a tenth of that. The inbox takes a token from
//! the client address's bucket (`address <ip>`) before the body is read, and one from the
//! verified signer's host (`host <authority>`) once the signature verifies: neither can be
//! chosen by a sender, so made-up `keyId` hosts escape nothing and a forger spends only its own
//! budget. Buckets idle for a while are forgotten.

use crate::buckets::Buckets;
use std::time::Duration;

/// The limiter. Share it behind the app state.
pub struct RateLimit(Buckets);

impl RateLimit {
    /// `per_minute` = 0 disables the limit; bursts are a tenth of it (at least 10).
    pub fn new(per_minute: u32) -> RateLimit {
        let burst = (per_minute / 10).max(10);
        RateLimit(Buckets::with_burst(
            per_minute,
            Duration::from_secs(60),
            burst,
        ))
    }

    /// Takes one token for `key`; `Err(wait)` when there is none.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        self.0.take(key)
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
