//! Every IRI this instance publishes resolves. A busy instance (a Factory, a Repository pushed
//! to over SSH with a branch deleted since, a TicketTracker with a ticket and a comment, a
//! Project, stars, follows, SSH keys) is walked from its instance actor, WebFinger, NodeInfo and
//! actor documents: every IRI of this origin found in any document served is dereferenced
//! (`Accept: application/activity+json`), transitively, anonymously and as a local person. Each
//! must answer 200, 410 (a deleted branch) or the documented 401/403 of an inbox; a fragment IRI
//! (`#main-key`) must name an object of its document. `IRI_WALK_DEBUG=1` prints every document.

mod common;

use actors::urls::{captures, routes};
use common::forge::{create_via_factory, with_repo, World};
use common::git::{commit, ok, work_tree, GitUser};
use common::{client, eventually};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use url::Url;

/// Upper bound on the IRIs one walk dereferences (the instance is small: a runaway walk fails).
const MAX_IRIS: usize = 3000;

struct Busy {
    w: World,
    alice_token: String,
    /// Every local person's token: admin, alice, bob.
    tokens: Vec<String>,
    seeds: Vec<String>,
    /// The IRIs the setup knows Orchard must publish: each must be reached by the walk.
    expected: Vec<String>,
}

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

async fn busy_instance() -> Busy {
    let (w, alice, repo) = with_repo("Walked").await;
    let alice_token = w.a.login("alice").await;
    w.a.register("bob").await;
    let bob_token = w.a.login("bob").await;
    let bob_keys = GitUser::register(&w.a, &bob_token).await;
    let alice_iri = w.a.at("/people/alice");
    // Follows (alice follows the repository, so she may read its followers-only Pushes).
    post(
        &w,
        "alice",
        &alice_token,
        json!({"type": "Follow", "object": repo}),
    )
    .await;
    post(
        &w,
        "bob",
        &bob_token,
        json!({"type": "Follow", "object": alice_iri}),
    )
    .await;
    let followers = format!("{repo}/followers");
    assert!(eventually(10, || async { w.a.total(&followers, None).await == 1 }).await);
    let main = push_branches(&alice, &repo);
    let token = alice_token.clone();
    let pushed = w.a.find_in_inbox("alice", &token, 15, |v| {
        v["type"] == "Push" && v["target"]["name"] == "topic"
    });
    assert!(pushed.await.is_some(), "alice received the Push of topic");
    // A star, a ticket with a comment, a project.
    post(
        &w,
        "bob",
        &bob_token,
        json!({"type": "Like", "object": repo}),
    )
    .await;
    let tracker = create(&w, "TicketTracker", "Bugs").await;
    let project = create(&w, "Project", "Orchard").await;
    let offer = json!({"type": "Offer", "to": [tracker], "target": tracker,
        "object": {"type": "Ticket", "summary": "It breaks", "content": "<p>details</p>"}});
    post(&w, "alice", &alice_token, offer).await;
    let tickets = format!("{tracker}/tickets");
    assert!(eventually(10, || async { w.a.total(&tickets, None).await == 1 }).await);
    let ticket = format!("{tracker}/tickets/1");
    let note = json!({"type": "Create", "object": {"type": "Note", "context": ticket,
        "content": "Same here"}});
    post(&w, "bob", &bob_token, note).await;
    let discussion = format!("{ticket}/discussion");
    assert!(eventually(10, || async { w.a.total(&discussion, None).await == 1 }).await);
    drop(bob_keys);
    let tokens = vec![w.admin_token.clone(), alice_token.clone(), bob_token];
    let mut seeds = vec![
        w.a.at("/actor"),
        w.a.at("/.well-known/nodeinfo"),
        w.a.at(&format!(
            "/.well-known/webfinger?resource=acct:alice@{}",
            authority(&w)
        )),
        w.a.at(&format!("/.well-known/webfinger?resource={repo}")),
    ];
    // Every actor, as WebFinger finds it.
    for actor in [&w.admin, &alice_iri, &w.factory, &repo, &tracker, &project] {
        seeds.push(w.a.at(&format!("/.well-known/webfinger?resource={actor}")));
    }
    let expected = vec![
        format!("{repo}/commits/{main}"),
        format!("{repo}/branches/main"),
        format!("{repo}/branches/topic"),
        w.a.at("/actor/outbox"),
        format!("{ticket}/comments/1"),
        project,
        w.factory.clone(),
        w.a.at("/people/bob"),
    ];
    Busy {
        w,
        alice_token,
        tokens,
        seeds,
        expected,
    }
}

