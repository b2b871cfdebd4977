//! Bearer tokens of local accounts, stored as SHA-256 hashes in the instance tree: issuing one
//! (with an expiry), authenticating with it, listing and revoking a person's tokens, and giving
//! tokens stored before expiries existed an expiry at start.
//!
//! Keys: `token 0xFF <hex sha256 of the token>` -> JSON [`TokenRecord`], and the per-person
//! index `user-token 0xFF <username> 0xFF <hex sha256>` -> empty. A token's public id is the
//! first [`ID_LEN`] hex digits of its hash: it names the token without revealing it.

use crate::base::clock::now_rfc3339;
use crate::base::error::{ActorError, Result};
use crate::storage::codec;
use crate::storage::layout::USER_TOKEN;
use crate::storage::layout::{self, TOKEN};
use crate::storage::store::Store;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Hex digits of a token's hash that make its public id.
pub const ID_LEN: usize = 16;
/// How stale a token's `last_used` may get before a request rewrites it (one write per token
/// per hour at most, never a flush).
pub const LAST_USED_EVERY: time::Duration = time::Duration::hours(1);

/// `token 0xFF <hex sha256 of the token>` in the instance tree.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenRecord {
    pub username: String,
    pub created: String,
    /// RFC 3339; absent only in records written before expiries (see [`Tokens::upgrade`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// RFC 3339, to the hour: rewritten at most once per [`LAST_USED_EVERY`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<String>,
}

/// What a person may see of one of their tokens (never the token or its hash).
#[derive(Debug, Clone, Serialize)]
pub struct TokenInfo {
    pub id: String,
    pub created: String,
    pub expires: Option<String>,
    pub last_used: Option<String>,
}

/// The person and token behind an authenticated request.
#[derive(Debug, Clone)]
pub struct Session {
    pub username: String,
    /// Hex SHA-256 of the token.
    pub token_hash: String,
}

/// Token operations over the store. Cheap to clone.
#[derive(Clone)]
pub struct Tokens {
    store: Store,
    lifetime: time::Duration,
}

/// Hex SHA-256 of a token.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    crate::base::hex::hex(&digest)
}

fn index_key(username: &str, hash: &str) -> Vec<u8> {
    let mut rest = username.as_bytes().to_vec();
    rest.push(layout::SEP);
    rest.extend_from_slice(hash.as_bytes());
    layout::key(USER_TOKEN, &rest)
}

fn index_prefix(username: &str) -> Vec<u8> {
    index_key(username, "")
}

fn expired(record: &TokenRecord, now: OffsetDateTime) -> bool {
    match &record.expires {
        Some(e) => OffsetDateTime::parse(e, &Rfc3339).map_or(true, |t| t <= now),
        None => false,
    }
}

impl Tokens {
    /// Tokens issued from now on live `lifetime_days`.
    pub fn new(store: Store, lifetime_days: u64) -> Tokens {
        let days = i64::try_from(lifetime_days).unwrap_or(i64::MAX / 86_400);
        Tokens {
            store,
            lifetime: time::Duration::days(days.min(100 * 365)),
        }
    }

    fn expiry_from_now(&self) -> String {
        (OffsetDateTime::now_utc() + self.lifetime)
            .format(&Rfc3339)
            .unwrap_or_else(|_| now_rfc3339())
    }

