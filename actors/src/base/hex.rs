//! The crate's one hex encoder (lowercase), for digests and random ids.

/// `bytes` as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// `n` random bytes as lowercase hex (a fresh random id).
pub fn random_hex(n: usize) -> String {
    let mut raw = vec![0u8; n];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut raw);
    hex(&raw)
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_lowercase() {
        assert_eq!(super::hex(&[0x00, 0xab, 0x7f]), "00ab7f");
        assert_eq!(super::random_hex(12).len(), 24);
    }
}