fn authority(w: &World) -> String {
    let u = Url::parse(&w.a.at("/")).unwrap();
    format!("{}:{}", u.host_str().unwrap(), u.port().unwrap())
}

/// Every string in `doc` (at any depth) that is an http(s) IRI of `origin`.
fn local_iris(doc: &Value, origin: &Url, out: &mut Vec<String>) {
    match doc {
        Value::String(s) => {
            if let Ok(u) = Url::parse(s) {
                if u.origin() == origin.origin() {
                    out.push(s.clone());
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| local_iris(v, origin, out)),
        Value::Object(map) => map.values().for_each(|v| local_iris(v, origin, out)),
        _ => {}
    }
}

/// Whether `doc` holds, at any depth, an object whose `id` is `iri`.
fn names(doc: &Value, iri: &str) -> bool {
    match doc {
        Value::Array(items) => items.iter().any(|v| names(v, iri)),
        Value::Object(map) => {
            map.get("id") == Some(&json!(iri)) || map.values().any(|v| names(v, iri))
        }
        _ => false,
    }
}

async fn get(url: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = client()
        .get(url)
        .header("Accept", "application/activity+json");
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("GET");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// What one walk saw: the status of every IRI, and the fragment IRIs (with their documents').
#[derive(Default)]
struct Walked {
    status: BTreeMap<String, u16>,
    fragments: BTreeSet<String>,
    /// Where each IRI was first found.
    found_in: BTreeMap<String, String>,
}

/// Dereferences every IRI of the instance's origin reachable from `seeds`.
async fn walk(origin: &Url, seeds: &[String], token: Option<&str>) -> Walked {
    let mut walked = Walked::default();
    let mut docs: BTreeMap<String, Value> = BTreeMap::new();
    let mut queue: VecDeque<String> = seeds.iter().cloned().collect();
    let mut queued: BTreeSet<String> = queue.iter().cloned().collect();
    while let Some(iri) = queue.pop_front() {
        assert!(walked.status.len() < MAX_IRIS, "the walk does not end");
        let mut doc_url = Url::parse(&iri).unwrap();
        let fragment = doc_url.fragment().is_some();
        doc_url.set_fragment(None);
        if !docs.contains_key(doc_url.as_str()) {
            let (status, body) = get(doc_url.as_str(), token).await;
            walked.status.insert(doc_url.to_string(), status);
            let mut found = Vec::new();
            if status == 200 {
                local_iris(&body, origin, &mut found);
            }
            for next in found {
                if queued.insert(next.clone()) {
                    walked.found_in.insert(next.clone(), doc_url.to_string());
                    queue.push_back(next);
                }
            }
            if std::env::var("IRI_WALK_DEBUG").is_ok() {
                eprintln!("=== {doc_url} {status}\n{body}");
            }
            docs.insert(doc_url.to_string(), body);
        }
        if fragment {
            let doc = &docs[doc_url.as_str()];
            assert!(names(doc, &iri), "{doc_url} has no object {iri}: {doc}");
            walked
                .status
                .insert(iri.clone(), walked.status[doc_url.as_str()]);
            walked.fragments.insert(iri);
        }
    }
    walked
}

/// The route pattern an IRI has (`page` for a collection page), for the report.
fn kind_of(iri: &str) -> &'static str {
    let u = Url::parse(iri).unwrap();
    if u.fragment().is_some() {
        return "fragment";
    }
    if u.query().is_some_and(|q| q.starts_with("page=")) {
        return "page";
    }
    let all = [
        ("instance actor", routes::INSTANCE_ACTOR),
        ("instance inbox", routes::INSTANCE_INBOX),
        ("instance outbox", routes::INSTANCE_OUTBOX),
        ("shared inbox", routes::SHARED_INBOX),
        ("nodeinfo", routes::NODEINFO),
        ("nodeinfo links", routes::NODEINFO_LINKS),
        ("webfinger", routes::WEBFINGER),
        ("actor", routes::ACTOR),
        ("key", routes::KEY),
        ("inbox", routes::INBOX),
        ("commit", routes::COMMIT),
        ("branch", routes::BRANCH),
        ("ssh key", routes::SSH_KEY),
        ("activity", routes::ACTIVITY),
        ("tickets", routes::TICKETS),
        ("ticket", routes::TICKET),
        ("ticket discussion", routes::TICKET_DISCUSSION),
        ("ticket followers", routes::TICKET_FOLLOWERS),
        ("ticket comment", routes::TICKET_COMMENT),
        ("collection", routes::COLLECTION),
    ];
    all.into_iter()
        .find(|(_, pattern)| captures(pattern, u.path()).is_some())
        .map_or("other", |(name, _)| name)
}

/// Whether some local person's token reads `iri` (200).
async fn readable_by_someone(iri: &str, tokens: &[String]) -> bool {
    for t in tokens {
        if get(iri, Some(t)).await.0 == 200 {
            return true;
        }
    }
    false
}

/// Each status is 200, 410, or the documented 401/403 of an inbox, or the documented 404 of an
/// activity the reader is not an audience of (`GET {actor}/activities/{id}`: existence does
/// not leak), when one of its audience reads it. Answers the count per kind.
async fn check(walked: &Walked, who: &str, tokens: &[String]) -> BTreeMap<&'static str, usize> {
    let mut kinds = BTreeMap::new();
    let mut hidden = 0;
    for (iri, status) in &walked.status {
        let kind = kind_of(iri);
        *kinds.entry(kind).or_insert(0) += 1;
        let inbox = matches!(kind, "inbox" | "instance inbox" | "shared inbox");
        let fine = match status {
            200 | 410 => true,
            401 | 403 => inbox,
            404 if kind == "activity" && readable_by_someone(iri, tokens).await => {
                hidden += 1;
                true
            }
            _ => false,
        };
        let parent = walked.found_in.get(iri).map_or("a seed", String::as_str);
        assert!(
            fine,
            "{who}: GET {iri} ({kind}), found in {parent}, answered {status}"
        );
    }
    let n = walked.status.len();
    eprintln!("{who}: {n} IRIs walked ({hidden} activities not theirs to read): {kinds:?}");
    kinds
}

#[tokio::test]
async fn every_published_iri_resolves() {
    let busy = busy_instance().await;
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
    for iri in &busy.expected {
        assert!(
            as_alice.status.contains_key(iri),
            "the walk never reached {iri}"
        );
    }
    let gone = format!("{}/branches/topic", busy.w.a.at("/repos/walked"));
    assert_eq!(
        as_alice.status.get(&gone),
        Some(&410),
        "a deleted branch is gone"
    );
    assert_eq!(anonymous.status[&busy.w.a.at("/people/alice/inbox")], 401);
    assert_eq!(as_alice.status[&busy.w.a.at("/people/alice/inbox")], 200);
    assert!(as_alice
        .fragments
        .contains(&busy.w.a.at("/people/alice#main-key")));
    assert!(as_alice.fragments.contains(&busy.w.a.at("/actor#main-key")));
    for kind in [
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
    ] {
        assert!(
            kinds.contains_key(kind),
            "no {kind} IRI was walked: {kinds:?}"
        );
    }
    assert_eq!(kinds.get("other"), None, "every IRI has a known shape");
}
