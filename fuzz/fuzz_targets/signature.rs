// SPDX-License-Identifier: AGPL-3.0-or-later
//! Fuzzes the parsing of incoming HTTP signatures: `prepare_verify` (the `Signature` or
//! `Authorization: Signature` header, the covered headers, the Date window, `expires`, the keyId
//! and the base64 signature), then `verify_with`, `check_digest` and `VerifyingKey::from_pem`.
//! None of them may panic, whatever a remote server sends.
//!
//! An input reads like an HTTP request (lossy UTF-8):
//!
//! ```text
//! POST /people/bob/inbox          <- method and path (a GET does not require `digest`)
//! host: b.example                 <- headers, `name: value`, one a line
//! date: now                       <- `now`, `now+N`, `now-N`: the current time, +- N seconds
//! digest: SHA-256=...
//! signature: keyId="...",algorithm="rsa-sha256",headers="...",signature="..."
//!                                 <- an empty line, then the body (for check_digest; a body
//! {"type":"Follow"}                  starting with -----BEGIN is also parsed as a public key)
//! ```

#![no_main]

use libfuzzer_sys::fuzz_target;
use orchard::federation::signature::{check_digest, prepare_verify, VerifyingKey};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The server's default `federation.signature_max_skew_secs`.
const SKEW: Duration = Duration::from_secs(300);

/// A real key to verify with, generated once.
fn key() -> &'static VerifyingKey {
    static KEY: OnceLock<VerifyingKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let pair = actors::KeyPair::generate().expect("key generation");
        VerifyingKey::from_pem(pair.public_pem()).expect("our own key parses")
    })
}

/// `now`, `now+N`, `now-N` become the current HTTP date, shifted by N seconds.
fn date_value(value: &str) -> String {
    let Some(rest) = value.strip_prefix("now") else {
        return value.to_string();
    };
    let now = SystemTime::now();
    let shifted = match (rest.get(..1), rest.get(1..).map(str::parse::<u32>)) {
        (Some("+"), Some(Ok(n))) => now.checked_add(Duration::from_secs(n.into())),
        (Some("-"), Some(Ok(n))) => now.checked_sub(Duration::from_secs(n.into())),
        _ => Some(now),
    };
    // httpdate formats only times from 1970 to 9999 (and panics on others).
    let shifted = shifted.filter(|t| {
        t.duration_since(UNIX_EPOCH)
            .is_ok_and(|d| d.as_secs() < 253_402_300_800)
    });
    httpdate::fmt_http_date(shifted.unwrap_or(now))
}

/// What actix-web's `HeaderValue::to_str` accepts: visible ASCII and tabs (the server skips
/// other header values before calling `prepare_verify`).
fn is_header_value(value: &str) -> bool {
    value.bytes().all(|b| b == b'\t' || (32..127).contains(&b))
}

fuzz_target!(
    // Before the first input: key generation takes seconds in this instrumented build.
    init: {
        key();
    },
    |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.split('\n');
    let request_line = lines.next().unwrap_or_default();
    let (method, path) = request_line.split_once(' ').unwrap_or((request_line, "/"));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim().to_ascii_lowercase();
        let mut value = value.trim().to_string();
        if name == "date" {
            value = date_value(&value);
        }
        if !name.is_empty() && is_header_value(&value) {
            headers.push((name, value));
        }
    }
    let require_digest = !method.eq_ignore_ascii_case("GET");
    if let Ok(pending) = prepare_verify(method, path, &headers, require_digest, SKEW) {
        assert!(matches!(pending.key_id().scheme(), "http" | "https"));
        assert!(pending.key_id().host().is_some());
        let _ = pending.verify_with(key());
    }
    let digest = headers
        .iter()
        .find(|(n, _)| n == "digest")
        .map(|(_, v)| v.as_str());
    let _ = check_digest(digest, body.as_bytes());
    if body.starts_with("-----BEGIN") {
        let _ = VerifyingKey::from_pem(body);
    }
});
