//! The fork tests' world: A (a resident Factory; its admin's Repository "Game" with `main`
//! pushed over SSH, linked to the PatchTracker "Patches"; "Plain", a repository without a
//! PatchTracker; "Secret", a private one) and B (a resident Factory every new person holds
//! `write` on, and bob).

use crate::common::forge::World;
use crate::common::git::{ok, path_of, work_tree, GitUser};
use crate::common::trackers::Linked;
use crate::common::{eventually, Instance};
use crate::mr_forge::{create, person, result, site};
use crate::pt_forge::{make, Forge};
use serde_json::{json, Value};

/// The two instances, and what A holds.
pub struct ForkWorld {
    pub f: Forge,
    /// B's resident Factory.
    pub b_factory: String,
    pub plain: String,
    pub secret: String,
    pub tmp: tempfile::TempDir,
}

pub async fn fork_world() -> ForkWorld {
    let (a, factory) = site("a").await;
    let admin_token = a.login("admin").await;
    let grant = a.grant_on("admin", &factory, "active", 10).await;
    let w = World {
        admin: a.at("/people/admin"),
        admin_grant: grant.expect("admin Grant")["id"].as_str().unwrap().into(),
        a,
        admin_token,
        factory,
    };
    let (repo, repo_grant) = make(&w, "Repository", "Game").await;
    let (tracker, tracker_grant) = make(&w, "PatchTracker", "Patches").await;
    let (plain, _) = make(&w, "Repository", "Plain").await;
    let admins = (w.factory.as_str(), w.admin_grant.as_str());
    let private = json!({"visibility": "private"});
    let secret = result(&create(&w.a, "admin", admins, ("Repository", "Secret"), private).await);
    let (b, b_factory) = site("b").await;
    person(&b, &b_factory, "bob").await;
    let f = Forge(Linked {
        w,
        b,
        repo,
        repo_grant,
        tracker,
        tracker_grant,
    });
    f.link().await;
    let tmp = tempfile::tempdir().unwrap();
    let git = GitUser::register(&f.w.a, &f.w.admin_token).await;
    let dir = work_tree(tmp.path(), "admin", 1);
    ok(git.git(&dir, &["push", "-q", &git.url(&path_of(&f.repo)), "main"]));
    ForkWorld {
        f,
        b_factory,
        plain,
        secret,
        tmp,
    }
}

impl ForkWorld {
    /// The document of `iri` (on either instance), which must answer 200.
    pub async fn doc(&self, iri: &str) -> Value {
        let (s, doc) = self.f.w.a.get_ap(iri).await;
        assert_eq!(s, 200, "GET {iri}: {doc}");
        doc
    }

    /// Waits for a fork's copy of its origin (its document's `originCopy`).
    pub async fn copied(&self, fork: &str) -> bool {
        eventually(30, || async {
            self.doc(fork).await["originCopy"].is_string()
        })
        .await
    }

    /// bob's SSH key on B; he clones `fork` into `bob`, commits on `branch` and pushes it.
    pub async fn bob_pushes(&self, fork: &str, branch: &str) {
        let b: &Instance = &self.f.b;
        let git = GitUser::register(b, &b.login("bob").await).await;
        crate::mr_forge::clone(&git, fork, self.tmp.path(), "bob");
        let dir = self.tmp.path().join("bob");
        ok(git.git(&dir, &["checkout", "-q", "-b", branch]));
        crate::common::git::commit(&dir, "fix.txt", "bob fixes the game");
        ok(git.git(&dir, &["push", "-q", "origin", branch]));
    }
}
