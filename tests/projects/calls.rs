//! The projects tests' calls: Factories and resources made through them, roles given, posting
//! and waiting for answers, the Add and Remove of a component, and what a project's
//! `components` and an actor's `context` say.

use crate::common::forge::{create_via_factory, World};
use crate::common::{eventually, Instance};
use serde_json::{json, Value};

/// `user` on `inst` creates a Factory "Main" and answers (its IRI, the admin Grant's id).
pub async fn factory_of(inst: &Instance, user: &str) -> (String, String) {
    let token = inst.login(user).await;
    let create = json!({"type": "Create", "object": {"type": "Factory", "name": "Main",
                         "availableActorTypes": ["Repository", "TicketTracker", "Project"]}});
    let (s, body) = inst.post_outbox(user, &token, &create).await;
    assert_eq!(s, 201, "{body}");
    let factory = inst.at("/factories/main");
    let grant = inst.grant_on(user, &factory, "active", 10).await;
    let grant = grant.expect("the Factory grants its creator admin");
    (factory, grant["id"].as_str().unwrap().to_string())
}

/// `user` creates a resource through a Factory: (its IRI, the user's admin Grant on it).
pub async fn resource(
    inst: &Instance,
    user: &str,
    factory: &str,
    cap: &str,
    kind: &str,
    name: &str,
) -> (String, String) {
    let answer = create_via_factory(inst, user, factory, kind, name, Some(cap)).await;
    assert_eq!(answer["type"], "Accept", "{answer}");
    let iri = answer["result"].as_str().unwrap().to_string();
    let grant = inst
        .grant_on(user, &iri, "active", 10)
        .await
        .expect("admin Grant");
    assert_eq!(grant["object"], "admin");
    (iri, grant["id"].as_str().unwrap().to_string())
}

/// A's admin creates the Project "Orchard" and the Repository "Tree" through A's Factory:
/// ((the project, the admin's Grant on it), (the repository, the admin's Grant on it)).
pub async fn project_and_repo(w: &World) -> ((String, String), (String, String)) {
    let create = |kind, name| resource(&w.a, "admin", &w.factory, &w.admin_grant, kind, name);
    (
        create("Project", "Orchard").await,
        create("Repository", "Tree").await,
    )
}

/// The admin of `resource` (on A, holding `cap`) gives `invitee` on A the `role`: its Grant id.
pub async fn give_role(w: &World, resource: &str, cap: &str, invitee: &str, role: &str) -> String {
    let invitee_iri = w.a.at(&format!("/people/{invitee}"));
    let invite = json!({"type": "Invite", "object": invitee_iri, "instrument": role,
                        "target": resource, "capability": cap});
    let (s, body) = w.a.post_outbox("admin", &w.admin_token, &invite).await;
    assert_eq!(s, 201, "{body}");
    let invite_id = body["id"].as_str().unwrap().to_string();
    let token = w.a.login(invitee).await;
    let got =
        w.a.find_in_inbox(invitee, &token, 10, |v| v["id"] == invite_id);
    assert!(got.await.is_some(), "{invitee} received the Invite");
    let accept = json!({"type": "Accept", "object": invite_id});
    assert_eq!(w.a.post_outbox(invitee, &token, &accept).await.0, 201);
    let url = w.a.at(&format!("/people/{invitee}/grants"));
    for _ in 0..100 {
        let grants = w.a.collection(&url, None).await;
        if let Some(g) = grants.into_iter().find(|g| g["fulfills"] == invite_id) {
            assert_eq!(g["object"], role);
            return g["id"].as_str().unwrap().to_string();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{invitee} got no Grant on {resource}");
}

/// Posts an activity and answers its id.
pub async fn post(inst: &Instance, user: &str, token: &str, activity: Value) -> String {
    let (s, body) = inst.post_outbox(user, token, &activity).await;
    assert_eq!(s, 201, "{body}");
    body["id"].as_str().unwrap().to_string()
}

/// Waits for an activity of `kind` by `by` about the activity `about` in `user`'s inbox.
pub async fn answer(
    inst: &Instance,
    user: &str,
    token: &str,
    kind: &str,
    by: &str,
    about: &str,
) -> Value {
    let found = inst.find_in_inbox(user, token, 15, |v| {
        v["type"] == kind && v["actor"] == by && v["object"]["id"] == about
    });
    found
        .await
        .unwrap_or_else(|| panic!("no {kind} by {by} of {about}"))
}

/// The Add of `component` to `project`'s components, addressed to the project (and `cc`).
pub fn add_of(project: &str, component: &str, cap: Option<&str>, cc: &[&str]) -> Value {
    let mut add = json!({"type": "Add", "object": component, "to": [project], "cc": cc,
                         "target": format!("{project}/components")});
    if let Some(c) = cap {
        add["capability"] = json!(c);
    }
    add
}

/// The Remove of `component` from `project`'s components.
pub fn remove_of(project: &str, component: &str, cap: Option<&str>) -> Value {
    let mut remove = json!({"type": "Remove", "object": component, "to": [project],
                            "origin": format!("{project}/components")});
    if let Some(c) = cap {
        remove["capability"] = json!(c);
    }
    remove
}

/// The items of a project's `components` collection, sorted (they are served in IRI order).
pub async fn components(inst: &Instance, project: &str) -> Vec<Value> {
    let mut items = inst
        .collection(&format!("{project}/components"), None)
        .await;
    items.sort_by_key(|v| v.to_string());
    items
}

/// Waits (up to 10 s) until `project`'s components are `expected` (sorted); answers whether they
/// became so.
pub async fn components_become(inst: &Instance, project: &str, expected: &[Value]) -> bool {
    eventually(10, || async { components(inst, project).await == expected }).await
}

/// Asserts that a Reject's summary gives `reason`.
#[track_caller]
pub fn assert_reason(reject: &Value, reason: &str) {
    let summary = reject["summary"].as_str().unwrap();
    assert!(summary.contains(reason), "{reject}");
}

/// The `context` of an actor document (Null when absent).
pub async fn context(inst: &Instance, actor: &str) -> Value {
    inst.get_ap(actor).await.1["context"].clone()
}
