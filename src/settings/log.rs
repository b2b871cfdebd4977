//! `[log]` of the settings: the format of the log lines on standard output.

use serde::Deserialize;

/// `[log] format`: one line of text, or one JSON object, per event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines (the default).
    #[default]
    Text,
    /// One JSON object a line, for log collectors.
    Json,
}

/// `[log]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `"text"` or `"json"`. Default `"text"`.
    #[serde(default)]
    pub format: LogFormat,
}
