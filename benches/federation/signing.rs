//! Signing as a remote server does (draft-cavage, rsa-sha256, `(request-target) host date
//! digest`), and generating the senders' RSA-2048 keys.

use actors::KeyPair;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::time::SystemTime;

/// A signed POST, ready to send: headers and body, plus what was signed (for the references).
pub struct SignedPost {
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    pub signing_string: String,
    pub signature: Vec<u8>,
    /// Which key signed it (index into the sender's key list).
    pub key: usize,
}

/// Signs a POST of `body` to `url` with `key`, named `key_id`, dated now.
pub fn sign_post(
    url: &str,
    body: Vec<u8>,
    key_id: &str,
    key: &KeyPair,
    key_idx: usize,
) -> SignedPost {
    let target = url::Url::parse(url).expect("url");
    let host = format!("{}:{}", target.host_str().unwrap(), target.port().unwrap());
    let date = httpdate::fmt_http_date(SystemTime::now());
    let digest = format!("SHA-256={}", B64.encode(Sha256::digest(&body)));
    let signing_string = format!(
        "(request-target): post {}\nhost: {host}\ndate: {date}\ndigest: {digest}",
        target.path()
    );
    let signature = key.sign_sha256(signing_string.as_bytes());
    let header = format!(
        r#"keyId="{key_id}",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="{}""#,
        B64.encode(&signature)
    );
    SignedPost {
        url: url.to_string(),
        headers: vec![
            ("Content-Type", "application/activity+json".into()),
            ("Host", host),
            ("Date", date),
            ("Digest", digest),
            ("Signature", header),
        ],
        body,
        signing_string,
        signature,
        key: key_idx,
    }
}

impl SignedPost {
    /// The request, built before the timed phase so the client does little while measured.
    pub fn request(&self, c: &reqwest::Client) -> reqwest::Request {
        let mut b = c.post(&self.url).body(self.body.clone());
        for (k, v) in &self.headers {
            b = b.header(*k, v);
        }
        b.build().expect("request")
    }

    /// The (lowercase name, value) headers, as Orchard's verifier takes them.
    pub fn lower_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect()
    }
}

/// Generates `n` RSA-2048 key pairs on two threads (~150 ms each).
pub fn generate_keys(n: usize) -> Vec<KeyPair> {
    let half = n / 2;
    let other = std::thread::spawn(move || {
        (0..half)
            .map(|_| KeyPair::generate().expect("keygen"))
            .collect::<Vec<_>>()
    });
    let mut keys: Vec<KeyPair> = (half..n)
        .map(|_| KeyPair::generate().expect("keygen"))
        .collect();
    keys.extend(other.join().expect("keygen thread"));
    keys
}
