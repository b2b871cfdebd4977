//! Every IRI this instance publishes resolves. A busy instance (a Factory, a Repository pushed
//! to over SSH with a branch deleted since, a TicketTracker with a ticket and a comment, a
//! Project, a star, follows, SSH keys) is walked from its instance actor, NodeInfo and the
//! WebFinger answer for every actor: every IRI of this origin found in any document served is
//! dereferenced (`Accept: application/activity+json`), transitively, anonymously and as each
//! local person. Each must answer 200, 410 (a deleted branch) or the documented 401/403 of an
//! inbox; a 404 only for an activity the reader is not an audience of (documented in API.md:
//! existence does not leak) and that one of its audience reads. A fragment IRI (`#main-key`) must
//! name an object of its document. `IRI_WALK_DEBUG=1` prints every document walked.

mod common;
#[path = "iri_walk/walker.rs"]
mod walker;

use common::eventually;
use common::forge::{create_via_factory, with_repo, World};
use common::git::{commit, ok, work_tree, GitUser};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use url::Url;
use walker::{check, walk, Walked};

struct Busy {
    w: World,
    repo: String,
    /// Every local person's token: admin, alice, bob.
    tokens: Vec<String>,
    seeds: Vec<String>,
    /// The IRIs the setup knows Orchard must publish: each must be reached by the walk.
    expected: Vec<String>,
}

/// The route kinds (see `walker::kind_of`) the walks together must have met.
const KINDS: [&str; 19] = [
    "actor",
    "key",
    "inbox",
    "collection",
    "page",
    "activity",
    "commit",
    "branch",
    "ssh key",
    "tickets",
    "ticket",
    "ticket discussion",
    "ticket followers",
    "ticket comment",
    "instance actor",
    "instance inbox",
    "instance outbox",
    "shared inbox",
    "nodeinfo",
];

/// `who` posts `activity` to their outbox; answers its id.
async fn post(w: &World, who: &str, token: &str, activity: Value) -> String {
    let (s, body) = w.a.post_outbox(who, token, &activity).await;
    assert_eq!(s, 201, "{activity}: {body}");
    body["id"].as_str().unwrap().to_string()
}

/// The admin creates a resource of `kind` through the Factory; answers its IRI.
async fn create(w: &World, kind: &str, name: &str) -> String {
    let answer =
        create_via_factory(&w.a, "admin", &w.factory, kind, name, Some(&w.admin_grant)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    answer["result"].as_str().unwrap().to_string()
}

async fn until_total(w: &World, collection: &str, n: u64) {
    let reached = eventually(10, || async { w.a.total(collection, None).await == n }).await;
    assert!(reached, "{collection} reaches {n} items");
}

/// alice pushes `main` and `topic` over SSH, then deletes `topic`; answers the commit of main.
fn push_branches(alice: &GitUser, repo: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 2);
    let url = alice.url(Url::parse(repo).unwrap().path());
    ok(alice.git(&src, &["push", &url, "main"]));
    ok(alice.git(&src, &["checkout", "-q", "-b", "topic"]));
    commit(&src, "topic.txt", "a topic");
    ok(alice.git(&src, &["push", &url, "topic"]));
    ok(alice.git(&src, &["push", &url, ":topic"]));
    common::git::rev(&src, "main")
}

/// Follows (alice follows the repository, so she may read its followers-only Pushes, and bob
/// follows alice), then alice's pushes; answers the commit of main.
async fn follow_and_push(w: &World, alice: &GitUser, repo: &str, tokens: &[String]) -> String {
    let alice_iri = w.a.at("/people/alice");
    post(
        w,
        "alice",
        &tokens[1],
        json!({"type": "Follow", "object": repo}),
    )
    .await;
    post(
        w,
        "bob",
        &tokens[2],
        json!({"type": "Follow", "object": alice_iri}),
    )
    .await;
    until_total(w, &format!("{repo}/followers"), 1).await;
    let main = push_branches(alice, repo);
    let pushed = w.a.find_in_inbox("alice", &tokens[1], 15, |v| {
        v["type"] == "Push" && v["target"]["name"] == "topic"
    });
    assert!(pushed.await.is_some(), "alice received the Push of topic");
    main
}

/// bob stars the repository; alice opens a ticket on which bob comments. Answers the ticket.
async fn star_and_ticket(w: &World, repo: &str, tracker: &str, tokens: &[String]) -> String {
    post(
        w,
        "bob",
        &tokens[2],
        json!({"type": "Like", "object": repo}),
    )
    .await;
    let offer = json!({"type": "Offer", "to": [tracker], "target": tracker,
        "object": {"type": "Ticket", "summary": "It breaks", "content": "<p>details</p>"}});
    post(w, "alice", &tokens[1], offer).await;
    until_total(w, &format!("{tracker}/tickets"), 1).await;
    let ticket = format!("{tracker}/tickets/1");
    let note = json!({"type": "Create", "object": {"type": "Note", "context": ticket,
        "content": "Same here"}});
    post(w, "bob", &tokens[2], note).await;
    until_total(w, &format!("{ticket}/discussion"), 1).await;
    ticket
}

