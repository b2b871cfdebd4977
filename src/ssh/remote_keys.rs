//! SSH keys of remote people who hold Grants here: their home instance lists them on their
//! Person document (`sshKey`, ForgeFed `SshPublicKey {sshKeyType, content}`). When a key is not
//! a local person's, the remote grantees' documents are fetched (at most every 10 s each, a
//! bounded number at once) and their fingerprints indexed (`actors::remote_ssh_keys`).

use super::fingerprint::fingerprint;
use crate::federation::fetch::Fetcher;
use actors::base::clock::now_ms;
use actors::remote_ssh_keys::RemoteSshKeys;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// A remote person's keys are fetched again at most this often.
const REFRESH_MS: u64 = 10_000;
/// Remote grantees refreshed for one unknown key, at most.
const REFRESH_BATCH: usize = 32;
/// Longest wait for one refresh.
const REFRESH_TIMEOUT: Duration = Duration::from_secs(8);

/// Resolves fingerprints to remote people.
#[derive(Clone)]
pub struct RemoteKeys {
    pub index: RemoteSshKeys,
    pub fetcher: Arc<Fetcher>,
}

/// The fingerprints of the `sshKey` entries of a Person document.
pub fn fingerprints_of(doc: &Value) -> Vec<String> {
    let entries: Vec<&Value> = match &doc["sshKey"] {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        one => vec![one],
    };
    entries
        .into_iter()
        .filter_map(|k| {
            let kind = k["sshKeyType"].as_str()?;
            let content = k["content"].as_str()?;
            let key = russh::keys::PublicKey::from_openssh(&format!("{kind} {content}")).ok()?;
            Some(fingerprint(&key))
        })
        .collect()
}

impl RemoteKeys {
    /// The remote person a fingerprint belongs to, refreshing stale grantees once if unknown.
    pub async fn owner(&self, fp: &str) -> Option<Url> {
        if let Ok(Some(owner)) = self.index.owner(fp) {
            return Some(owner);
        }
        let _ = tokio::time::timeout(REFRESH_TIMEOUT, self.refresh()).await;
        self.index.owner(fp).ok().flatten()
    }

    async fn refresh(&self) {
        let now = now_ms();
        let stale = match self
            .index
            .stale_grantees(now.saturating_sub(REFRESH_MS), REFRESH_BATCH)
        {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "cannot read remote grantees");
                return;
            }
        };
        let fetches = stale.into_iter().map(|person| async move {
            match self.fetcher.fetch_json(&person).await {
                Ok(doc) => {
                    let fps = fingerprints_of(&doc);
                    tracing::debug!(%person, keys = fps.len(), "refreshed remote SSH keys");
                    if let Err(e) = self.index.set_keys(&person, &fps, now) {
                        tracing::error!(%person, error = %e, "cannot index remote SSH keys");
                    }
                }
                Err(e) => {
                    tracing::info!(%person, error = %e, "cannot fetch remote person's SSH keys")
                }
            }
        });
        futures_util::future::join_all(fetches).await;
    }
}
