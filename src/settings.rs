//! `settings.toml`, parsed into a validated struct. Unknown keys, missing required keys and bad
//! values are refused with one message naming the key and the file. Passed explicitly. Each
//! section is a file of its own (`settings/<section>.rs`) that validates itself.

use crate::error::Error;
use serde::Deserialize;
use std::path::Path;
use url::Url;

mod accounts;
mod admin;
mod federation;
mod http;
mod log;
mod metrics;
mod passivation;
mod ssh;
mod storage;
pub use accounts::AccountSettings;
pub use admin::AdminSettings;
pub use federation::FederationSettings;
pub use http::{parse_proxy, HttpSettings};
pub use log::{LogFormat, LogSettings};
pub use metrics::MetricsSettings;
pub use passivation::ActorSettings;
pub use ssh::{SshSettings, MAX_AUTHENTICATED_SESSIONS};
pub use storage::StorageSettings;

/// The whole settings file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The URL every IRI of this instance is built from, e.g. `http://127.0.0.1:7000`.
    pub public_url: Url,
    pub http: HttpSettings,
    #[serde(default)]
    pub ssh: SshSettings,
    pub storage: StorageSettings,
    #[serde(default)]
    pub accounts: AccountSettings,
    #[serde(default)]
    pub federation: FederationSettings,
    #[serde(default)]
    pub actors: ActorSettings,
    #[serde(default)]
    pub metrics: MetricsSettings,
    #[serde(default)]
    pub log: LogSettings,
    /// `[admin]`: the admin socket.
    #[serde(default)]
    pub admin: AdminSettings,
}

impl Settings {
    /// Reads, parses and validates a settings file.
    pub fn load(path: &Path) -> Result<Settings, Error> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Settings {
            file: file.clone(),
            message: format!("cannot read the file: {e}"),
        })?;
        Settings::parse(&text, &file)
    }

    /// Parses and validates settings text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Settings, Error> {
        let fail = |message: String| Error::Settings {
            file: file.to_string(),
            message: message.replace('\n', " "),
        };
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1))
                .unwrap_or(0);
            fail(format!("line {line}: {}", e.message()))
        })?;
        let settings: Settings = serde_path_to_error::deserialize(toml::Value::Table(table))
            .map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner().to_string();
                if path == "." || path.is_empty() {
                    fail(inner)
                } else {
                    fail(format!("key `{path}`: {inner}"))
                }
            })?;
        settings.validate().map_err(fail)?;
        Ok(settings)
    }

    /// The local id of a `resident_factories` entry (an id, or this instance's Factory IRI).
    pub fn resident_factory_id(&self, entry: &str) -> Option<String> {
        let id = match Url::parse(entry) {
            Ok(iri) => {
                let r = actors::Urls::new(self.public_url.clone()).parse_actor(&iri)?;
                (r.kind == actors::ActorKind::Factory).then_some(r.id)?
            }
            Err(_) => entry.to_string(),
        };
        actors::kind::is_valid_local_id(&id).then_some(id)
    }

    fn validate(&self) -> Result<(), String> {
        let u = &self.public_url;
        if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
            return Err("key `public_url`: must be an http or https URL with a host".into());
        }
        if u.query().is_some() || u.fragment().is_some() {
            return Err("key `public_url`: must not have a query or fragment".into());
        }
        self.validate_names()?;
        self.accounts.validate()?;
        for f in &self.accounts.resident_factories {
            if self.resident_factory_id(f).is_none() {
                return Err(format!(
                    "key `accounts.resident_factories`: `{f}` is neither a factory id nor this instance's /factories/<id> IRI"
                ));
            }
        }
        self.federation.validate()?;
        self.storage.validate()?;
        self.admin.validate(&self.storage)?;
        self.http.validate()?;
        self.ssh.validate()?;
        self.metrics.validate()?;
        self.actors.validate()
    }

    /// `factory_creators` and `admins` must be valid usernames.
    fn validate_names(&self) -> Result<(), String> {
        let lists = [
            ("factory_creators", &self.accounts.factory_creators),
            ("admins", &self.accounts.admins),
        ];
        for (key, names) in lists {
            if let Some(name) = names.iter().find(|n| !actors::kind::is_valid_local_id(n)) {
                return Err(format!(
                    "key `accounts.{key}`: `{name}` is not a valid username"
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
