//! The read/unread state of a person's notifications (their inbox shown as a feed by the web
//! dashboard): a high-water mark, the number of inbox items the person has marked read, kept in
//! the instance tree (`notifications-read 0xFF <username>` -> be u64). Items past the mark are
//! unread. Reads the inbox's size (its last sequence number) without writing the person's keyspace.

use crate::actor::env::Env;
use crate::base::error::Result;
use crate::base::kind::{ActorKind, ActorRef};
use crate::storage::codec::decode_u64;
use crate::storage::layout::{self, INBOX, NOTIFICATIONS_READ};

/// How many items the inbox of the local person `username` holds (0 when there is none).
pub fn inbox_size(env: &Env, username: &str) -> Result<u64> {
    let r = ActorRef::new(ActorKind::Person, username);
    if !env.store.actor_exists(&r)? {
        return Ok(0);
    }
    // One more than the last sequence number (inbox items are never removed).
    let ks = env.store.keyspace(&r)?;
    let pre = layout::prefix(INBOX);
    match ks.scan_prefix(&pre).next_back() {
        Some(entry) => Ok(decode_u64(&entry?.0[pre.len()..]) + 1),
        None => Ok(0),
    }
}

fn mark_key(username: &str) -> Vec<u8> {
    layout::key(NOTIFICATIONS_READ, username.as_bytes())
}

/// How many of the inbox's items `username` has marked read.
pub fn read_mark(env: &Env, username: &str) -> Result<u64> {
    Ok(env
        .store
        .instance()
        .get(mark_key(username))?
        .map_or(0, |v| decode_u64(&v)))
}

/// Unread notifications of `username`.
pub fn unread(env: &Env, username: &str) -> Result<u64> {
    Ok(inbox_size(env, username)?.saturating_sub(read_mark(env, username)?))
}

/// Marks the first `upto` inbox items read (the mark never moves back) and flushes.
pub async fn mark_read(env: &Env, username: &str, upto: u64) -> Result<()> {
    let upto = upto.min(inbox_size(env, username)?);
    if upto > read_mark(env, username)? {
        env.store
            .instance()
            .insert(mark_key(username), upto.to_be_bytes())?;
        env.store.flush().await?;
    }
    Ok(())
}
