//! How stored values are encoded: JSON for records, big-endian u64 for counters and sequence
//! numbers.

use crate::base::error::{ActorError, Result};
use serde::{de::DeserializeOwned, Serialize};

/// Encodes a value as JSON for storage.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| ActorError::Corrupt(e.to_string()))
}

/// Decodes a stored JSON value.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| ActorError::Corrupt(e.to_string()))
}

/// Decodes a big-endian u64 (a counter or a sequence number); short input decodes as 0.
pub fn decode_u64(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    if bytes.len() == 8 {
        buf.copy_from_slice(bytes);
    }
    u64::from_be_bytes(buf)
}
