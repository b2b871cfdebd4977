//! The merge requests tests' world: three instances (A: alice's repository and PatchTracker; B:
//! bob, who forks it; C: carol, who reviews and follows). Every instance has a resident Factory
//! "main" (every new person holds `write` on it) that creates Repositories and PatchTrackers;
//! posting through an outbox and waiting for a resource's Accept or Reject; the spec's examples
//! (vectors) with their IRIs swapped; git over SSH with each person's key.

use crate::common::git::{git_in, ok, GitUser};
use crate::common::{eventually, Instance};
use serde_json::{json, Value};
use std::path::Path;

/// An instance with a resident Factory "main" whose admin the operator created.
pub const SETTINGS: &str = "[accounts]\nfactory_creators = [\"admin\"]\n\
    resident_factories = [\"main\"]\n[federation]\nallow_private_addresses = true\n";

/// What the Factories create.
pub const TYPES: [&str; 3] = ["Repository", "TicketTracker", "PatchTracker"];

/// Starts an instance whose admin creates the resident Factory "main"; answers it and the
/// Factory's IRI.
pub async fn site(name: &str) -> (Instance, String) {
    let inst = Instance::start_with_accounts(name, SETTINGS, &["admin"]).await;
    let token = inst.login("admin").await;
    let create = json!({"type": "Create",
        "object": {"type": "Factory", "name": "main", "availableActorTypes": TYPES}});
    let (s, body) = inst.post_outbox("admin", &token, &create).await;
    assert_eq!(s, 201, "{body}");
    let factory = inst.at("/factories/main");
    assert!(
        inst.grant_on("admin", &factory, "active", 10)
            .await
            .is_some(),
        "the Factory grants its creator admin"
    );
    (inst, factory)
}

/// Registers `user` on `inst`; answers their IRI and the id of their resident `write` Grant on
/// `factory`.
pub async fn person(inst: &Instance, factory: &str, user: &str) -> (String, String) {
    let iri = inst.register(user).await;
    let grant = inst.grant_on(user, factory, "active", 10).await;
    let grant = grant.expect("the resident Factory grants write");
    (iri, grant["id"].as_str().unwrap_or_default().to_string())
}

/// `user` posts `activity` through their outbox; answers its id.
pub async fn send(inst: &Instance, user: &str, activity: &Value) -> String {
    let token = inst.login(user).await;
    let (s, body) = inst.post_outbox(user, &token, activity).await;
    assert_eq!(s, 201, "{body}");
    body["id"].as_str().unwrap_or_default().to_string()
}

/// `user` posts `activity`; answers its id and the Accept or Reject of it by `from`.
pub async fn post(inst: &Instance, user: &str, from: &str, activity: &Value) -> (String, Value) {
    let id = send(inst, user, activity).await;
    let answer = answer(inst, user, from, &id).await;
    (
        id.clone(),
        answer.unwrap_or_else(|| panic!("no answer to {id}")),
    )
}

/// The Accept or Reject by `from` of the activity `id`, from `user`'s inbox.
pub async fn answer(inst: &Instance, user: &str, from: &str, id: &str) -> Option<Value> {
    let token = inst.login(user).await;
    inst.find_in_inbox(user, &token, 20, |v| {
        v["actor"] == from
            && (v["type"] == "Accept" || v["type"] == "Reject")
            && (v["object"]["id"] == id || v["object"] == id)
    })
    .await
}

/// `user` creates a `kind` named `name` through `factory` (with `extra` fields in the object,
/// e.g. `origin`, then addressed to the origin too); answers the Factory's Accept or Reject.
pub async fn create(
    inst: &Instance,
    user: &str,
    (factory, grant): (&str, &str),
    (kind, name): (&str, &str),
    extra: Value,
) -> Value {
    let mut object = json!({"type": kind, "name": name});
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        object[k] = v;
    }
    let mut create =
        json!({"type": "Create", "to": [factory], "object": object, "capability": grant});
    if let Some(origin) = object["origin"].as_str() {
        // A fork's Create addresses its origin, which lists the fork once it sees the Accept.
        create["cc"] = json!([origin]);
    }
    post(inst, user, factory, &create).await.1
}

/// The result of an Accept (a new resource's IRI), or a panic naming the answer.
pub fn result(answer: &Value) -> String {
    assert_eq!(answer["type"], "Accept", "{answer}");
    answer["result"].as_str().expect("result").to_string()
}

/// `answer` is a Reject whose summary says `reason`.
pub fn rejected(answer: &Value, reason: &str) {
    assert_eq!(answer["type"], "Reject", "{answer}");
    let summary = answer["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains(reason),
        "{summary:?} should say {reason:?}"
    );
}

/// A ForgeFed spec example with its IRIs swapped (in the order given) and its `id` removed.
pub fn vector(name: &str, swaps: &[(&str, &str)]) -> Value {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/tests/vectors/forgefed-spec"
    );
    let mut text = std::fs::read_to_string(format!("{dir}/{name}")).expect("vector");
    for (from, to) in swaps {
        text = text.replace(from, to);
    }
    let mut v: Value = serde_json::from_str(&text).expect("vector JSON");
    v.as_object_mut().expect("object").remove("id");
    v
}