async fn busy_instance() -> Busy {
    let (w, alice, repo) = with_repo("Walked").await;
    w.a.register("bob").await;
    let tokens = vec![
        w.admin_token.clone(),
        w.a.login("alice").await,
        w.a.login("bob").await,
    ];
    GitUser::register(&w.a, &tokens[2]).await;
    let main = follow_and_push(&w, &alice, &repo, &tokens).await;
    let tracker = create(&w, "TicketTracker", "Bugs").await;
    let project = create(&w, "Project", "Orchard").await;
    let ticket = star_and_ticket(&w, &repo, &tracker, &tokens).await;
    let host = Url::parse(&w.a.at("/")).unwrap();
    let acct = format!(
        "acct:alice@{}:{}",
        host.host_str().unwrap(),
        host.port().unwrap()
    );
    let mut seeds = vec![w.a.at("/actor"), w.a.at("/.well-known/nodeinfo")];
    // Every actor, as WebFinger finds it.
    let alice_iri = w.a.at("/people/alice");
    for actor in [
        &acct, &w.admin, &alice_iri, &w.factory, &repo, &tracker, &project,
    ] {
        seeds.push(w.a.at(&format!("/.well-known/webfinger?resource={actor}")));
    }
    let expected = vec![
        format!("{repo}/commits/{main}"),
        format!("{repo}/branches/main"),
        format!("{repo}/branches/topic"),
        w.a.at("/actor/outbox"),
        format!("{ticket}/comments/1"),
        project,
        w.a.at("/people/bob"),
    ];
    Busy {
        w,
        repo,
        tokens,
        seeds,
        expected,
    }
}

/// Walks anonymously and as each person; answers the anonymous walk, alice's, and the count
/// of IRIs per kind over the personal walks.
async fn walk_all(busy: &Busy) -> (Walked, Walked, BTreeMap<&'static str, usize>) {
    let origin = Url::parse(&busy.w.a.at("/")).unwrap();
    let anonymous = walk(&origin, &busy.seeds, None).await;
    check(&anonymous, "anonymous", &busy.tokens).await;
    let mut kinds = BTreeMap::new();
    let mut as_alice = Walked::default();
    for (who, token) in ["admin", "alice", "bob"].into_iter().zip(&busy.tokens) {
        let walked = walk(&origin, &busy.seeds, Some(token)).await;
        for (kind, n) in check(&walked, who, &busy.tokens).await {
            *kinds.entry(kind).or_insert(0) += n;
        }
        if who == "alice" {
            as_alice = walked;
        }
    }
    (anonymous, as_alice, kinds)
}

#[tokio::test]
async fn every_published_iri_resolves() {
    let busy = busy_instance().await;
    let (anonymous, as_alice, kinds) = walk_all(&busy).await;
    for iri in &busy.expected {
        let reached = as_alice.status.contains_key(iri);
        assert!(reached, "the walk never reached {iri}");
    }
    let gone = format!("{}/branches/topic", busy.repo);
    assert_eq!(
        as_alice.status.get(&gone),
        Some(&410),
        "a deleted branch is gone"
    );
    let inbox = busy.w.a.at("/people/alice/inbox");
    assert_eq!(anonymous.status[&inbox], 401);
    assert_eq!(as_alice.status[&inbox], 200);
    for key in ["/people/alice#main-key", "/actor#main-key"] {
        assert!(as_alice.fragments.contains(&busy.w.a.at(key)), "{key}");
    }
    for kind in KINDS {
        assert!(
            kinds.contains_key(kind),
            "no {kind} IRI was walked: {kinds:?}"
        );
    }
    assert_eq!(kinds.get("other"), None, "every IRI has a known shape");
}

/// The IRIs of things that never existed are 404; of things removed since, 410.
#[tokio::test]
async fn removed_keys_and_branches_are_gone_and_unknown_ones_not_found() {
    let inst = common::Instance::start("a", "").await;
    inst.register("alice").await;
    let token = inst.login("alice").await;
    GitUser::register(&inst, &token).await;
    let (_, person) = inst.get_ap(&inst.at("/people/alice")).await;
    let key = person["sshKey"][0]["id"]
        .as_str()
        .expect("an sshKey id")
        .to_string();
    let (status, doc) = walker::get(&key, None).await;
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["type"], "SshPublicKey");
    assert_eq!(doc["owner"], inst.at("/people/alice"));
    let (_, keys) = walker::get(&inst.at("/api/v1/ssh-keys"), Some(&token)).await;
    let fingerprint = keys[0]["fingerprint"].as_str().unwrap();
    let encoded = fingerprint
        .replace(':', "%3A")
        .replace('/', "%2F")
        .replace('+', "%2B");
    let res = common::client()
        .delete(inst.at(&format!("/api/v1/ssh-keys/{encoded}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(
        walker::get(&key, None).await.0,
        410,
        "a removed key is gone"
    );
    for never in [
        "/people/alice/ssh-keys/nothing",
        "/people/nobody/ssh-keys/nothing",
        "/repos/nothing/branches/main",
        "/repos/nothing/commits/0123456789012345678901234567890123456789",
    ] {
        assert_eq!(walker::get(&inst.at(never), None).await.0, 404, "{never}");
    }
}