    /// Issues a new token for `username` and flushes; answers the token and what may be shown
    /// of it.
    pub async fn issue(&self, username: &str) -> Result<(String, TokenInfo)> {
        let mut raw = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut raw);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        let hash = hash_token(&token);
        let record = TokenRecord {
            username: username.to_string(),
            created: now_rfc3339(),
            expires: Some(self.expiry_from_now()),
            last_used: None,
        };
        let mut batch = crate::storage::engine::Batch::default();
        batch.insert(layout::key(TOKEN, hash.as_bytes()), codec::encode(&record)?);
        batch.insert(index_key(username, &hash), &[] as &[u8]);
        self.store.instance().apply_batch(batch)?;
        self.store.flush().await?;
        let info = TokenInfo {
            id: hash[..ID_LEN].to_string(),
            created: record.created,
            expires: record.expires,
            last_used: None,
        };
        Ok((token, info))
    }

    /// The session a token opens; Unauthorized when it is unknown, revoked or expired (an
    /// expired token is deleted).
    pub fn authenticate(&self, token: &str) -> Result<Session> {
        let hash = hash_token(token);
        let Some(bytes) = self
            .store
            .instance()
            .get(layout::key(TOKEN, hash.as_bytes()))?
        else {
            return Err(ActorError::Unauthorized);
        };
        let record: TokenRecord = codec::decode(&bytes)?;
        let now = OffsetDateTime::now_utc();
        if expired(&record, now) {
            self.remove(&record.username, &hash)?;
            return Err(ActorError::Unauthorized);
        }
        let username = record.username.clone();
        self.touch(&hash, &bytes, record, now)?;
        Ok(Session {
            username,
            token_hash: hash,
        })
    }

    /// Rewrites `last_used` when it is over [`LAST_USED_EVERY`] old, only if the record is still
    /// `old` (a compare-and-swap): a revoke (or another touch) since it was read wins, so a
    /// revoked token is never written back.
    fn touch(
        &self,
        hash: &str,
        old: &[u8],
        mut record: TokenRecord,
        now: OffsetDateTime,
    ) -> Result<()> {
        let stale = record.last_used.as_deref().is_none_or(|t| {
            OffsetDateTime::parse(t, &Rfc3339).map_or(true, |t| now - t >= LAST_USED_EVERY)
        });
        if !stale {
            return Ok(());
        }
        record.last_used = now.format(&Rfc3339).ok();
        let new = codec::encode(&record)?;
        // Err(CompareAndSwapError): the record changed or went away; leave it as it is.
        let _ = self.store.instance().compare_and_swap(
            layout::key(TOKEN, hash.as_bytes()),
            Some(old),
            Some(new),
        )?;
        Ok(())
    }

    fn remove(&self, username: &str, hash: &str) -> Result<()> {
        let mut batch = crate::storage::engine::Batch::default();
        batch.remove(layout::key(TOKEN, hash.as_bytes()));
        batch.remove(index_key(username, hash));
        self.store.instance().apply_batch(batch)?;
        Ok(())
    }

    /// Hashes of `username`'s tokens.
    fn hashes(&self, username: &str) -> Result<Vec<String>> {
        let prefix = index_prefix(username);
        let mut out = Vec::new();
        for item in self.store.instance().scan_prefix(&prefix) {
            let (k, _) = item?;
            out.push(String::from_utf8_lossy(&k[prefix.len()..]).into_owned());
        }
        Ok(out)
    }

    /// `username`'s live tokens, oldest first by creation.
    pub fn list(&self, username: &str) -> Result<Vec<(TokenInfo, String)>> {
        let now = OffsetDateTime::now_utc();
        let mut out = Vec::new();
        for hash in self.hashes(username)? {
            let Some(bytes) = self
                .store
                .instance()
                .get(layout::key(TOKEN, hash.as_bytes()))?
            else {
                continue;
            };
            let record: TokenRecord = codec::decode(&bytes)?;
            if expired(&record, now) {
                continue;
            }
            let info = TokenInfo {
                id: hash[..ID_LEN.min(hash.len())].to_string(),
                created: record.created,
                expires: record.expires,
                last_used: record.last_used,
            };
            out.push((info, hash));
        }
        out.sort_by(|a, b| a.0.created.cmp(&b.0.created));
        Ok(out)
    }

    /// Revokes `username`'s token with public id `id` and flushes; false when they have none.
    pub async fn revoke_id(&self, username: &str, id: &str) -> Result<bool> {
        if id.len() != ID_LEN {
            return Ok(false);
        }
        let Some(hash) = self
            .hashes(username)?
            .into_iter()
            .find(|h| h.starts_with(id))
        else {
            return Ok(false);
        };
        self.remove(username, &hash)?;
        self.store.flush().await?;
        Ok(true)
    }

    /// Revokes the token with this hash and flushes.
    pub async fn revoke_hash(&self, username: &str, hash: &str) -> Result<()> {
        self.remove(username, hash)?;
        self.store.flush().await
    }

    /// Revokes every token of `username` except the one with hash `keep`; answers how many.
    /// Does not flush (the caller's write does).
    pub fn revoke_others(&self, username: &str, keep: Option<&str>) -> Result<usize> {
        let mut n = 0;
        for hash in self.hashes(username)? {
            if Some(hash.as_str()) != keep {
                self.remove(username, &hash)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Gives every token stored without an expiry (before expiries existed) one from now and an
    /// index entry, then flushes. Answers how many were upgraded; run at start.
    pub async fn upgrade(&self) -> Result<usize> {
        let prefix = layout::prefix(TOKEN);
        let mut batch = crate::storage::engine::Batch::default();
        let mut n = 0;
        for item in self.store.instance().scan_prefix(&prefix) {
            let (k, v) = item?;
            let mut record: TokenRecord = codec::decode(&v)?;
            if record.expires.is_some() {
                continue;
            }
            let hash = String::from_utf8_lossy(&k[prefix.len()..]).into_owned();
            record.expires = Some(self.expiry_from_now());
            batch.insert(&k, codec::encode(&record)?);
            batch.insert(index_key(&record.username, &hash), &[] as &[u8]);
            n += 1;
        }
        if n > 0 {
            self.store.instance().apply_batch(batch)?;
            self.store.flush().await?;
            tracing::info!(tokens = n, "gave stored tokens an expiry");
        }
        Ok(n)
    }
}

#[cfg(test)]
#[path = "tokens_tests.rs"]
mod tests;
