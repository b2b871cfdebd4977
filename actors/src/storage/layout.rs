//! Every key prefix of both crates, with its layout: `key bytes -> value`. Nothing else defines
//! a prefix; the modules that own a collection use these constants.
//!
//! Trees: `instance` (indexes, counters, accounts, instance keys), `delivery` (the outbound
//! queue), and one shared tree per actor kind (`person`, `factory`, `repository`,
//! `tickettracker`, `patchtracker`, `project`: `ActorKind::tree_prefix`) in which actor `<id>` owns the keys
//! `<id> 0x00 ...` (`ActorKeyspace`) and the kind's index owns the keys `0x00 ...` (ids are
//! never empty). Every key inside a keyspace, the instance tree and the delivery tree is
//! `<collection> 0xFF <rest>` (`key`). Sequence numbers and counters are big-endian u64 (so
//! key order is insertion order); JSON values are `codec::encode`d.

/// Separator between a collection name and the rest of a key.
pub const SEP: u8 = 0xFF;
/// Separator between an actor id and the rest of a key in its kind's tree (never in an id).
pub const ID_END: u8 = 0x00;

/// Name of the instance tree.
pub const INSTANCE_TREE: &str = "instance";
/// Name of the delivery queue's tree.
pub const DELIVERY_TREE: &str = "delivery";

// ---- Instance tree ----

/// Instance tree: `account 0xFF <username>` -> JSON `AccountRecord` (password hash).
pub const ACCOUNT: &str = "account";
/// Instance tree: `token 0xFF <hex sha256 of bearer token>` -> JSON `TokenRecord`.
pub const TOKEN: &str = "token";
/// Instance tree: `user-token 0xFF <username> 0xFF <hex sha256>` -> empty.
pub const USER_TOKEN: &str = "user-token";
/// Instance tree: `notifications-read 0xFF <username>` -> be u64: how many of the person's inbox
/// items the web dashboard has shown as read (`data::notifications`).
pub const NOTIFICATIONS_READ: &str = "notifications-read";
/// Instance tree: `actor 0xFF <kind>/<id>` -> empty; the index of every stored local actor.
pub const ACTOR_INDEX: &str = "actor";
/// Instance tree: `counter 0xFF <name>` -> be u64 (e.g. `person`: how many persons exist).
pub const COUNTER: &str = "counter";
/// Instance tree: `meta 0xFF instance-key` -> PKCS#8 PEM of the instance actor's private key;
/// `meta 0xFF integrity-generation` -> be u64 (see `integrity`); `meta 0xFF id-secret` -> the
/// secret of `ids`; `meta 0xFF ssh-host-key` (`HOST_KEY`) -> the SSH host key.
/// Actor keyspaces: `meta 0xFF record` -> JSON `ActorRecord`; `meta 0xFF inbox-processed`
/// (`INBOX_PROCESSED`).
pub const META: &str = "meta";
/// Instance tree: `meta 0xFF integrity-generation` -> be u64 (see `integrity`).
pub const GENERATION_KEY: &[u8] = b"meta\xffintegrity-generation";
/// Instance tree: `meta 0xFF ssh-host-key` -> the SSH host's private key, OpenSSH format.
pub const HOST_KEY: &str = "ssh-host-key";
/// Instance tree: `follows 0xFF <followed actor iri> 0xFF <follower tree name>` -> empty; which
/// local actors follow a remote actor (routes shared-inbox deliveries to followers).
pub const FOLLOWS: &str = "follows";
/// Instance tree: `followers-of 0xFF <actor iri>` -> JSON `FollowersOf` (server crate).
pub const FOLLOWERS_OF: &str = "followers-of";
/// Instance tree: `sshkey 0xFF <fingerprint>` -> JSON `SshKeyRecord`; who owns a key.
pub const SSH_KEY: &str = "sshkey";
/// Instance tree: `sshkey-of 0xFF <username> 0xFF <fingerprint>` -> empty; a person's keys.
pub const SSH_KEY_OF: &str = "sshkey-of";
/// Instance tree: `sshkey-gone 0xFF <username> 0xFF <fingerprint>` -> empty; the keys a person
/// removed (and has not added again), whose IRIs answer 410 Gone.
pub const SSH_KEY_GONE: &str = "sshkey-gone";
/// Instance tree: `remote-grantee 0xFF <person iri>` -> be u64 ms of the last refresh of their
/// keys (0: never).
pub const REMOTE_GRANTEE: &str = "remote-grantee";
/// Instance tree: `remote-sshkey 0xFF <fingerprint>` -> the remote person's IRI.
pub const REMOTE_SSH_KEY: &str = "remote-sshkey";
/// Instance tree: `remote-sshkey-of 0xFF <person iri> 0xFF <fingerprint>` -> empty.
pub const REMOTE_SSH_KEY_OF: &str = "remote-sshkey-of";
/// Instance tree: `remote 0xFF <actor iri>` -> JSON `RemoteActor` (server crate).
pub const REMOTE: &str = "remote";
/// Instance tree: `key 0xFF <key id>` -> JSON `CachedKey` (server crate).
pub const KEY_CACHE: &str = "key";
/// Instance tree: `block 0xFF host:<host>` and `block 0xFF actor:<iri>` -> JSON `BlockRecord`.
pub const BLOCK: &str = "block";
/// Instance tree: `tombstone 0xFF <kind>/<id>` -> JSON `Tombstone` (`data::tombstones`): a
/// deleted local actor (no longer in the `actor` index), its former type and deletion time.
/// Its IRIs answer 410 Gone and its id is not given to a new actor until an admin releases it.
pub const TOMBSTONE: &str = "tombstone";
/// Instance tree: `error-box 0xFF <be u64 slot>` -> JSON `data::error_box::Slot` (the
/// instance-wide error box, a ring of `INSTANCE_RING` slots: slot = seq % size), and `counter
/// 0xFF error-box` -> be u64, the next seq, advanced by compare-and-swap. Actor keyspaces: the
/// same `error-box` slots (a ring of `ACTOR_RING`) with their next seq at `ERROR_BOX_NEXT`.
pub const ERROR_BOX: &str = "error-box";
/// Actor keyspaces: `meta 0xFF error-box-next` -> be u64, the next seq of the actor's error box.
pub const ERROR_BOX_NEXT: &[u8] = b"meta\xfferror-box-next";

