//! Factories and capabilities over real HTTP with two instances: approved admins create
//! Factories; invitations of local and remote people; creation of resources through a Factory
//! by local and remote people; every capability failure is a Reject that creates nothing; a
//! restart keeps Factories, Grants and their state.

mod common;

use common::forge::{create_via_factory, invite_and_accept, world, World, B_SETTINGS};
use common::Instance;
use serde_json::{json, Value};

/// `user` on `inst` asks A's Factory to create a `kind` named `name`, with the Grant `grant`;
/// answers the Accept or Reject that came back.
async fn create(
    w: &World,
    inst: &Instance,
    user: &str,
    kind: &str,
    name: &str,
    grant: &Value,
) -> Value {
    create_via_factory(inst, user, &w.factory, kind, name, grant["id"].as_str()).await
}

/// The resource that `answer` (to a Create through a Factory) created; it must be an Accept.
#[track_caller]
fn created(answer: &Value) -> String {
    assert_eq!(answer["type"], "Accept", "{answer}");
    let iri = answer["result"].as_str().expect("the created resource");
    iri.to_string()
}

fn repos_on_disk(inst: &Instance) -> usize {
    std::fs::read_dir(inst.data_dir().join("repos"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test]
async fn only_approved_admins_create_factories_and_only_admins_edit_them() {
    let w = world().await;
    let (s, doc) = w.a.get_ap(&w.factory).await;
    assert_eq!(s, 200);
    assert_eq!(doc["type"], "Factory");
    assert_eq!(
        doc["availableActorTypes"],
        json!(["Repository", "TicketTracker", "Project"])
    );

    w.a.register("alice").await;
    let token = w.a.login("alice").await;
    let (s, body) =
        w.a.post_outbox(
            "alice",
            &token,
            &json!({"type": "Create", "object": {"type": "Factory", "name": "Mine"}}),
        )
        .await;
    assert_eq!(s, 403, "{body}");
    assert!(body["error"].as_str().unwrap().contains("factory_creators"));
    assert_eq!(w.a.get_ap(&w.a.at("/factories/mine")).await.0, 404);
    assert_eq!(
        w.a.total(&w.a.at("/people/alice/outbox"), Some(&token))
            .await,
        0
    );
    // Bad Factory objects are refused too.
    for object in [
        json!({"type": "Factory"}),
        json!({"type": "Factory", "name": "x", "availableActorTypes": ["Person"]}),
    ] {
        let (s, _) =
            w.a.post_outbox(
                "admin",
                &w.admin_token,
                &json!({"type": "Create", "object": object}),
            )
            .await;
        assert_eq!(s, 400);
    }

    // alice (write) may not edit the Factory; the admin may.
    let grant = invite_and_accept(&w, &w.a, "alice", "write", json!({})).await;
    let edit = |cap: &str| json!({"type": "Edit", "object": {"id": w.factory, "availableActorTypes": ["Repository"]}, "capability": cap});
    let (s, body) =
        w.a.post_outbox("alice", &token, &edit(grant["id"].as_str().unwrap()))
            .await;
    assert_eq!(s, 201);
    let edit_id = body["id"].as_str().unwrap().to_string();
    let reject =
        w.a.find_in_inbox("alice", &token, 10, |v| {
            v["type"] == "Reject" && v["object"]["id"] == edit_id
        })
        .await;
    assert!(reject.expect("Reject")["summary"]
        .as_str()
        .unwrap()
        .contains("lower"));
    assert_eq!(
        w.a.get_ap(&w.factory).await.1["availableActorTypes"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let (s, _) = w.a.post_outbox("admin", &w.admin_token, &json!({"type": "Patch", "object": {"id": w.factory, "availableActorTypes": ["Repository"]}, "capability": w.admin_grant})).await;
    assert_eq!(s, 201);
    assert!(
        common::eventually(10, || async {
            w.a.get_ap(&w.factory).await.1["availableActorTypes"] == json!(["Repository"])
        })
        .await
    );
    // Now a TicketTracker is not available.
    let answer = create(&w, &w.a, "alice", "TicketTracker", "Bugs", &grant).await;
    assert_eq!(answer["type"], "Reject");
    assert!(
        answer["summary"]
            .as_str()
            .unwrap()
            .contains("does not create"),
        "{answer}"
    );
    assert_eq!(w.a.get_ap(&w.a.at("/trackers/bugs")).await.0, 404);
}

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

#[tokio::test]
async fn every_capability_failure_is_a_reject_and_creates_nothing() {
    let w = world().await;
    let b = Instance::start("b", B_SETTINGS).await;
    for u in ["alice", "carol", "dave", "erin", "frank"] {
        w.a.register(u).await;
    }
    let invite = |user, role, window| invite_and_accept(&w, &w.a, user, role, window);
    let alice = invite("alice", "write", json!({})).await;
    let dave = invite("dave", "report", json!({})).await;
    let ended = json!({"endTime": "2020-01-01T00:00:00Z"});
    let not_started = json!({"startTime": "2999-01-01T00:00:00Z"});
    let erin = invite("erin", "write", ended).await;
    let frank = invite("frank", "write", not_started).await;
    let carol = invite("carol", "write", json!({})).await;
    // carol is removed: her Grant is revoked and she is told.
    let (s, _) = w.a.post_outbox("admin", &w.admin_token, &json!({"type": "Remove", "object": w.a.at("/people/carol"), "origin": w.factory, "capability": w.admin_grant})).await;
    assert_eq!(s, 201);
    assert!(
        w.a.grant_on("carol", &w.factory, "revoked", 10)
            .await
            .is_some(),
        "carol's Grant marked revoked"
    );
    // alice gets a repository, whose admin Grant has the wrong context for the Factory.
    let repo = created(&create(&w, &w.a, "alice", "Repository", "Base", &alice).await);
    let repo_grant = w.a.grant_on("alice", &repo, "active", 10).await.unwrap();
    let before = repos_on_disk(&w.a);

    let id = |g: &Value| g["id"].as_str().unwrap().to_string();
    let cases: Vec<(&str, &str, Option<String>, &str)> = vec![
        ("no capability", "alice", None, "needs a capability"),
        ("expired", "erin", Some(id(&erin)), "expired"),
        (
            "not yet started",
            "frank",
            Some(id(&frank)),
            "not valid before",
        ),
        ("revoked", "carol", Some(id(&carol)), "revoked"),
        ("wrong target", "dave", Some(id(&alice)), "was given to"),
        (
            "wrong context",
            "alice",
            Some(id(&repo_grant)),
            "not issued by this resource",
        ),
        ("role too low", "dave", Some(id(&dave)), "lower"),
        (
            "another host's Grant",
            "alice",
            Some(b.at("/factories/main/activities/00ff")),
            "not a Grant of this instance",
        ),
        (
            "forged, never issued",
            "alice",
            Some(format!("{}/activities/deadbeef", w.factory)),
            "not a Grant this resource issued",
        ),
    ];
    for (what, user, cap, reason) in cases {
        let answer = create_via_factory(
            &w.a,
            user,
            &w.factory,
            "Repository",
            &format!("case {what}"),
            cap.as_deref(),
        )
        .await;
        assert_eq!(answer["type"], "Reject", "{what}: {answer}");
        let summary = answer["summary"].as_str().unwrap_or_default();
        assert!(summary.contains(reason), "{what}: {summary}");
    }
    let answer = create(&w, &w.a, "alice", "Person", "me", &alice).await;
    assert_eq!(answer["type"], "Reject", "type not creatable");
    assert_eq!(repos_on_disk(&w.a), before, "no repository was created");
    // An Invite with a Grant that is not admin is rejected too.
    let token = w.a.login("alice").await;
    let (_, body) = w.a.post_outbox("alice", &token, &json!({"type": "Invite", "object": w.a.at("/people/dave"), "instrument": "admin", "target": w.factory, "capability": id(&alice)})).await;
    let invite_id = body["id"].as_str().unwrap().to_string();
    let reject =
        w.a.find_in_inbox("alice", &token, 10, |v| {
            v["type"] == "Reject" && v["object"]["id"] == invite_id
        })
        .await;
    assert!(reject.is_some(), "a write Grant cannot invite");
    let _ = &w.admin;
}

#[tokio::test]
async fn resident_factories_grant_write_to_every_new_person() {
    let a = Instance::start_with_accounts(
        "a",
        "[accounts]\nfactory_creators = [\"admin\"]\nresident_factories = [\"main\"]\n[federation]\nallow_private_addresses = true\n",
        &["admin"],
    )
    .await;
    let token = a.login("admin").await;
    let (s, _) = a
        .post_outbox(
            "admin",
            &token,
            &json!({"type": "Create", "object": {"type": "Factory", "name": "main"}}),
        )
        .await;
    assert_eq!(s, 201);
    a.register("newcomer").await;
    let factory = a.at("/factories/main");
    let grant = a
        .grant_on("newcomer", &factory, "active", 10)
        .await
        .expect("write Grant");
    assert_eq!(grant["object"], "write");
    let answer = create_via_factory(
        &a,
        "newcomer",
        &factory,
        "Repository",
        "First",
        grant["id"].as_str(),
    )
    .await;
    assert_eq!(answer["type"], "Accept", "{answer}");
}
