//! `[metrics]` of the settings: whether `GET /metrics` is served, and the bearer token a scraper
//! must then present (optional). The token is never printed (`Debug` hides it).

use serde::Deserialize;

/// Shortest `[metrics] token` accepted.
pub const MIN_TOKEN_LEN: usize = 16;
/// Longest `[metrics] token` accepted.
pub const MAX_TOKEN_LEN: usize = 512;

/// `[metrics]`
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSettings {
    /// Serve `GET /metrics`; false: it answers 404. Default false.
    #[serde(default)]
    pub enabled: bool,
    /// When set, `GET /metrics` needs `Authorization: Bearer <token>` (else 401).
    #[serde(default)]
    pub token: Option<String>,
}

impl std::fmt::Debug for MetricsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsSettings")
            .field("enabled", &self.enabled)
            .field("token", &self.token.as_ref().map(|_| "(set)"))
            .finish()
    }
}

impl MetricsSettings {
    /// Refuses a token too short, too long or not fit for an HTTP header; the message names the
    /// key.
    pub fn validate(&self) -> Result<(), String> {
        let Some(token) = &self.token else {
            return Ok(());
        };
        if !(MIN_TOKEN_LEN..=MAX_TOKEN_LEN).contains(&token.len()) {
            return Err(format!(
                "key `metrics.token`: must be {MIN_TOKEN_LEN} to {MAX_TOKEN_LEN} characters long (or left out for no token)"
            ));
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(
                "key `metrics.token`: only printable ASCII characters without spaces".into(),
            );
        }
        Ok(())
    }
}