/// Instance tree: `git-job 0xFF <kind>/<id> 0xFF <tag>` -> JSON `StoredJob`
/// (`actor::git_job_store`): a git job submitted by that local actor under that tag, kept
/// until the actor has its answer, run again at start if it is still there.
pub const GIT_JOB: &str = "git-job";

// ---- Delivery tree ----

/// Delivery tree: `route 0xFF <be u64 id>` -> JSON `RouteJob` (an activity and its unresolved
/// recipients).
pub const ROUTE: &str = "route";
/// Delivery tree: `job 0xFF <be u64 id>` -> JSON `Job` (one POST to one inbox).
pub const JOB: &str = "job";
/// Delivery tree: `due 0xFF <be u64 due ms> <be u64 id>` -> empty (the schedule, earliest
/// first).
pub const DUE: &str = "due";

// ---- Kind indexes (`Store::kind_index`) ----

/// Kind indexes: `body 0xFF <32-byte sha256 of the JSON>` -> the JSON of a received activity,
/// stored once for every recipient of that kind (one shared-inbox POST to 20 local people
/// stores its body once). Written in the same atomic batch as the first inbox item that
/// references it (same tree, same group commit); never removed, as inbox items are not.
pub const BODY: &str = "body";
/// Kind indexes: `pending 0xFF <actor id>` -> empty; the actors of that kind with unprocessed
/// inbox items (written in the same batch as the item, so the two agree). Before 0.1 also:
/// actor keyspaces `pending 0xFF <be u64 inbox seq>` (one marker per unprocessed item) and
/// instance tree `pending 0xFF <tree name>`; read once for migration.
pub const PENDING: &str = "pending";

// ---- Every actor keyspace ----

