//! The route patterns of every IRI this instance serves, and of its other HTTP endpoints
//! (actix-web syntax: `{name}` is one path segment, `{name:.+}` the rest of the path).
//! `{segment}` is an actor kind's path segment (`ActorKind::path_segment`), `{id}` a local id.
//! The HTTP layer registers exactly these; `Urls` builds and parses IRIs with them.

/// The instance actor (type Application).
pub const INSTANCE_ACTOR: &str = "/actor";
/// The instance actor's inbox (POST; nothing is kept).
pub const INSTANCE_INBOX: &str = "/actor/inbox";
/// The instance actor's outbox.
pub const INSTANCE_OUTBOX: &str = "/actor/outbox";
/// The shared inbox of this instance (POST).
pub const SHARED_INBOX: &str = "/inbox";
/// Any local actor.
pub const ACTOR: &str = "/{segment}/{id}";
/// The standalone key document of an actor that is not a Person.
pub const KEY: &str = "/{segment}/{id}/main-key";
/// An actor's inbox.
pub const INBOX: &str = "/{segment}/{id}/inbox";
/// An actor's outbox.
pub const OUTBOX: &str = "/{segment}/{id}/outbox";
/// One activity an actor published.
pub const ACTIVITY: &str = "/{segment}/{id}/activities/{aid}";
/// A collection of an actor (see `Collection`).
pub const COLLECTION: &str = "/{segment}/{id}/{collection}";
/// A commit of a repository, by its full hex hash.
pub const COMMIT: &str = "/repos/{id}/commits/{hash}";
/// A branch of a repository, by its name (which may hold `/`).
pub const BRANCH: &str = "/repos/{id}/branches/{name:.+}";
/// One SSH public key of a person (see `Urls::ssh_key`).
pub const SSH_KEY: &str = "/people/{id}/ssh-keys/{key}";
/// The tickets of a tracker.
pub const TICKETS: &str = "/trackers/{id}/tickets";
/// One ticket.
pub const TICKET: &str = "/trackers/{id}/tickets/{n}";
/// A ticket's discussion (its Notes).
pub const TICKET_DISCUSSION: &str = "/trackers/{id}/tickets/{n}/discussion";
/// A ticket's followers.
pub const TICKET_FOLLOWERS: &str = "/trackers/{id}/tickets/{n}/followers";
/// One comment on a ticket.
pub const TICKET_COMMENT: &str = "/trackers/{id}/tickets/{n}/comments/{seq}";
/// The merge requests of a patch tracker (its tickets), and their parts as for tickets.
pub const MERGE_REQUESTS: &str = "/patch-trackers/{id}/merge-requests";
pub const MERGE_REQUEST: &str = "/patch-trackers/{id}/merge-requests/{n}";
pub const MR_DISCUSSION: &str = "/patch-trackers/{id}/merge-requests/{n}/discussion";
pub const MR_FOLLOWERS: &str = "/patch-trackers/{id}/merge-requests/{n}/followers";
pub const MR_COMMENT: &str = "/patch-trackers/{id}/merge-requests/{n}/comments/{seq}";
/// One version of a merge request's changes (an OrderedCollection of its Patches).
pub const MR_VERSION: &str = "/patch-trackers/{id}/merge-requests/{n}/versions/{v}";
/// Smart-HTTP git under a repository's IRI (its `cloneUri`).
pub const GIT_INFO_REFS: &str = "/repos/{id}/info/refs";
pub const GIT_UPLOAD_PACK: &str = "/repos/{id}/git-upload-pack";
pub const GIT_RECEIVE_PACK: &str = "/repos/{id}/git-receive-pack";
/// A repository's push log.
pub const PUSH_LOG: &str = "/repos/{id}/pushes";
/// The reviews of a merge request (`Review`s, oldest first), one review, one of its threads
/// (`ReviewThread`), the thread's comments (its Notes, oldest first) and one comment without an
/// id of its own.
pub const MR_REVIEWS: &str = "/patch-trackers/{id}/merge-requests/{n}/reviews";
pub const MR_REVIEW: &str = "/patch-trackers/{id}/merge-requests/{n}/reviews/{r}";
pub const MR_THREAD: &str = "/patch-trackers/{id}/merge-requests/{n}/reviews/{r}/threads/{t}";
pub const MR_THREAD_REPLIES: &str =
    "/patch-trackers/{id}/merge-requests/{n}/reviews/{r}/threads/{t}/replies";
