//! The russh server configuration: public-key authentication only, russh's default modern
//! algorithms without SHA-1 RSA signatures, bounded attempts and inactivity.

use russh::keys::{Algorithm, PrivateKey};
use russh::server::Config;
use russh::{MethodKind, MethodSet, Preferred};
use std::borrow::Cow;
use std::time::Duration;

/// A connection with no traffic for this long is closed.
const INACTIVITY: Duration = Duration::from_secs(600);

/// The russh configuration: public-key authentication only, small rejection delay, bounded
/// attempts, russh's default (modern) algorithms without SHA-1 RSA signatures.
pub fn config(host_key: PrivateKey) -> Config {
    Config {
        server_id: russh::SshId::Standard(
            concat!("SSH-2.0-orchard_", env!("CARGO_PKG_VERSION")).into(),
        ),
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        auth_rejection_time: Duration::from_millis(100),
        auth_rejection_time_initial: Some(Duration::ZERO),
        max_auth_attempts: 6,
        inactivity_timeout: Some(INACTIVITY),
        keys: vec![host_key],
        preferred: Preferred {
            key: Cow::Owned(
                Preferred::DEFAULT
                    .key
                    .iter()
                    .filter(|a| !is_sha1_rsa(a))
                    .cloned()
                    .collect(),
            ),
            ..Preferred::DEFAULT
        },
        nodelay: true,
        ..Default::default()
    }
}

/// `ssh-rsa`: RSA signatures over SHA-1, refused (as OpenSSH does since 8.8); RSA keys sign with
/// `rsa-sha2-256` or `rsa-sha2-512` instead.
pub fn is_sha1_rsa(algorithm: &Algorithm) -> bool {
    matches!(algorithm, Algorithm::Rsa { hash: None })
}
