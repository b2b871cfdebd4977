//! Forge fixtures shared by tests: an instance whose approved admin created the Factory "Main",
//! invitations accepted end to end, and creation of resources through the Factory.
#![allow(dead_code)]

use super::git::GitUser;
use super::instance::Instance;
use serde_json::{json, Value};

pub const A_SETTINGS: &str =
    "[accounts]\nfactory_creators = [\"admin\"]\n[federation]\nallow_private_addresses = true\n";
pub const B_SETTINGS: &str = "[federation]\nallow_private_addresses = true\n";

pub struct World {
    pub a: Instance,
    pub admin: String,
    pub admin_token: String,
    pub factory: String,
    pub admin_grant: String,
}

/// Starts A with an approved admin who creates the Factory "Main". `admin` is listed in
/// `factory_creators`, so the operator creates the account before the instance starts.
pub async fn world() -> World {
    world_with("").await
}

/// `world()` with more settings for A (whole sections other than `[accounts]`, `[federation]`).
pub async fn world_with(extra: &str) -> World {
    world_in(extra, None).await
}

/// `world_with`, with A's data directory inside `parent` (see `Instance::start_in`).
pub async fn world_in(extra: &str, parent: Option<&std::path::Path>) -> World {
    let settings = format!("{A_SETTINGS}{extra}");
    let a = Instance::start_in("a", &settings, &["admin"], parent).await;
    let admin = a.at("/people/admin");
    let admin_token = a.login("admin").await;
    let (s, body) = a
        .post_outbox(
            "admin",
            &admin_token,
            &json!({"type": "Create", "object": {"type": "Factory", "name": "Main",
                     "availableActorTypes": ["Repository", "TicketTracker", "Project"]}}),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    let create_id = body["id"].as_str().unwrap().to_string();
    let factory = a.at("/factories/main");
    let grant = a
        .grant_on("admin", &factory, "active", 10)
        .await
        .expect("the new Factory grants its creator admin");
    assert_eq!(grant["object"], "admin");
    assert_eq!(grant["fulfills"], create_id);
    assert_eq!(grant["target"], admin);
    assert_eq!(grant["allows"], "invoke");
    World {
        admin_grant: grant["id"].as_str().unwrap().to_string(),
        a,
        admin,
        admin_token,
        factory,
    }
}

/// The Factory's admin invites `invitee` (on `inv_inst`) to `role`; the invitee accepts;
/// answers the Grant.
pub async fn invite_and_accept(
    w: &World,
    invitee_inst: &Instance,
    invitee: &str,
    role: &str,
    window: Value,
) -> Value {
    let on = (w.factory.as_str(), w.admin_grant.as_str());
    invite_to(w, on, invitee_inst, invitee, role, window).await
}

/// A's admin, holding the Grant `on.1` of `admin` on the resource `on.0`, invites `invitee` (on
/// `invitee_inst`) to `role` on it (the Invite with the fields of `window` too); the invitee
/// accepts; answers the resource's Grant.
pub async fn invite_to(
    w: &World,
    on: (&str, &str),
    invitee_inst: &Instance,
    invitee: &str,
    role: &str,
    window: Value,
) -> Value {
    let (resource, capability) = on;
    let invitee_iri = invitee_inst.at(&format!("/people/{invitee}"));
    let mut invite = json!({"type": "Invite", "object": invitee_iri, "instrument": role,
                            "target": resource, "capability": capability});
    for (k, v) in window.as_object().cloned().unwrap_or_default() {
        invite[k] = v;
    }
    let (s, body) = w.a.post_outbox("admin", &w.admin_token, &invite).await;
    assert_eq!(s, 201, "{body}");
    let invite_id = body["id"].as_str().unwrap().to_string();
    let token = invitee_inst.login(invitee).await;
    let got = invitee_inst
        .find_in_inbox(invitee, &token, 10, |v| v["id"] == invite_id)
        .await;
    assert!(got.is_some(), "{invitee} received the Invite");
    let accept = json!({"type": "Accept", "object": invite_id});
    let (s, body) = invitee_inst.post_outbox(invitee, &token, &accept).await;
    assert_eq!(s, 201, "{body}");
    let url = invitee_inst.at(&format!("/people/{invitee}/grants"));
    let mut grant = None;
    for _ in 0..100 {
        grant = invitee_inst
            .collection(&url, None)
            .await
            .into_iter()
            .find(|g| g["fulfills"] == invite_id);
        if grant.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let grant = grant.expect("the resource granted the role");
    assert_eq!(grant["object"], role);
    assert_eq!(grant["context"], resource);
    assert_eq!(grant["target"], invitee_iri);
    grant
}

/// A's admin makes a `kind` named `name` through the Factory; answers it and the admin's Grant
/// on it.
pub async fn make(w: &World, kind: &str, name: &str) -> (String, String) {
    let (f, admin) = (w.factory.as_str(), w.admin_grant.as_str());
    let answer = create_via_factory(&w.a, "admin", f, kind, name, Some(admin)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let made = answer["result"].as_str().expect("result").to_string();
    let grant = w.a.grant_on("admin", &made, "active", 10).await;
    let grant = grant.expect("admin Grant")["id"].as_str().unwrap().into();
    (made, grant)
}

/// `user` asks the Factory to create a resource; answers the Accept or Reject that came back.
pub async fn create_via_factory(
    inst: &Instance,
    user: &str,
    factory: &str,
    kind: &str,
    name: &str,
    capability: Option<&str>,
) -> Value {
    let token = inst.login(user).await;
    let mut create =
        json!({"type": "Create", "to": [factory], "object": {"type": kind, "name": name}});
    if let Some(c) = capability {
        create["capability"] = json!(c);
    }
    let (s, body) = inst.post_outbox(user, &token, &create).await;
    assert_eq!(s, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    inst.find_in_inbox(user, &token, 15, |v| {
        (v["type"] == "Accept" || v["type"] == "Reject") && v["object"]["id"] == id
    })
    .await
    .expect("the Factory answered the Create")
}

/// The world plus alice holding write on the Factory, a repository of hers, and her SSH key.
pub async fn with_repo(name: &str) -> (World, GitUser, String) {
    with_repo_in(name, "").await
}

/// `with_repo` on an instance with more settings (see `world_with`).
pub async fn with_repo_in(name: &str, extra: &str) -> (World, GitUser, String) {
    with_repo_on(name, extra, None).await
}

/// `with_repo_in`, with A's data directory inside `parent` (see `Instance::start_in`).
pub async fn with_repo_on(
    name: &str,
    extra: &str,
    parent: Option<&std::path::Path>,
) -> (World, GitUser, String) {
    let w = world_in(extra, parent).await;
    w.a.register("alice").await;
    let grant = invite_and_accept(&w, &w.a, "alice", "write", json!({})).await;
    let answer = create_via_factory(
        &w.a,
        "alice",
        &w.factory,
        "Repository",
        name,
        grant["id"].as_str(),
    )
    .await;
    let repo = answer["result"]
        .as_str()
        .expect("repository created")
        .to_string();
    let token = w.a.login("alice").await;
    let alice = GitUser::register(&w.a, &token).await;
    (w, alice, repo)
}