pub const MR_THREAD_COMMENT: &str =
    "/patch-trackers/{id}/merge-requests/{n}/reviews/{r}/threads/{t}/comments/{seq}";
/// A merge request's `individualApprovals` (its `Approval`s, newest first) and one of them.
pub const MR_APPROVALS: &str = "/patch-trackers/{id}/merge-requests/{n}/approvals";
pub const MR_APPROVAL: &str = "/patch-trackers/{id}/merge-requests/{n}/approvals/{a}";
/// Discovery.
pub const WEBFINGER: &str = "/.well-known/webfinger";
pub const NODEINFO_LINKS: &str = "/.well-known/nodeinfo";
pub const NODEINFO: &str = "/nodeinfo/2.1";
/// The account API (bearer tokens), not IRIs of ActivityPub objects.
pub const API_REGISTER: &str = "/api/v1/register";
pub const API_LOGIN: &str = "/api/v1/login";
pub const API_LOGOUT: &str = "/api/v1/logout";
pub const API_TOKENS: &str = "/api/v1/tokens";
pub const API_TOKEN: &str = "/api/v1/tokens/{id}";
pub const API_PASSWORD: &str = "/api/v1/password";
pub const API_SSH_KEYS: &str = "/api/v1/ssh-keys";
pub const API_SSH_KEY: &str = "/api/v1/ssh-keys/{fingerprint:.*}";
pub const API_ADMIN_BLOCKS: &str = "/api/v1/admin/blocks";
/// The tombstones of deleted actors (GET), and releasing one's id (DELETE).
pub const API_ADMIN_TOMBSTONES: &str = "/api/v1/admin/tombstones";
pub const API_ADMIN_TOMBSTONE: &str = "/api/v1/admin/tombstones/{segment}/{id}";
/// The error box of one local actor (`?actor=IRI`), for its admins; the instance's, for admins.
pub const API_ERRORS: &str = "/api/v1/errors";
pub const API_ADMIN_ERRORS: &str = "/api/v1/admin/errors";
/// The local accounts (GET), and suspending (POST) or unsuspending (DELETE) one.
pub const API_ADMIN_ACCOUNTS: &str = "/api/v1/admin/accounts";
pub const API_ADMIN_ACCOUNT_SUSPEND: &str = "/api/v1/admin/accounts/{username}/suspend";
/// The repository browsing API (JSON; `{spec}` is `{ref}` or `{ref}/{path...}`, the ref being
/// a branch, a tag or a commit hash, see `browse::revision`).
pub const API_REPO_REFS: &str = "/api/v1/repos/{id}/refs";
pub const API_REPO_COMMITS: &str = "/api/v1/repos/{id}/commits";
pub const API_REPO_TREE: &str = "/api/v1/repos/{id}/tree/{spec:.+}";
pub const API_REPO_BLOB: &str = "/api/v1/repos/{id}/blob/{spec:.+}";
pub const API_REPO_RAW: &str = "/api/v1/repos/{id}/raw/{spec:.+}";
pub const API_REPO_README: &str = "/api/v1/repos/{id}/readme";
/// `{range}` is `{base}...{head}`.
pub const API_REPO_COMPARE: &str = "/api/v1/repos/{id}/compare/{range:.+}";
/// An instance's public repositories.
pub const API_REPOS: &str = "/api/v1/repos";
/// What a person administers or may write to, by kind.
pub const API_PERSON_REPOS: &str = "/api/v1/people/{username}/repos";
pub const API_PERSON_TRACKERS: &str = "/api/v1/people/{username}/trackers";
pub const API_PERSON_PROJECTS: &str = "/api/v1/people/{username}/projects";
/// Orchard's own JSON-LD context (the terms it adds to ActivityStreams and ForgeFed).
pub const ORCHARD_CONTEXT: &str = "/ns";