/// Actor keyspaces: `inbox 0xFF <be u64 seq>` -> the activity as received, without
/// `bto`/`bcc`, in one of two layouts: its JSON (a body under `SHARED_BODY_MIN` bytes, and
/// everything stored before shared bodies), or `0x01 <32-byte sha256>` (`BODY_REF`), a
/// reference to a shared body (`BODY`).
pub const INBOX: &str = "inbox";
/// First byte of an inbox item that references a shared body (JSON never starts with it).
pub const BODY_REF: u8 = 0x01;
/// Smallest received body stored once and referenced (smaller ones are stored inline).
pub const SHARED_BODY_MIN: usize = 1024;
/// Actor keyspaces: `meta 0xFF inbox-processed` -> be u64: how many inbox items (sequence
/// numbers below it) were processed. Items from it to the last stored one are pending.
pub const INBOX_PROCESSED: &[u8] = b"meta\xffinbox-processed";
/// Actor keyspaces: `outbox 0xFF <be u64 id>` -> JSON activity as published, without
/// `bto`/`bcc` (ids from `Store::generate_id`: increasing).
pub const OUTBOX: &str = "outbox";
/// Actor keyspaces: `outbox-at 0xFF <be u64 position>` -> be u64 id of the outbox item (its
/// `outbox` key) at that position, from 0 in publishing order, with its size (`SIZE`); see
/// `outbox_index`.
pub const OUTBOX_AT: &str = "outbox-at";
/// Actor keyspaces: `outbox-public 0xFF <be u64 position>` -> be u64 outbox id: the same for
/// the outbox items addressed to `as:Public`, with its size (`SIZE`).
pub const OUTBOX_PUBLIC: &str = "outbox-public";
/// Actor keyspaces: `activity 0xFF <local id>` -> JSON of an activity this actor published,
/// without `bto`/`bcc`, served at `<actor iri>/activities/<local id>` to its audience.
pub const ACTIVITY: &str = "activity";
/// Actor keyspaces: `hidden 0xFF <local id>` -> JSON array of the IRIs in the `bto`/`bcc` of
/// an activity this actor published; never served, only read to let those recipients fetch it.
pub const HIDDEN: &str = "hidden";
/// Actor keyspaces: `seen 0xFF <activity id>` -> be u64 inbox seq; makes receiving idempotent.
pub const SEEN: &str = "seen";
/// Actor keyspaces: `followers 0xFF <follower iri>` -> JSON `Follower`.
pub const FOLLOWERS: &str = "followers";
/// Actor keyspaces: `following 0xFF <followee iri>` -> JSON `Following`.
pub const FOLLOWING: &str = "following";
/// Actor keyspaces: `size 0xFF <collection>` -> be u64, the number of items of a collection
/// whose count is kept (`storage::sizes`, `outbox_index`), updated in the same batch or
/// transaction as the items.
pub const SIZE: &str = "size";

// ---- Keyspaces of some kinds ----

