//! Suspending and unsuspending a local account (`AccountRecord::suspended`), the one domain flow
//! behind the admin API (`POST/DELETE /api/v1/admin/accounts/{username}/suspend`), the web admin
//! page and `orchard admin suspend|unsuspend USER` (running or stopped instance alike: it needs
//! only the store). Suspending sets the time and revokes every token of the account (API tokens
//! and web sessions alike); unsuspending clears it and leaves the tokens revoked. Both are
//! idempotent. The transports ask [`suspended_since`] (or [`session`], for a bearer token or a
//! session cookie) before letting the person in, and answer the Person's IRIs as gone meanwhile.

use crate::base::clock::now_rfc3339;
use crate::base::error::{ActorError, Result};
use crate::base::kind::{ActorKind, ActorRef};
use crate::data::account_record::AccountRecord;
use crate::data::accounts::Accounts;
use crate::data::tokens::{Session, Tokens};
use crate::storage::codec;
use crate::storage::layout::{self, ACCOUNT};
use crate::storage::store::Store;

pub use crate::data::account_record::SUSPENDED;

/// How often a suspend or unsuspend retries after the record changed under it.
const RETRIES: usize = 16;

/// When `username`'s account was suspended (RFC 3339), None when it is not (or there is no
/// such account).
pub fn suspended_since(store: &Store, username: &str) -> Result<Option<String>> {
    Ok(read(store, username)?.and_then(|(a, _)| a.suspended))
}

/// Whether `username` has an account and it is suspended.
pub fn is_suspended(store: &Store, username: &str) -> Result<bool> {
    Ok(suspended_since(store, username)?.is_some())
}

/// Whether `r` is a local person whose account is suspended (any other actor: false).
pub fn is_suspended_actor(store: &Store, r: &ActorRef) -> Result<bool> {
    Ok(r.kind == ActorKind::Person && is_suspended(store, &r.id)?)
}

fn read(store: &Store, username: &str) -> Result<Option<(AccountRecord, Vec<u8>)>> {
    match store
        .instance()
        .get(layout::key(ACCOUNT, username.as_bytes()))?
    {
        Some(bytes) => Ok(Some((codec::decode(&bytes)?, bytes))),
        None => Ok(None),
    }
}

/// Sets (`Some(time)`) or clears `suspended` with a compare-and-swap, so a concurrent role
/// change is not lost; keeps an earlier suspension's time. NotFound without the account.
fn set(store: &Store, username: &str, on: bool) -> Result<AccountRecord> {
    let key = layout::key(ACCOUNT, username.as_bytes());
    for _ in 0..RETRIES {
        let (mut account, old) = read(store, username)?
            .ok_or_else(|| ActorError::NotFound(format!("account {username}")))?;
        if account.suspended.is_some() == on {
            return Ok(account);
        }
        account.suspended = on.then(now_rfc3339);
        let new = codec::encode(&account)?;
        if store
            .instance()
            .compare_and_swap(&key, Some(&old), Some(&new))?
            .is_ok()
        {
            return Ok(account);
        }
    }
    Err(ActorError::Conflict(format!(
        "account {username} keeps changing; try again"
    )))
}

/// Suspends `username`'s account: records when (an already suspended account keeps its time),
/// revokes every token and web session of it, and flushes. Answers the account as stored.
/// NotFound when there is no such account. Open SSH connections are refused on their next
/// command (the SSH side asks [`is_suspended`] before every git command).
pub async fn suspend(store: &Store, username: &str) -> Result<AccountRecord> {
    let account = set(store, username, true)?;
    // Any lifetime: revoking does not depend on it. A token a login issues after this is
    // refused by `session`, which asks the record.
    let revoked = Tokens::new(store.clone(), 1).revoke_others(username, None)?;
    store.flush().await?;
    tracing::warn!(username, revoked, "account suspended");
    Ok(account)
}

/// Lifts the suspension of `username`'s account and flushes; its tokens stay revoked (the
/// person logs in again). Answers the account as stored; NotFound when there is none.
pub async fn unsuspend(store: &Store, username: &str) -> Result<AccountRecord> {
    if is_suspended(store, username)? {
        // A token a login racing the suspension issued after its revocation: revoked while the
        // account is still suspended (no login succeeds then), so none outlives it.
        Tokens::new(store.clone(), 1).revoke_others(username, None)?;
    }
    let account = set(store, username, false)?;
    store.flush().await?;
    tracing::warn!(username, "account unsuspended");
    Ok(account)
}

