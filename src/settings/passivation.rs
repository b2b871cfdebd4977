//! `[actors]` of the settings: how long an idle actor stays in memory before it is passivated.

use serde::Deserialize;

/// `[actors]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorSettings {
    /// Seconds an actor may stay idle in memory before it is passivated.
    #[serde(default = "default_idle")]
    pub idle_timeout_secs: u64,
}

impl Default for ActorSettings {
    fn default() -> Self {
        ActorSettings {
            idle_timeout_secs: default_idle(),
        }
    }
}

fn default_idle() -> u64 {
    300
}

impl ActorSettings {
    /// Refuses out-of-range values; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        if self.idle_timeout_secs == 0 {
            return Err("key `actors.idle_timeout_secs`: must be at least 1".into());
        }
        Ok(())
    }
}
