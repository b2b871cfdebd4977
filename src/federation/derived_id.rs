//! Stable ids for activities that carry none (Forgejo's Like and Undo{Like}): the SHA-256 of
//! the activity's canonical JSON (object keys sorted), as `urn:orchard:sha256:<hex>`.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Serialises JSON with object keys sorted, so equal content gives equal bytes.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A stable id for an activity without one (Forgejo's Like): a hash of its canonical JSON.
pub fn derived_id(activity: &Value) -> String {
    let mut text = String::new();
    canonical(activity, &mut text);
    let digest = Sha256::digest(text.as_bytes());
    let hex = actors::base::hex::hex(&digest);
    format!("urn:orchard:sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn derived_ids_ignore_key_order_but_not_content() {
        let a = json!({"type": "Like", "actor": "https://a/x", "object": "https://b/r"});
        let b = json!({"object": "https://b/r", "type": "Like", "actor": "https://a/x"});
        let c = json!({"object": "https://b/s", "type": "Like", "actor": "https://a/x"});
        assert_eq!(derived_id(&a), derived_id(&b));
        assert_ne!(derived_id(&a), derived_id(&c));
        assert!(derived_id(&a).starts_with("urn:orchard:sha256:"));
    }
}