/// The session a bearer token (or a session cookie) opens: Unauthorized when the token is
/// unknown, revoked or expired, Forbidden ([`SUSPENDED`]) when its account is suspended.
pub fn session(accounts: &Accounts, store: &Store, token: &str) -> Result<Session> {
    let session = accounts.tokens().authenticate(token)?;
    if is_suspended(store, &session.username)? {
        return Err(ActorError::Forbidden(SUSPENDED.into()));
    }
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn suspending_revokes_tokens_and_unsuspending_keeps_them_revoked() {
        let store = Store::in_memory().unwrap();
        let accounts = Accounts::new(store.clone());
        accounts.register("ann", "pw", ()).await.unwrap();
        let (token, _) = accounts.login("ann", "pw", ()).await.unwrap();
        assert!(session(&accounts, &store, &token).is_ok());

        let first = suspend(&store, "ann").await.unwrap();
        let since = first.suspended.clone().expect("suspended");
        assert!(is_suspended(&store, "ann").unwrap());
        assert!(matches!(
            session(&accounts, &store, &token),
            Err(ActorError::Unauthorized)
        ));
        let again = suspend(&store, "ann").await.unwrap();
        assert_eq!(
            again.suspended.as_deref(),
            Some(since.as_str()),
            "idempotent"
        );
        match accounts.login("ann", "pw", ()).await {
            Err(ActorError::Forbidden(m)) => assert_eq!(m, SUSPENDED),
            other => panic!("login of a suspended account: {other:?}"),
        }
        assert!(matches!(
            accounts.login("ann", "wrong", ()).await,
            Err(ActorError::Unauthorized)
        ));

        assert!(unsuspend(&store, "ann").await.unwrap().suspended.is_none());
        assert!(unsuspend(&store, "ann").await.unwrap().suspended.is_none());
        assert!(
            accounts.tokens().authenticate(&token).is_err(),
            "stays revoked"
        );
        let (fresh, _) = accounts.login("ann", "pw", ()).await.unwrap();
        assert!(session(&accounts, &store, &fresh).is_ok());
    }

    #[tokio::test]
    async fn a_token_issued_by_a_racing_login_is_refused_and_does_not_outlive_it() {
        let store = Store::in_memory().unwrap();
        let accounts = Accounts::new(store.clone());
        accounts.register("ann", "pw", ()).await.unwrap();
        suspend(&store, "ann").await.unwrap();
        // What a login that checked the record just before the suspension goes on to do.
        let (raced, _) = accounts.tokens().issue("ann").await.unwrap();
        match session(&accounts, &store, &raced) {
            Err(ActorError::Forbidden(m)) => assert_eq!(m, SUSPENDED),
            other => panic!("a suspended account's token: {other:?}"),
        }
        unsuspend(&store, "ann").await.unwrap();
        assert!(matches!(
            session(&accounts, &store, &raced),
            Err(ActorError::Unauthorized)
        ));
        let (fresh, _) = accounts.login("ann", "pw", ()).await.unwrap();
        unsuspend(&store, "ann").await.unwrap();
        assert!(
            session(&accounts, &store, &fresh).is_ok(),
            "unsuspending an active account revokes nothing"
        );
    }

    #[tokio::test]
    async fn an_unknown_account_is_not_found() {
        let store = Store::in_memory().unwrap();
        assert!(matches!(
            suspend(&store, "nobody").await,
            Err(ActorError::NotFound(_))
        ));
        assert!(matches!(
            unsuspend(&store, "nobody").await,
            Err(ActorError::NotFound(_))
        ));
        assert!(!is_suspended(&store, "nobody").unwrap());
    }

    #[test]
    fn records_written_before_suspension_existed_parse() {
        let old = br#"{"username":"a","password_hash":"x","created":"2026-01-01T00:00:00Z"}"#;
        let a: AccountRecord = codec::decode(old).unwrap();
        assert!(a.suspended.is_none());
    }
}