/// Factory keyspaces: `created 0xFF <Create activity id>` -> `<kind>/<id>` of the actor that
/// Create made; written in the creation's transaction, so a re-run of the Create after a crash
/// finds the actor instead of making a second one.
pub const CREATED: &str = "created";
/// Resource keyspaces: `grant 0xFF <grant local id>` -> JSON `GrantRecord` (the last segment
/// of the Grant's IRI).
pub const GRANT: &str = "grant";
/// Resource keyspaces: `granted 0xFF <target iri> 0xFF <grant local id>` -> empty (a person's
/// Grants, for Remove).
pub const GRANTED: &str = "granted";
/// Resource keyspaces: `invite 0xFF <invite id>` -> JSON `Invitation`.
pub const INVITE: &str = "invite";
/// Person keyspaces: `invited 0xFF <invite id>` -> JSON `Invitation`.
pub const INVITED: &str = "invited";
/// Person keyspaces: `received-grant 0xFF <grant iri>` -> JSON `ReceivedGrant`.
pub const RECEIVED_GRANT: &str = "received-grant";
/// Repository and Project keyspaces: `likes 0xFF <actor iri>` -> JSON `Star`.
pub const LIKES: &str = "likes";
/// Repository keyspaces: `push 0xFF <be u64 seq>` -> JSON of a push (its ref updates).
pub const PUSH: &str = "push";
/// Repository keyspaces: `fork 0xFF <fork iri>` -> JSON `Fork` (`data::forks`): a repository
/// created as a fork of this one (its `forks` collection).
pub const FORK: &str = "fork";
/// Repository keyspaces: `fork-accept 0xFF <Create id>` -> JSON `ForkAccept`: a Factory's
/// Accept of a Create forking this repository, seen before that Create arrived.
pub const FORK_ACCEPT: &str = "fork-accept";
/// Project keyspaces: `component 0xFF <component iri>` -> JSON `Component` (an active one).
pub const COMPONENT: &str = "component";
/// Project keyspaces: `component-add 0xFF <Add id>` -> JSON `ComponentAdd`: every Add of a
/// component that passed the project's checks, with its state (pending, active, removed).
pub const COMPONENT_ADD: &str = "component-add";
/// Component keyspaces: `project-add 0xFF <Add id>` -> JSON `ProjectAdd`: an Add of this
/// component to a project, with the Add itself and its state.
pub const PROJECT_ADD: &str = "project-add";
/// TicketTracker keyspaces: `ticket 0xFF <be u64 n>` -> JSON `TicketRecord`.
pub const TICKET: &str = "ticket";
/// TicketTracker keyspaces: `discussion 0xFF <be u64 n> <be u64 seq>` -> JSON `Comment`.
pub const DISCUSSION: &str = "discussion";
/// TicketTracker keyspaces: `ticket-followers 0xFF <be u64 n> <follower iri>` -> JSON
/// `Follower`.
pub const TICKET_FOLLOWERS: &str = "ticket-followers";
/// TicketTracker keyspaces: `ticket-offer 0xFF <offer id>` -> be u64 n, the ticket an Offer
/// opened (a re-sent Offer finds it).
pub const TICKET_OFFER: &str = "ticket-offer";
/// PatchTracker keyspaces (beside the ticket keys above, one ticket per merge request):
/// `merge-request 0xFF <be u64 n>` -> JSON `MergeRequest` (source, target, state, versions).
pub const MERGE_REQUEST: &str = "merge-request";
/// PatchTracker keyspaces: `mr-job 0xFF <job tag>` -> JSON `PendingJob`, a git job it submitted
/// and waits for (`GitJobDone` finds it by its tag).
pub const MR_JOB: &str = "mr-job";
/// PatchTracker keyspaces: `link-invite 0xFF <Invite id>` -> JSON `LinkInvite`: an Invite of
/// this tracker to `write` on a repository, pending its admin's Accept, then accepted.
pub const LINK_INVITE: &str = "link-invite";
/// PatchTracker keyspaces: `review 0xFF <be u64 n> <be u64 r>` -> JSON `ReviewRecord`, review
/// r (from 1) of merge request n (`data::reviews`).
pub const REVIEW: &str = "review";
/// PatchTracker keyspaces: `review-thread 0xFF <be u64 n> <be u64 r> <be u64 t>` -> JSON
/// `ThreadRecord`, thread t (from 1) of that review: its CodeQuote and resolved state.
pub const REVIEW_THREAD: &str = "review-thread";
/// PatchTracker keyspaces: `thread-comment 0xFF <be u64 n> <be u64 r> <be u64 t> <be u64 seq>`
/// -> JSON `data::tickets::Comment`, the Notes of a thread (seq 1: its top comment).
pub const THREAD_COMMENT: &str = "thread-comment";
/// PatchTracker keyspaces: `approval 0xFF <be u64 n> <be u64 a>` -> JSON `ApprovalRecord`, one
/// person's review status on merge request n (a from 1, one per person).
pub const APPROVAL: &str = "approval";
/// PatchTracker keyspaces: `review-offer 0xFF <offer id>` -> `<be u64 n> <be u64 r>`, the
/// review an Offer made (a re-sent Offer makes nothing new).
pub const REVIEW_OFFER: &str = "review-offer";

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_have_the_documented_layout() {
        assert_eq!(key("inbox", b"x"), b"inbox\xffx".to_vec());
        assert_eq!(seq_key("inbox", 1), b"inbox\xff\0\0\0\0\0\0\0\x01".to_vec());
        assert_eq!(key(META, b"inbox-processed"), INBOX_PROCESSED.to_vec());
        assert_eq!(key(META, b"integrity-generation"), GENERATION_KEY.to_vec());
        assert_eq!(key(META, b"error-box-next"), ERROR_BOX_NEXT.to_vec());
    }
}
