//! The HTTP call every browsing check makes.

use super::common::client::client;
use serde_json::Value;

/// GETs `url`: status and JSON body (Null when the body is not JSON).
pub async fn get(url: &str) -> (u16, Value) {
    let res = client().get(url).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}
