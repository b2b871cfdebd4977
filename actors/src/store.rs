//! Storage over sled: the database, the instance tree, each actor's keyspace (`ActorTree`: the
//! keys `<id> 0x00 ...` of its kind's shared tree), and the key layout.
//!
//! Every key inside an actor's keyspace (and the instance tree) is `<collection> 0xFF <rest>`. The collections and their layouts are
//! the constants below; each actor module documents the collections it owns beside its use.

use crate::actor_tree::ActorTree;
use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorRef;
use serde::{de::DeserializeOwned, Serialize};
use std::path::Path;

/// Separator between a collection name and the rest of a key.
pub const SEP: u8 = 0xFF;

/// Name of the instance tree (indexes, counters, accounts, instance key).
pub const INSTANCE_TREE: &str = "instance";

/// Instance tree: `account 0xFF <username>` -> JSON `AccountRecord` (password hash).
pub const ACCOUNT: &str = "account";
/// Instance tree: `token 0xFF <hex sha256 of bearer token>` -> JSON `TokenRecord`.
pub const TOKEN: &str = "token";
/// Instance tree: `actor 0xFF <kind>/<id>` -> empty; the index of every stored local actor.
pub const ACTOR_INDEX: &str = "actor";
/// Instance tree: `counter 0xFF <name>` -> big-endian u64 (e.g. `persons`).
pub const COUNTER: &str = "counter";
/// Instance tree: `meta 0xFF instance-key` -> PKCS#8 PEM of the instance actor's private key.
/// Actor trees: `meta 0xFF record` -> JSON `ActorRecord`.
/// Instance tree: `meta 0xFF integrity-generation` -> be u64 (see `integrity`).
pub const META: &str = "meta";
/// Actor trees: `inbox 0xFF <be u64 seq>` -> the activity as received, without `bto`/`bcc`, in
/// one of two layouts: its JSON (a body under `SHARED_BODY_MIN` bytes, and everything stored
/// before shared bodies), or `0x01 <32-byte sha256>`, a reference to a shared body (`BODY`).
pub const INBOX: &str = "inbox";
/// Kind indexes (`Store::kind_index`): `body 0xFF <32-byte sha256 of the JSON>` -> the JSON of
/// a received activity, stored once for every recipient of that kind (one shared-inbox POST to
/// 20 local people stores its body once). Written in the same atomic batch as the first inbox
/// item that references it (same tree, same group commit); never removed, as inbox items are not.
pub const BODY: &str = "body";
/// First byte of an inbox item that references a shared body (JSON never starts with it).
pub const BODY_REF: u8 = 0x01;
/// Smallest received body stored once and referenced (smaller ones are stored inline).
pub const SHARED_BODY_MIN: usize = 1024;
/// Actor trees: `outbox 0xFF <be u64 seq>` -> JSON activity as published, without `bto`/`bcc`.
pub const OUTBOX: &str = "outbox";
/// Actor trees: `hidden 0xFF <local id>` -> JSON array of the IRIs in the `bto`/`bcc` of an
/// activity this actor published; never served, only read to let those recipients fetch it.
pub const HIDDEN: &str = "hidden";
/// Actor trees: `seen 0xFF <activity id>` -> be u64 inbox seq; makes receiving idempotent.
pub const SEEN: &str = "seen";
/// Kind indexes (`Store::kind_index`): `pending 0xFF <actor id>` -> empty; the actors of that
/// kind with unprocessed inbox items (written in the same batch as the item, so the two agree).
/// Before 0.1 also: actor keyspaces `pending 0xFF <be u64 inbox seq>` (one marker per
/// unprocessed item) and instance tree `pending 0xFF <tree name>`; read once for migration.
pub const PENDING: &str = "pending";
/// Actor trees: `meta 0xFF inbox-processed` -> be u64: how many inbox items (sequence numbers
/// below it) were processed. Items from it to the last stored one are pending.
pub const INBOX_PROCESSED: &[u8] = b"meta\xffinbox-processed";
/// Actor trees: `followers 0xFF <follower iri>` -> JSON `Follower`.
pub const FOLLOWERS: &str = "followers";
/// Actor trees: `following 0xFF <followee iri>` -> JSON `Following`.
pub const FOLLOWING: &str = "following";
/// Actor trees: `activity 0xFF <local id>` -> JSON of an activity this actor published, without
/// `bto`/`bcc`, served at `<actor iri>/activities/<local id>` to its audience (see `audience`).
pub const ACTIVITY: &str = "activity";
/// Factory keyspaces: `created 0xFF <Create activity id>` -> `<kind>/<id>` of the actor that
/// Create made; written in the creation's transaction, so a re-run of the Create after a crash
/// finds the actor instead of making a second one.
pub const CREATED: &str = "created";
/// Instance tree: `follows 0xFF <followed actor iri> 0xFF <follower tree name>` -> empty; which
/// local actors follow a remote actor (routes shared-inbox deliveries to followers).
pub const FOLLOWS: &str = "follows";

