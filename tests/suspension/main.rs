//! Suspending an account on a real instance, over real HTTP, SSH and git: an instance admin
//! suspends alice (who has a token, a web session, an SSH key, a repository and a remote
//! follower) through the admin API; she can no longer log in, use her token or session, push
//! or post, and every IRI of hers answers 410 with a Tombstone (WebFinger 404, her inbox
//! refuses and stores nothing) while her repository stays. Unsuspended, she logs in again and
//! is back. Only instance admins suspend (401, 403, 404); the web admin page does it too.

#[path = "../common/mod.rs"]
mod common;
#[path = "../web/visitor.rs"]
#[allow(dead_code)]
mod visitor;

mod calls;
mod web_admin;

use calls::*;
use common::forge::{with_repo, World};
use common::git::{commit, ok, work_tree, GitUser};
use common::remote::FakeRemote;
use common::{client, Instance};
use serde_json::{json, Value};
use std::path::Path;
use visitor::Visitor;

#[tokio::test]
async fn a_suspended_person_is_shut_out_and_gone_until_unsuspended() {
    let (mut w, alice_git, repo) = with_repo("Kept").await;
    let admin = make_instance_admin(&mut w).await;
    let alice = w.a.at("/people/alice");
    let remote = FakeRemote::start();
    remote_follows(&remote, &alice).await;
    let token = w.a.login("alice").await;
    let mut browser = Visitor::new(&w.a.url);
    assert_eq!(browser.sign_in("alice", "correct horse").await.status, 303);
    let tmp = tempfile::tempdir().unwrap();
    let dir = work_tree(tmp.path(), "w", 1);
    ok(push(&alice_git, &dir, &repo));

    only_instance_admins_suspend(&w.a, &admin, &token).await;
    let (s, state) = suspension(&w.a, Some(&admin), "alice", true).await;
    assert_eq!(s, 200, "{state}");
    assert_eq!(state["username"], "alice");
    let since = state["suspended"].as_str().expect("suspended").to_string();
    let (s, again) = suspension(&w.a, Some(&admin), "alice", true).await;
    assert_eq!(
        (s, again["suspended"].as_str()),
        (200, Some(since.as_str()))
    );
    let (_, list) = accounts(&w.a, Some(&admin)).await;
    assert_eq!(listed(&list, "alice")["suspended"], json!(since));
    assert_eq!(listed(&list, "admin")["suspended"], Value::Null);

    shut_out(&w.a, &token, &mut browser, &alice_git, &dir, &repo).await;
    gone_to_remote_servers(&w.a, &remote, &alice).await;
    let (s, doc) = w.a.get_ap(&repo).await;
    assert_eq!(
        (s, doc["type"].clone()),
        (200, json!("Repository")),
        "the repository stays"
    );

    let (s, state) = suspension(&w.a, Some(&admin), "alice", false).await;
    assert_eq!(
        (s, state["suspended"].clone()),
        (200, Value::Null),
        "{state}"
    );
    let (s, state) = suspension(&w.a, Some(&admin), "alice", false).await;
    assert_eq!(
        (s, state["suspended"].clone()),
        (200, Value::Null),
        "idempotent"
    );
    back_again(&w.a, &token, &alice_git, &dir, &repo).await;
}

/// Makes the world's `admin` an instance admin the operator's way (on the stopped instance);
/// answers their token.
async fn make_instance_admin(w: &mut World) -> String {
    w.a.stop().await;
    let role = actors::accounts::Role::Admin;
    orchard::cli::admin::set_role(&w.a.operator_settings(), "admin", role, true)
        .await
        .unwrap();
    w.a.restart().await;
    w.a.login("admin").await
}

/// 401 without a token, 403 for a person who is not an instance admin, 404 for an unknown
/// account, 400 for an admin suspending themself; nothing changed.
async fn only_instance_admins_suspend(a: &Instance, admin: &str, alice: &str) {
    for on in [true, false] {
        assert_eq!(suspension(a, None, "alice", on).await.0, 401);
        assert_eq!(suspension(a, Some(alice), "admin", on).await.0, 403);
        assert_eq!(suspension(a, Some(alice), "alice", on).await.0, 403);
        assert_eq!(suspension(a, Some(admin), "nobody", on).await.0, 404);
    }
    assert_eq!(suspension(a, Some(admin), "admin", true).await.0, 400);
    assert_eq!(accounts(a, None).await.0, 401);
    assert_eq!(accounts(a, Some(alice)).await.0, 403);
    let (s, list) = accounts(a, Some(admin)).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(listed(&list, "alice")["suspended"], Value::Null);
    assert_eq!(
        listed(&list, "admin")["roles"],
        json!(["admin", "factory-creator"])
    );
    assert!(listed(&list, "alice")["created"].is_string());
    assert!(!list.to_string().contains("password"), "{list}");
    assert_eq!(a.try_login("alice", "correct horse").await.0, 200);
}

