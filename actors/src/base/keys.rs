//! RSA-2048 key pairs of local actors: generation, PEM encoding, and blinded signing.

use crate::base::error::{ActorError, Result};
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding, SecretDocument};
use rsa::{RsaPrivateKey, RsaPublicKey};
use std::sync::Arc;

/// Bits of every actor key (what Mastodon, Forgejo and most of the fediverse verify).
pub const KEY_BITS: usize = 2048;

/// A persisted RSA key pair. Signing uses aws-lc-rs (constant-time and blinded, about 3x
/// faster than the `rsa` crate), which also parses stored keys; the `rsa` crate generates keys
/// and writes PEM.
#[derive(Clone)]
pub struct KeyPair {
    signer: Arc<aws_lc_rs::signature::RsaKeyPair>,
    private_pem: Arc<str>,
    public_pem: String,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair").finish_non_exhaustive()
    }
}

impl KeyPair {
    /// Generates a new RSA-2048 key pair. CPU-heavy (~150 ms): call from a blocking thread.
    pub fn generate() -> Result<KeyPair> {
        let mut rng = rand::thread_rng();
        let private = RsaPrivateKey::new(&mut rng, KEY_BITS)
            .map_err(|e| ActorError::Crypto(e.to_string()))?;
        let pem = private
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| ActorError::Crypto(e.to_string()))?;
        Self::from_pkcs8_pem(&pem)
    }

    /// Loads a key pair from its PKCS#8 PEM private key (aws-lc-rs checks it).
    pub fn from_pkcs8_pem(pem: &str) -> Result<KeyPair> {
        let corrupt = |e: &dyn std::fmt::Display| ActorError::Corrupt(format!("private key: {e}"));
        let (label, der) = SecretDocument::from_pem(pem).map_err(|e| corrupt(&e))?;
        if label != "PRIVATE KEY" {
            return Err(corrupt(&format!("PEM label {label:?}, not PRIVATE KEY")));
        }
        let signer = aws_lc_rs::signature::RsaKeyPair::from_pkcs8(der.as_bytes())
            .map_err(|e| corrupt(&e))?;
        // aws-lc-rs gives the public key as PKCS#1 DER; actor documents carry SPKI PEM.
        let public_pem = RsaPublicKey::from_pkcs1_der(
            aws_lc_rs::signature::KeyPair::public_key(&signer).as_ref(),
        )
        .map_err(|e| corrupt(&e))?
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| ActorError::Crypto(e.to_string()))?;
        Ok(KeyPair {
            signer: Arc::new(signer),
            private_pem: pem.into(),
            public_pem,
        })
    }

    /// The private key as PKCS#8 PEM, for storage.
    pub fn private_pem(&self) -> Result<String> {
        Ok(self.private_pem.to_string())
    }

    /// The public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    pub fn public_pem(&self) -> &str {
        &self.public_pem
    }

    /// Signs `data` with RSASSA-PKCS1-v1_5 over SHA-256 through aws-lc-rs, whose RSA is
    /// constant-time with blinding. The `rsa` crate's private-key operations are affected by
    /// RUSTSEC-2023-0071 (Marvin) and are never used to sign.
    pub fn sign_sha256(&self, data: &[u8]) -> Vec<u8> {
        let mut sig = vec![0u8; self.signer.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        match self.signer.sign(
            &aws_lc_rs::signature::RSA_PKCS1_SHA256,
            &rng,
            data,
            &mut sig,
        ) {
            Ok(()) => sig,
            // Only possible with a wrong buffer size, which public_modulus_len rules out.
            Err(_) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;
    use sha2::Sha256;

    #[test]
    fn pem_round_trip_and_signature_verifies() {
        let k = KeyPair::generate().unwrap();
        let again = KeyPair::from_pkcs8_pem(&k.private_pem().unwrap()).unwrap();
        assert_eq!(k.public_pem(), again.public_pem());
        assert!(k.public_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
        let sig = again.sign_sha256(b"hello");
        let public = RsaPublicKey::from_public_key_pem(k.public_pem()).unwrap();
        let verifier = VerifyingKey::<Sha256>::new(public);
        let sig = Signature::try_from(sig.as_slice()).unwrap();
        assert!(verifier.verify(b"hello", &sig).is_ok());
        assert!(verifier.verify(b"hellO", &sig).is_err());
    }

    #[test]
    fn damaged_or_mislabelled_keys_are_refused() {
        let k = KeyPair::generate().unwrap();
        let pem = k.private_pem().unwrap();
        let public = k.public_pem().to_string();
        assert!(KeyPair::from_pkcs8_pem(&public).is_err(), "a public key");
        let damaged = pem.replacen("MII", "MIJ", 1);
        assert!(KeyPair::from_pkcs8_pem(&damaged).is_err());
        assert!(KeyPair::from_pkcs8_pem("not a key").is_err());
    }
}
