//! Projects and their components over real HTTP with two instances: a maintainer of a project
//! adds a local repository and a remote tracker, each component's admin accepts, and both sides
//! agree (the project's `components`, the component's `context`); Remove undoes it on both
//! sides. Every capability failure is a Reject that changes nothing.

mod common;

use common::forge::{create_via_factory, world, World, A_SETTINGS};
use common::{eventually, Instance};
use serde_json::{json, Value};

/// `user` on `inst` creates a Factory "Main" and answers (its IRI, the admin Grant's id).
async fn factory_of(inst: &Instance, user: &str) -> (String, String) {
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
async fn resource(
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
async fn project_and_repo(w: &World) -> ((String, String), (String, String)) {
    let create = |kind, name| resource(&w.a, "admin", &w.factory, &w.admin_grant, kind, name);
    (
        create("Project", "Orchard").await,
        create("Repository", "Tree").await,
    )
}

/// The admin of `resource` (on A, holding `cap`) gives `invitee` on A the `role`: its Grant id.
async fn give_role(w: &World, resource: &str, cap: &str, invitee: &str, role: &str) -> String {
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
async fn post(inst: &Instance, user: &str, token: &str, activity: Value) -> String {
    let (s, body) = inst.post_outbox(user, token, &activity).await;
    assert_eq!(s, 201, "{body}");
    body["id"].as_str().unwrap().to_string()
}

/// Waits for an activity of `kind` by `by` about the activity `about` in `user`'s inbox.
async fn answer(
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
fn add_of(project: &str, component: &str, cap: Option<&str>, cc: &[&str]) -> Value {
    let mut add = json!({"type": "Add", "object": component, "to": [project], "cc": cc,
                         "target": format!("{project}/components")});
    if let Some(c) = cap {
        add["capability"] = json!(c);
    }
    add
}

/// The Remove of `component` from `project`'s components.
fn remove_of(project: &str, component: &str, cap: Option<&str>) -> Value {
    let mut remove = json!({"type": "Remove", "object": component, "to": [project],
                            "origin": format!("{project}/components")});
    if let Some(c) = cap {
        remove["capability"] = json!(c);
    }
    remove
}

/// The items of a project's `components` collection, sorted (they are served in IRI order).
async fn components(inst: &Instance, project: &str) -> Vec<Value> {
    let mut items = inst
        .collection(&format!("{project}/components"), None)
        .await;
    items.sort_by_key(|v| v.to_string());
    items
}

/// Waits (up to 10 s) until `project`'s components are `expected` (sorted); answers whether they
/// became so.
async fn components_become(inst: &Instance, project: &str, expected: &[Value]) -> bool {
    eventually(10, || async { components(inst, project).await == expected }).await
}

/// Asserts that a Reject's summary gives `reason`.
#[track_caller]
fn assert_reason(reject: &Value, reason: &str) {
    let summary = reject["summary"].as_str().unwrap();
    assert!(summary.contains(reason), "{reject}");
}

/// The `context` of an actor document (Null when absent).
async fn context(inst: &Instance, actor: &str) -> Value {
    inst.get_ap(actor).await.1["context"].clone()
}

#[tokio::test]
async fn local_and_remote_components_are_added_accepted_and_removed() {
    let w = world().await;
    // admin is a listed factory creator on B too: the operator creates the account.
    let b = Instance::start_with_accounts("b", A_SETTINGS, &["admin"]).await;
    let token = w.admin_token.clone();
    let ((project, p_cap), (repo, r_cap)) = project_and_repo(&w).await;
    let doc = w.a.get_ap(&project).await.1;
    assert_eq!(doc["components"], format!("{project}/components"));
    assert!(components(&w.a, &project).await.is_empty());
    assert_eq!(context(&w.a, &repo).await, Value::Null);

    // A local repository: added by the project's admin, accepted by the repository's admin.
    let add = add_of(&project, &repo, Some(&p_cap), &[]);
    let add = post(&w.a, "admin", &token, add).await;
    let accept =
        json!({"type": "Accept", "object": add, "to": [repo, project], "capability": r_cap});
    post(&w.a, "admin", &token, accept).await;
    let accepted = answer(&w.a, "admin", &token, "Accept", &repo, &add).await;
    assert_eq!(
        accepted["object"]["target"],
        format!("{project}/components")
    );
    assert!(components_become(&w.a, &project, &[json!(repo)]).await);
    assert_eq!(context(&w.a, &repo).await, json!(project));
    assert_eq!(w.a.total(&format!("{project}/components"), None).await, 1);

    // A remote tracker on B, whose admin (on B) hears of the Add and accepts it.
    let b_token = b.login("admin").await;
    let (b_factory, b_cap) = factory_of(&b, "admin").await;
    let (tracker, t_cap) = resource(&b, "admin", &b_factory, &b_cap, "TicketTracker", "Bugs").await;
    let b_admin = b.at("/people/admin");
    let add = add_of(&project, &tracker, Some(&p_cap), &[&b_admin]);
    let add = post(&w.a, "admin", &token, add).await;
    let heard = b
        .find_in_inbox("admin", &b_token, 15, |v| v["id"] == add)
        .await;
    assert!(heard.is_some(), "B's admin was told of the Add");
    let accept =
        json!({"type": "Accept", "object": add, "to": [tracker, project], "capability": t_cap});
    post(&b, "admin", &b_token, accept).await;
    answer(&w.a, "admin", &token, "Accept", &tracker, &add).await;
    let mut both = vec![json!(repo), json!(tracker)];
    both.sort_by_key(|v| v.to_string());
    assert!(components_become(&w.a, &project, &both).await);
    assert_eq!(context(&b, &tracker).await, json!(project));
    assert_eq!(
        context(&w.a, &tracker).await,
        json!(project),
        "A reads the same remote document"
    );

    // A second Accept of the same Add changes nothing.
    let again = json!({"type": "Accept", "object": add, "to": [tracker], "capability": t_cap});
    post(&b, "admin", &b_token, again).await;

    // Remove undoes it on both sides: the project drops the tracker and tells it.
    let remove = remove_of(&project, &tracker, Some(&p_cap));
    let remove = post(&w.a, "admin", &token, remove).await;
    let told = w.a.find_in_inbox("admin", &token, 15, |v| {
        v["type"] == "Remove" && v["actor"] == project && v["object"] == tracker
    });
    assert!(
        told.await.is_some(),
        "the project published its own Remove ({remove})"
    );
    assert!(eventually(10, || async { context(&b, &tracker).await.is_null() }).await);
    assert_eq!(components(&w.a, &project).await, vec![json!(repo)]);
    let remove = remove_of(&project, &repo, Some(&p_cap));
    post(&w.a, "admin", &token, remove).await;
    assert!(eventually(10, || async { context(&w.a, &repo).await.is_null() }).await);
    assert!(components(&w.a, &project).await.is_empty());
}

#[tokio::test]
async fn capability_failures_are_rejected_and_change_nothing() {
    let w = world().await;
    let token = w.admin_token.clone();
    let ((project, p_cap), (repo, r_cap)) = project_and_repo(&w).await;
    w.a.register("alice").await;
    let alice_token = w.a.login("alice").await;
    let alice_on_p = give_role(&w, &project, &p_cap, "alice", "write").await;
    let alice_on_r = give_role(&w, &repo, &r_cap, "alice", "write").await;
    let unchanged = || async {
        assert!(components(&w.a, &project).await.is_empty());
        assert_eq!(context(&w.a, &repo).await, Value::Null);
    };

    // An Add without a capability.
    let add = post(&w.a, "admin", &token, add_of(&project, &repo, None, &[])).await;
    let reject = answer(&w.a, "admin", &token, "Reject", &project, &add).await;
    assert_reason(&reject, "needs a capability");
    unchanged().await;
    // Its component's admin accepts it anyway: the project never approved it, so it tells the
    // repository to drop the link again.
    let accept = json!({"type": "Accept", "object": add, "to": [repo], "capability": r_cap});
    post(&w.a, "admin", &token, accept).await;
    answer(&w.a, "admin", &token, "Accept", &repo, &add).await;
    assert!(eventually(10, || async { context(&w.a, &repo).await.is_null() }).await);
    unchanged().await;

    // An Add with a Grant too low (write < maintain).
    let low_add = add_of(&project, &repo, Some(&alice_on_p), &[]);
    let low_add = post(&w.a, "alice", &alice_token, low_add).await;
    let reject = answer(&w.a, "alice", &alice_token, "Reject", &project, &low_add).await;
    assert_reason(&reject, "lower");
    unchanged().await;

    // A valid Add, accepted by someone holding only write on the component.
    let add = add_of(&project, &repo, Some(&p_cap), &[]);
    let add = post(&w.a, "admin", &token, add).await;
    let accept = json!({"type": "Accept", "object": add, "to": [repo], "capability": alice_on_r});
    let accept = post(&w.a, "alice", &alice_token, accept).await;
    let reject = answer(&w.a, "alice", &alice_token, "Reject", &repo, &accept).await;
    assert_reason(&reject, "lower");
    unchanged().await;

    // The component's admin accepts; a Remove without capability changes nothing.
    let accept = json!({"type": "Accept", "object": add, "to": [repo], "capability": r_cap});
    post(&w.a, "admin", &token, accept).await;
    assert!(components_become(&w.a, &project, &[json!(repo)]).await);
    assert_eq!(context(&w.a, &repo).await, json!(project));
    // Accepting the rejected Add now changes nothing either: the repository is a component.
    let accept = json!({"type": "Accept", "object": low_add, "to": [repo], "capability": r_cap});
    post(&w.a, "admin", &token, accept).await;
    answer(&w.a, "admin", &token, "Accept", &repo, &low_add).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(components(&w.a, &project).await, vec![json!(repo)]);
    assert_eq!(context(&w.a, &repo).await, json!(project));
    let remove = remove_of(&project, &repo, None);
    let remove = post(&w.a, "alice", &alice_token, remove).await;
    let reject = answer(&w.a, "alice", &alice_token, "Reject", &project, &remove).await;
    assert_reason(&reject, "needs a capability");
    let remove = remove_of(&project, &repo, Some(&alice_on_p));
    let remove = post(&w.a, "alice", &alice_token, remove).await;
    answer(&w.a, "alice", &alice_token, "Reject", &project, &remove).await;
    assert_eq!(components(&w.a, &project).await, vec![json!(repo)]);
    assert_eq!(context(&w.a, &repo).await, json!(project));
}