/// Login (API and form), the token, the web session, an outbox POST and an SSH push: refused.
async fn shut_out(
    a: &Instance,
    token: &str,
    browser: &mut Visitor,
    git: &GitUser,
    dir: &Path,
    repo: &str,
) {
    let (s, body) = a.try_login("alice", "correct horse").await;
    assert_eq!(
        (s, body["error"].clone()),
        (403, json!("account suspended"))
    );
    let (s, body) = a.try_login("alice", "wrong").await;
    assert_eq!(
        s, 401,
        "a wrong password does not learn of the suspension: {body}"
    );
    assert!(!body.to_string().contains("suspended"), "{body}");
    let tokens = client().get(a.at("/api/v1/tokens")).bearer_auth(token);
    assert_eq!(
        tokens.send().await.unwrap().status(),
        401,
        "the token is revoked"
    );
    let note = json!({"type": "Create", "object": {"type": "Note", "content": "hi"}});
    assert_eq!(a.post_outbox("alice", token, &note).await.0, 401);
    let page = browser.get("/dashboard").await;
    assert_eq!(page.status, 303, "the web session is over");
    assert!(page.header("location").starts_with("/login"));
    let page = browser.sign_in("alice", "correct horse").await;
    assert_eq!(page.status, 403, "{}", page.body);
    assert!(page.body.contains("account suspended"), "{}", page.body);
    commit(dir, "late.txt", "while suspended");
    let said = failed(push(git, dir, repo));
    assert!(said.contains("account suspended"), "{said}");
}

/// The person's document, collections and key answer 410 with a Tombstone, WebFinger 404, and
/// Follows to the personal and the shared inbox are refused or reach nobody.
async fn gone_to_remote_servers(a: &Instance, remote: &FakeRemote, alice: &str) {
    gone_with_a_tombstone(a, alice, alice).await;
    for c in ["outbox", "followers", "following"] {
        gone_with_a_tombstone(a, &format!("{alice}/{c}"), alice).await;
    }
    assert_eq!(webfinger(a, "alice").await, 404);
    let page = client()
        .get(alice)
        .header("Accept", "text/html")
        .send()
        .await;
    assert_eq!(page.unwrap().status(), 410, "her page is gone too");
    let (s, _) = follow(remote, "eve", alice, &format!("{alice}/inbox")).await;
    assert_eq!(s, 410, "her inbox is gone");
    let (s, body) = follow(remote, "eve", alice, &a.at("/inbox")).await;
    assert_eq!((s, body["stored"].clone()), (202, json!(0)), "{body}");
    let unsigned = client().post(format!("{alice}/inbox")).body("{}");
    assert_eq!(unsigned.send().await.unwrap().status(), 410);
}

/// Unsuspended: the old token stays revoked, a login works, her IRIs are back, and nothing
/// sent to her while she was suspended was kept; she pushes again.
async fn back_again(a: &Instance, old: &str, git: &GitUser, dir: &Path, repo: &str) {
    let tokens = client().get(a.at("/api/v1/tokens")).bearer_auth(old);
    assert_eq!(tokens.send().await.unwrap().status(), 401, "still revoked");
    let token = a.login("alice").await;
    let tokens = client().get(a.at("/api/v1/tokens")).bearer_auth(&token);
    assert_eq!(tokens.send().await.unwrap().status(), 200);
    let alice = a.at("/people/alice");
    let (s, doc) = a.get_ap(&alice).await;
    assert_eq!((s, doc["type"].clone()), (200, json!("Person")));
    assert_eq!(webfinger(a, "alice").await, 200);
    let followers = a.total(&format!("{alice}/followers"), None).await;
    assert_eq!(followers, 1, "mallory only: eve's Follows were not stored");
    ok(push(git, dir, repo));
}