/// Builds a key `<collection> 0xFF <rest>`.
pub fn key(collection: &str, rest: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(collection.len() + 1 + rest.len());
    k.extend_from_slice(collection.as_bytes());
    k.push(SEP);
    k.extend_from_slice(rest);
    k
}

/// The prefix shared by every key of a collection: `<collection> 0xFF`.
pub fn prefix(collection: &str) -> Vec<u8> {
    key(collection, &[])
}

/// Builds a key whose rest is a big-endian sequence number (keeps insertion order).
pub fn seq_key(collection: &str, seq: u64) -> Vec<u8> {
    key(collection, &seq.to_be_bytes())
}

/// Encodes a value as JSON for storage.
pub fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| ActorError::Corrupt(e.to_string()))
}

/// Decodes a stored JSON value.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| ActorError::Corrupt(e.to_string()))
}

/// The database. Cheap to clone (sled handles are reference counted).
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    instance: sled::Tree,
    /// One shared tree per actor kind, in `ActorKind::ALL` order (see `actor_tree`).
    kinds: std::sync::Arc<Vec<sled::Tree>>,
    flusher: std::sync::Arc<crate::flush::GroupCommit>,
    /// Dropped after `flusher` (field order): records the clean close in the integrity marker.
    _integrity: std::sync::Arc<CleanClose>,
}

/// Records a clean close (`integrity::close_clean`) when the last `Store` handle is dropped,
/// after the group commit has applied and flushed everything.
struct CleanClose {
    dir: std::path::PathBuf,
    db: sled::Db,
}

impl Drop for CleanClose {
    fn drop(&mut self) {
        if !self.dir.exists() {
            return; // removed while open (a test's temporary directory): nothing to record
        }
        if let Err(e) = crate::integrity::close_clean(&self.dir, &self.db) {
            tracing::error!(path = %self.dir.display(), error = %e, "recording the clean close of the database failed; the next start checks less");
        }
    }
}

