//! The instance that is backed up: A with its Factory, alice holding write with a repository she
//! pushed to over SSH, a ticket tracker with her ticket, her star of the repository, a remote
//! follower of hers; and what clients see of it (`Seen`: documents, collections, refs).

use crate::common::forge::{create_via_factory, with_repo, World};
use crate::common::git::{ok, path_of, work_tree, GitUser};
use crate::common::remote::{FakeRemote, Sign};
use crate::common::{eventually, Instance};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub struct Site {
    pub w: World,
    pub alice: GitUser,
    pub alice_token: String,
    pub repo: String,
    pub tracker: String,
    pub ticket: String,
    pub remote: std::sync::Arc<FakeRemote>,
    pub work: tempfile::TempDir,
    pub tree: PathBuf,
}

impl Site {
    /// The documents compared before and after.
    pub fn documents(&self) -> Vec<String> {
        let a = &self.w.a;
        vec![
            a.at("/people/admin"),
            a.at("/people/alice"),
            self.w.factory.clone(),
            self.repo.clone(),
            self.tracker.clone(),
            self.ticket.clone(),
        ]
    }

    /// The collections compared before and after (none of which the load changes).
    pub fn collections(&self) -> Vec<String> {
        vec![
            format!("{}/followers", self.w.a.at("/people/alice")),
            format!("{}/grants", self.w.a.at("/people/alice")),
            format!("{}/likes", self.repo),
            format!("{}/tickets", self.tracker),
        ]
    }

    pub fn ssh_url(&self) -> String {
        self.alice.url(&path_of(&self.repo))
    }
}

/// Builds the site.
pub async fn site() -> Site {
    let (w, alice, repo) = with_repo("tree-sim").await;
    let work = tempfile::tempdir().unwrap();
    let tree = work_tree(work.path(), "w", 3);
    ok(alice.git(&tree, &["push", "-q", &alice.url(&path_of(&repo)), "main"]));
    let (factory, grant) = (w.factory.clone(), w.admin_grant.clone());
    let answer = create_via_factory(
        &w.a,
        "admin",
        &factory,
        "TicketTracker",
        "Bugs",
        Some(&grant),
    );
    let answer = answer.await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let tracker = answer["result"].as_str().unwrap().to_string();
    let alice_token = w.a.login("alice").await;
    let ticket = open_ticket(&w.a, &alice_token, &tracker).await;
    let like = json!({"type": "Like", "object": repo});
    assert_eq!(w.a.post_outbox("alice", &alice_token, &like).await.0, 201);
    let likes = format!("{repo}/likes");
    assert!(eventually(10, || async { w.a.total(&likes, None).await == 1 }).await);
    let remote = std::sync::Arc::new(FakeRemote::start());
    let alice_iri = w.a.at("/people/alice");
    let follow = serde_json::to_vec(&json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/follows/1", remote.actor("mallory")), "type": "Follow",
        "actor": remote.actor("mallory"), "object": alice_iri}))
    .unwrap();
    let inbox = format!("{alice_iri}/inbox");
    let (s, body) = remote.post(&inbox, &follow, &Sign::by("mallory")).await;
    assert_eq!(s, 202, "{body}");
    let followers = format!("{alice_iri}/followers");
    assert!(eventually(10, || async { w.a.total(&followers, None).await == 1 }).await);
    Site {
        w,
        alice,
        alice_token,
        repo,
        tracker,
        ticket,
        remote,
        work,
        tree,
    }
}

async fn open_ticket(a: &Instance, token: &str, tracker: &str) -> String {
    let offer = json!({"type": "Offer", "to": [tracker], "target": tracker,
        "object": {"type": "Ticket", "summary": "It breaks", "content": "<p>details</p>"}});
    let (s, body) = a.post_outbox("alice", token, &offer).await;
    assert_eq!(s, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let accept = a
        .find_in_inbox("alice", token, 15, |v| {
            v["type"] == "Accept" && v["object"]["id"] == id
        })
        .await
        .expect("the tracker accepted the ticket");
    accept["result"].as_str().unwrap().to_string()
}

/// What a client sees of the site.
#[derive(Debug, PartialEq)]
pub struct Seen {
    pub documents: BTreeMap<String, Value>,
    pub collections: BTreeMap<String, Vec<Value>>,
    /// `git ls-remote` of the repository over SSH: ref name -> commit.
    pub refs: BTreeMap<String, String>,
}

/// The refs of the site's repository, over SSH as alice.
pub fn refs(site: &Site) -> BTreeMap<String, String> {
    let out = ok(site
        .alice
        .git(site.work.path(), &["ls-remote", &site.ssh_url()]));
    out.lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(sha, name)| (name.to_string(), sha.to_string()))
        .collect()
}

/// What `inst` (A, or the instance restored from its backup) serves of the site.
pub async fn seen(site: &Site, inst: &Instance) -> Seen {
    let mut documents = BTreeMap::new();
    for d in site.documents() {
        let (s, doc) = inst.get_ap(&d).await;
        assert_eq!(s, 200, "GET {d}: {doc}");
        documents.insert(d, doc);
    }
    let mut collections = BTreeMap::new();
    for c in site.collections() {
        collections.insert(c.clone(), inst.collection(&c, None).await);
    }
    Seen {
        documents,
        collections,
        refs: refs(site),
    }
}
