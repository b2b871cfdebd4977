//! Projects and their components over real HTTP with two instances: a maintainer of a project
//! adds a local repository and a remote tracker, each component's admin accepts, and both sides
//! agree (the project's `components`, the component's `context`); Remove undoes it on both
//! sides. Every capability failure is a Reject that changes nothing.

#[path = "../common/mod.rs"]
mod common;

mod calls;

use calls::{
    add_of, answer, assert_reason, components, components_become, context, factory_of, give_role,
    post, project_and_repo, remove_of, resource,
};
use common::forge::{world, World, A_SETTINGS};
use common::{eventually, Instance};
use serde_json::{json, Value};

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

    let (tracker, t_cap, add, b_token) =
        a_remote_tracker_is_added(&w, &b, &project, &p_cap, &repo).await;

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

/// A remote tracker on B, whose admin (on B) hears of the Add and accepts it. Answers the
/// tracker, its admin's Grant, the Add and B's admin's token.
async fn a_remote_tracker_is_added(
    w: &World,
    b: &Instance,
    project: &str,
    p_cap: &str,
    repo: &str,
) -> (String, String, String, String) {
    let token = w.admin_token.clone();
    let b_token = b.login("admin").await;
    let (b_factory, b_cap) = factory_of(b, "admin").await;
    let (tracker, t_cap) = resource(b, "admin", &b_factory, &b_cap, "TicketTracker", "Bugs").await;
    let b_admin = b.at("/people/admin");
    let add = add_of(project, &tracker, Some(p_cap), &[&b_admin]);
    let add = post(&w.a, "admin", &token, add).await;
    let heard = b
        .find_in_inbox("admin", &b_token, 15, |v| v["id"] == add)
        .await;
    assert!(heard.is_some(), "B's admin was told of the Add");
    let accept =
        json!({"type": "Accept", "object": add, "to": [tracker, project], "capability": t_cap});
    post(b, "admin", &b_token, accept).await;
    answer(&w.a, "admin", &token, "Accept", &tracker, &add).await;
    let mut both = vec![json!(repo), json!(tracker)];
    both.sort_by_key(|v| v.to_string());
    assert!(components_become(&w.a, project, &both).await);
    assert_eq!(context(b, &tracker).await, json!(project));
    assert_eq!(
        context(&w.a, &tracker).await,
        json!(project),
        "A reads the same remote document"
    );

    (tracker, t_cap, add, b_token)
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

    late_accepts_and_removes_change_nothing(
        &w,
        (&project, &repo),
        &r_cap,
        (&alice_on_p, &alice_token),
        &add,
        &low_add,
    )
    .await;
}

/// The component's admin accepts `add`; accepting the rejected `low_add` now changes nothing
/// either (the repository is a component); a Remove without a capability, or by alice (write),
/// changes nothing (`alice_on_p`: alice's write Grant on the project).
async fn late_accepts_and_removes_change_nothing(
    w: &World,
    (project, repo): (&str, &str),
    r_cap: &str,
    (alice_on_p, alice_token): (&str, &str),
    add: &str,
    low_add: &str,
) {
    let token = w.admin_token.clone();
    let accept = json!({"type": "Accept", "object": add, "to": [repo], "capability": r_cap});
    post(&w.a, "admin", &token, accept).await;
    assert!(components_become(&w.a, project, &[json!(repo)]).await);
    assert_eq!(context(&w.a, repo).await, json!(project));
    // Accepting the rejected Add now changes nothing either: the repository is a component.
    let accept = json!({"type": "Accept", "object": low_add, "to": [repo], "capability": r_cap});
    post(&w.a, "admin", &token, accept).await;
    answer(&w.a, "admin", &token, "Accept", repo, low_add).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(components(&w.a, project).await, vec![json!(repo)]);
    assert_eq!(context(&w.a, repo).await, json!(project));
    let remove = remove_of(project, repo, None);
    let remove = post(&w.a, "alice", alice_token, remove).await;
    let reject = answer(&w.a, "alice", alice_token, "Reject", project, &remove).await;
    assert_reason(&reject, "needs a capability");
    let remove = remove_of(project, repo, Some(alice_on_p));
    let remove = post(&w.a, "alice", alice_token, remove).await;
    answer(&w.a, "alice", alice_token, "Reject", project, &remove).await;
    assert_eq!(components(&w.a, project).await, vec![json!(repo)]);
    assert_eq!(context(&w.a, repo).await, json!(project));
}