impl Store {
    /// Opens (or creates) the database in `path` with sled's default cache (1 GiB).
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with_cache(path, None)
    }

    /// Opens (or creates) the database in `path`; `cache_bytes` bounds sled's page cache (None:
    /// sled's default, 1 GiB). Refuses a database that lost data (`ActorError::Damaged`, see
    /// `integrity`).
    pub fn open_with_cache(path: &Path, cache_bytes: Option<u64>) -> Result<Store> {
        let mut config = sled::Config::new().path(path);
        if let Some(bytes) = cache_bytes {
            config = config.cache_capacity(bytes);
        }
        let used = crate::integrity::was_used(path);
        let db = open_checked(path, &config)?;
        crate::integrity::check_and_begin(path, &db, used)?;
        let instance = db.open_tree(INSTANCE_TREE)?;
        let kinds = crate::base::kind::ActorKind::ALL
            .iter()
            .map(|k| db.open_tree(k.tree_prefix()))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let flusher = std::sync::Arc::new(crate::flush::GroupCommit::start(db.clone())?);
        Ok(Store {
            _integrity: std::sync::Arc::new(CleanClose {
                dir: path.to_path_buf(),
                db: db.clone(),
            }),
            db,
            instance,
            kinds: std::sync::Arc::new(kinds),
            flusher,
        })
    }

    /// The instance tree.
    pub fn instance(&self) -> &sled::Tree {
        &self.instance
    }

    /// The keyspace of one actor: the keys of its kind's tree under `<id> 0x00`.
    pub fn actor_tree(&self, r: &ActorRef) -> Result<ActorTree> {
        let i = crate::base::kind::ActorKind::ALL
            .iter()
            .position(|k| *k == r.kind)
            .unwrap_or(0);
        let tree = self
            .kinds
            .get(i)
            .cloned()
            .ok_or_else(|| ActorError::Corrupt(format!("no tree for {}", r.kind)))?;
        Ok(ActorTree::new(tree, &r.id))
    }

    /// The index keyspace of a kind's tree: the keys under `0x00`, which no actor owns (ids
    /// are never empty). Holds the kind's `pending` index.
    pub fn kind_index(&self, kind: crate::base::kind::ActorKind) -> Result<ActorTree> {
        self.actor_tree(&ActorRef::new(kind, ""))
    }

    /// Stages writes to one tree (full keys: `ActorTree::full_key`) for the next group commit,
    /// which applies them atomically together with every other group staged for the same tree
    /// and makes them durable. Answers the ticket to wait `committed` on. Not visible before.
    pub fn stage(&self, tree: &sled::Tree, writes: Vec<crate::flush::Write>) -> u64 {
        self.flusher.stage(tree, writes)
    }

    /// Waits until the group commit covering `ticket` is durable.
    pub async fn committed(&self, ticket: u64) -> Result<()> {
        self.flusher.wait(ticket).await
    }

    /// A ticket for a group commit that starts after this call (see `committed`).
    pub fn commit_ticket(&self) -> u64 {
        self.flusher.request()
    }

    /// A named tree that belongs to no actor (e.g. the delivery queue).
    pub fn tree(&self, name: &str) -> Result<sled::Tree> {
        Ok(self.db.open_tree(name)?)
    }

    /// A unique, monotonic id (across restarts).
    pub fn generate_id(&self) -> Result<u64> {
        Ok(self.db.generate_id()?)
    }

    /// True when the actor is in the instance's actor index.
    pub fn actor_exists(&self, r: &ActorRef) -> Result<bool> {
        Ok(self
            .instance
            .contains_key(key(ACTOR_INDEX, r.tree_name().as_bytes()))?)
    }

    /// Reads a counter from the instance tree.
    pub fn counter(&self, name: &str) -> Result<u64> {
        Ok(self
            .instance
            .get(key(COUNTER, name.as_bytes()))?
            .map(|v| decode_u64(&v))
            .unwrap_or(0))
    }

    /// Durably writes everything written so far. Blocking: call from a blocking thread.
    pub fn flush_blocking(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    /// Durably writes everything written so far, off the async threads. Concurrent callers
    /// share one flush (group commit): sled's own `flush_async` hangs under many concurrent
    /// waiters, and one `fsync` per request would cap throughput.
    pub async fn flush(&self) -> Result<()> {
        self.flusher.flush().await
    }

    /// Records a clean close in the integrity marker now (after `flush`), instead of only when
    /// the last handle is dropped: the server calls it once everything has stopped, so a stop is
    /// recorded even if a handle lingers. The last drop records it again (covering any later
    /// write). Blocking: reads the whole database for its checksum.
    pub fn close_clean(&self) -> Result<()> {
        crate::integrity::close_clean(&self._integrity.dir, &self.db)
    }

    /// Size of the database on disk, in bytes.
    pub fn size_on_disk(&self) -> Result<u64> {
        Ok(self.db.size_on_disk()?)
    }
}

/// How long `Store::open` waits for the database's file lock.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Opens sled, waiting up to `LOCK_WAIT` for its file lock: a store closed just before (a
/// restart in the same process) can keep it for a moment while sled's IO threads finish. After
/// that the lock is held by someone else, e.g. another Orchard process on the same data.
fn open_waiting_for_lock(config: &sled::Config) -> Result<sled::Db> {
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    loop {
        match config.open() {
            Err(sled::Error::Io(e))
                if e.to_string().contains("could not acquire lock")
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(sled::Error::Io(e)) if e.to_string().contains("could not acquire lock") => {
                return Err(ActorError::Storage(sled::Error::Io(std::io::Error::other(
                    format!("{e} (is another Orchard process using this data directory?)"),
                ))));
            }
            other => return Ok(other?),
        }
    }
}

