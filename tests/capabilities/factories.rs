//! Only approved admins (`factory_creators`) create Factories and only admins edit them; resident
//! Factories grant `write` to every new person.

use crate::calls::create;
use crate::common;
use crate::common::forge::{create_via_factory, invite_and_accept, world, World};
use crate::common::Instance;
use serde_json::{json, Value};

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

    let token = only_factory_creators_create_factories(&w).await;
    let grant = only_admins_edit_the_factory(&w, &token).await;
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

/// alice (not in factory_creators) may not create a Factory; bad Factory objects are refused
/// too. Answers alice's token.
async fn only_factory_creators_create_factories(w: &World) -> String {
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

    token
}

/// alice (write) may not edit the Factory; the admin may. Answers alice's write Grant.
async fn only_admins_edit_the_factory(w: &World, token: &str) -> Value {
    let grant = invite_and_accept(w, &w.a, "alice", "write", json!({})).await;
    let edit = |cap: &str| json!({"type": "Edit", "object": {"id": w.factory, "availableActorTypes": ["Repository"]}, "capability": cap});
    let (s, body) =
        w.a.post_outbox("alice", token, &edit(grant["id"].as_str().unwrap()))
            .await;
    assert_eq!(s, 201);
    let edit_id = body["id"].as_str().unwrap().to_string();
    let reject =
        w.a.find_in_inbox("alice", token, 10, |v| {
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
    grant
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
