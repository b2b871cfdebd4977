//! Factories and capabilities over real HTTP with two instances: approved admins create
//! Factories; invitations of local and remote people; creation of resources through a Factory
//! by local and remote people; every capability failure is a Reject that creates nothing; a
//! restart keeps Factories, Grants and their state.

#[path = "../common/mod.rs"]
mod common;

mod calls;
mod factories;
mod failures;

use calls::{create, created};
use common::forge::{invite_and_accept, world, B_SETTINGS};
use common::Instance;
use serde_json::json;

#[tokio::test]
async fn local_and_remote_people_create_resources_through_the_factory() {
    let mut w = world().await;
    let b = Instance::start("b", B_SETTINGS).await;
    let alice = w.a.register("alice").await;
    b.register("bob").await;
    let alice_grant = invite_and_accept(&w, &w.a, "alice", "write", json!({})).await;
    let bob_grant = invite_and_accept(&w, &b, "bob", "write", json!({})).await;

    let answer = create(&w, &w.a, "alice", "Repository", "Tree Sim", &alice_grant).await;
    let repo = created(&answer);
    assert_eq!(repo, w.a.at("/repos/tree-sim"));
    let (s, doc) = w.a.get_ap(&repo).await;
    assert_eq!(s, 200);
    assert_eq!(doc["type"], "Repository");
    assert_eq!(doc["name"], "Tree Sim");
    assert!(
        w.a.data_dir().join("repos/tree-sim.git/HEAD").exists(),
        "bare repository initialised"
    );
    let admin_grant =
        w.a.grant_on("alice", &repo, "active", 10)
            .await
            .expect("admin Grant on the repo");
    assert_eq!(admin_grant["object"], "admin");
    assert_eq!(admin_grant["actor"], repo);
    assert_eq!(admin_grant["fulfills"], answer["object"]["id"]);
    assert_eq!(admin_grant["target"], alice);

    // bob on B creates a Repository and a Project on A.
    let bobs_repo = created(&create(&w, &b, "bob", "Repository", "Bob's Repo", &bob_grant).await);
    assert!(bobs_repo.starts_with(&w.a.url));
    assert!(
        b.grant_on("bob", &bobs_repo, "active", 10).await.is_some(),
        "bob on B holds admin on A's repo"
    );
    let project = created(&create(&w, &b, "bob", "Project", "Orchard", &bob_grant).await);
    assert_eq!(w.a.get_ap(&project).await.1["type"], "Project");
    // A second repository with the same name gets its own id.
    let second = created(&create(&w, &w.a, "alice", "Repository", "Tree Sim", &alice_grant).await);
    assert_ne!(second, repo);

    // The Factory's grants collection lists every Grant with its state.
    let issued = w.a.collection(&format!("{}/grants", w.factory), None).await;
    assert_eq!(issued.len(), 3, "admin, alice, bob");

    // A restart keeps Factories, Grants and their state; the Grants still work.
    w.a.restart().await;
    assert_eq!(w.a.get_ap(&w.factory).await.0, 200);
    assert_eq!(
        w.a.collection(&format!("{}/grants", w.factory), None).await,
        issued
    );
    created(&create(&w, &w.a, "alice", "TicketTracker", "Bugs", &alice_grant).await);
    let _ = &w.admin;
}