/// A Branch object of `repo`.
pub fn branch(repo: &str, name: &str) -> Value {
    json!({"type": "Branch", "context": repo, "name": name, "ref": format!("refs/heads/{name}")})
}

/// The document of `iri`, which must answer 200.
pub async fn doc(inst: &Instance, iri: &str) -> Value {
    let (s, doc) = inst.get_ap(iri).await;
    assert_eq!(s, 200, "GET {iri}: {doc}");
    doc
}

/// `branch` of the repository `clone_uri`, read with `git ls-remote` over smart HTTP (None
/// when it has no such branch).
pub fn remote_head(clone_uri: &str, branch: &str) -> Option<String> {
    let cwd = std::env::temp_dir();
    let reference = format!("refs/heads/{branch}");
    let listed = ok(git_in(&cwd, &["ls-remote", clone_uri, &reference], None));
    listed.split_whitespace().next().map(str::to_string)
}

/// The parents of `commit` as `git` sees them in a fresh clone of `clone_uri`.
pub fn parents(clone_uri: &str, commit: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    ok(git_in(
        tmp.path(),
        &["clone", "-q", "--bare", clone_uri, "c.git"],
        None,
    ));
    let dir = tmp.path().join("c.git");
    let out = ok(git_in(&dir, &["show", "-s", "--format=%P", commit], None));
    out.split_whitespace().map(str::to_string).collect()
}

/// Clones `repo` over SSH as `user` into `dir`.
pub fn clone(user: &GitUser, repo: &str, parent: &std::path::Path, dir: &str) {
    let path = crate::common::git::path_of(repo);
    ok(user.git(parent, &["clone", "-q", &user.url(&path), dir]));
}

/// The Repository-PatchTracker link (spec "Repository-PatchTracker Links"): alice, admin of
/// both, invites the tracker to `write` on the repository and accepts for the tracker; then
/// the repository says `sendPatchesTo` and the tracker `tracksPatchesFor`.
pub async fn link(a: &Instance, repo: &str, tracker: &str, grants: (&str, &str)) {
    let (alice_on_repo, alice_on_tracker) = grants;
    let invite = json!({"type": "Invite", "object": tracker, "instrument": "write",
        "target": repo, "capability": alice_on_repo});
    let invite_id = send(a, "alice", &invite).await;
    let accept = json!({"type": "Accept", "object": invite_id, "to": [tracker],
        "capability": alice_on_tracker});
    send(a, "alice", &accept).await;
    let linked = eventually(20, || async {
        let (r, t) = (doc(a, repo).await, doc(a, tracker).await);
        r["sendPatchesTo"] == tracker && t["tracksPatchesFor"] == json!([repo])
    });
    assert!(linked.await, "the repository and the tracker are linked");
}

/// alice's linked Repository and PatchTracker, with `main` pushed: what `linked` answers.
pub struct Linked {
    pub repo: String,
    pub tracker: String,
    /// alice's admin Grant on the tracker.
    pub on_tracker: String,
    /// alice's work tree.
    pub work: std::path::PathBuf,
}

/// alice (registered, holding `grant` on `factory`) creates a Repository and a PatchTracker,
/// links them and pushes `main` of a new work tree in `parent` over SSH; then, if given, a
/// branch `topic` with a commit of its own (`<topic>.txt`).
pub async fn linked(
    a: &Instance,
    (factory, grant): (&str, &str),
    parent: &Path,
    topic: Option<&str>,
) -> Linked {
    let alices = (factory, grant);
    let repo = result(&create(a, "alice", alices, ("Repository", "Tree"), json!({})).await);
    let kind = ("PatchTracker", "Tree Patches");
    let tracker = result(&create(a, "alice", alices, kind, json!({})).await);
    let grant_id = |g: Option<Value>| g.expect("a Grant")["id"].as_str().unwrap().to_string();
    let on_repo = grant_id(a.grant_on("alice", &repo, "active", 10).await);
    let on_tracker = grant_id(a.grant_on("alice", &tracker, "active", 10).await);
    link(a, &repo, &tracker, (&on_repo, &on_tracker)).await;
    let git = GitUser::register(a, &a.login("alice").await).await;
    let work = crate::common::git::work_tree(parent, "alice", 1);
    let url = git.url(&crate::common::git::path_of(&repo));
    ok(git.git(&work, &["push", "-q", &url, "main"]));
    if let Some(topic) = topic {
        ok(git.git(&work, &["checkout", "-q", "-b", topic]));
        crate::common::git::commit(&work, &format!("{topic}.txt"), "a topic");
        ok(git.git(&work, &["push", "-q", &url, topic]));
    }
    Linked {
        repo,
        tracker,
        on_tracker,
        work,
    }
}