/// I/O errors that say something about the machine, not the files (permissions, a full disk,
/// too many open files, a read-only mount): reported as they are, never as a damaged database
/// (whose advice, restoring a backup, would lose data for nothing).
fn not_damage(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        PermissionDenied | StorageFull | QuotaExceeded | ReadOnlyFilesystem | OutOfMemory
    ) || matches!(e.raw_os_error(), Some(13 | 23 | 24 | 28 | 30 | 122))
}

/// Opens sled (waiting for its lock); an error or a panic of sled reading damaged files becomes
/// `ActorError::Damaged` naming the directory.
fn open_checked(path: &Path, config: &sled::Config) -> Result<sled::Db> {
    let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        open_waiting_for_lock(config)
    }));
    let reason = match opened {
        Ok(Ok(db)) => return Ok(db),
        Ok(Err(ActorError::Storage(sled::Error::Io(e)))) => {
            if e.to_string().contains("another Orchard process") || not_damage(&e) {
                return Err(ActorError::Storage(sled::Error::Io(std::io::Error::new(
                    e.kind(),
                    format!("cannot open the database at {}: {e}", path.display()),
                ))));
            }
            format!("it cannot be read: {e}")
        }
        Ok(Err(e)) => format!("it cannot be read: {e}"),
        Err(_) => "reading it failed (the storage engine gave up on its files)".to_string(),
    };
    Err(ActorError::Damaged {
        path: path.display().to_string(),
        reason,
    })
}

/// Decodes a big-endian u64 (a counter or a sequence number); short input decodes as 0.
pub fn decode_u64(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    if bytes.len() == 8 {
        buf.copy_from_slice(bytes);
    }
    u64::from_be_bytes(buf)
}

/// Appends a value to a sequence collection of a tree and returns its sequence number.
/// The sequence is one more than the last key of the collection (0 for an empty one).
pub fn append(tree: &ActorTree, collection: &str, value: &[u8]) -> Result<u64> {
    let pre = prefix(collection);
    let next = match tree.scan_prefix(&pre).next_back() {
        Some(entry) => {
            let (k, _) = entry?;
            decode_u64(&k[pre.len()..]) + 1
        }
        None => 0,
    };
    tree.insert(seq_key(collection, next), value)?;
    Ok(next)
}

/// Counts the items of a collection.
pub fn count(tree: &ActorTree, collection: &str) -> usize {
    tree.scan_prefix(prefix(collection)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::kind::ActorKind;

    #[test]
    fn errors_of_the_machine_are_not_reported_as_damage() {
        use std::io::{Error, ErrorKind};
        for os in [13, 24, 28, 30] {
            assert!(not_damage(&Error::from_raw_os_error(os)), "{os}");
        }
        assert!(!not_damage(&Error::new(ErrorKind::UnexpectedEof, "short")));
        assert!(!not_damage(&Error::new(ErrorKind::InvalidData, "crc")));
    }

    #[test]
    fn keys_have_the_documented_layout() {
        assert_eq!(key("inbox", b"x"), b"inbox\xffx".to_vec());
        assert_eq!(seq_key("inbox", 1), b"inbox\xff\0\0\0\0\0\0\0\x01".to_vec());
    }

    #[test]
    fn append_keeps_order_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let r = ActorRef::new(ActorKind::Person, "alice");
        {
            let store = Store::open(dir.path()).unwrap();
            let tree = store.actor_tree(&r).unwrap();
            assert_eq!(append(&tree, INBOX, b"a").unwrap(), 0);
            assert_eq!(append(&tree, INBOX, b"b").unwrap(), 1);
            append(&tree, OUTBOX, b"o").unwrap();
            store.flush_blocking().unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        let tree = store.actor_tree(&r).unwrap();
        assert_eq!(append(&tree, INBOX, b"c").unwrap(), 2);
        assert_eq!(count(&tree, INBOX), 3);
        assert_eq!(count(&tree, OUTBOX), 1);
    }

    #[test]
    fn opening_waits_for_a_store_being_closed_and_names_a_store_held_open() {
        let dir = tempfile::tempdir().unwrap();
        let first = Store::open(dir.path()).unwrap();
        let closing = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(first);
        });
        let second = Store::open(dir.path()).expect("opens once the first store is closed");
        closing.join().unwrap();
        let err = match Store::open(dir.path()) {
            Ok(_) => panic!("a store held open cannot be opened twice"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains("another Orchard process"), "{err}");
        drop(second);
    }
}
