//! Key fingerprints as OpenSSH prints them (`SHA256:` and the unpadded base64 of the digest).

use russh::keys::{HashAlg, PublicKey};

/// The SHA-256 fingerprint of a public key, formatted as OpenSSH prints it:
/// `SHA256:` followed by the unpadded base64 of the digest.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}
