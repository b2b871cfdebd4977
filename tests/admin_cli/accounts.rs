//! The account commands (`list-accounts`, `reset-password`, `create-account`, `grant`) on a
//! running instance (through its admin socket: its store is locked, so only the socket can
//! answer) and on a stopped one, their effects checked over HTTP.

use crate::common::git::GitUser;
use crate::common::{client, Instance};
use crate::run::{admin, admin_in};
use serde_json::Value;

/// GET /api/v1/tokens with `token`: 200 while it is valid, 401 once revoked.
async fn tokens_status(a: &Instance, token: &str) -> u16 {
    let res = client()
        .get(a.at("/api/v1/tokens"))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET tokens");
    res.status().as_u16()
}

async fn token_with(a: &Instance, user: &str, password: &str) -> String {
    let (s, body) = a.try_login(user, password).await;
    assert_eq!(s, 200, "{user} logs in with {password:?}: {body}");
    body["token"].as_str().expect("token").to_string()
}

#[tokio::test]
async fn account_commands_through_the_socket_and_on_a_stopped_instance() {
    let mut a = Instance::start("a", "").await;
    a.register("bob").await;
    let bob = a.login("bob").await;
    let bob_again = a.login("bob").await;
    GitUser::register(&a, &bob).await;
    listed(&a).await;
    let bob = resets(&a, &bob, &bob_again).await;
    roles_and_new_accounts(&a, &bob).await;
    on_a_stopped_instance(&mut a).await;
}

/// `list-accounts`: a table, and JSON.
async fn listed(a: &Instance) {
    let table = admin(a, &["list-accounts"], None).await.ok();
    assert!(table.starts_with("USERNAME"), "{table}");
    let line = table
        .lines()
        .find(|l| l.starts_with("bob"))
        .expect("bob listed");
    assert!(line.trim_end().ends_with('1'), "one SSH key: {line}");
    let json: Value =
        serde_json::from_str(&admin(a, &["list-accounts", "--json"], None).await.ok())
            .expect("JSON");
    assert_eq!(json[0]["username"], "bob");
    assert_eq!(json[0]["ssh_keys"], 1);
    assert_eq!(json[0]["roles"], serde_json::json!([]));
}

/// A reset: the old password and every token stop working, the new password logs in, and
/// nothing secret is printed; answers bob's new token.
async fn resets(a: &Instance, bob: &str, bob_again: &str) -> String {
    let out = admin(a, &["reset-password", "bob"], Some("new horse\n"))
        .await
        .ok();
    assert!(
        out.contains("2 token(s)") && !out.contains("new horse"),
        "{out}"
    );
    assert_eq!(tokens_status(a, bob).await, 401);
    assert_eq!(tokens_status(a, bob_again).await, 401);
    assert_eq!(a.try_login("bob", "correct horse").await.0, 401);
    let bob = token_with(a, "bob", "new horse").await;
    assert_eq!(tokens_status(a, &bob).await, 200);
    unknown_accounts_and_empty_passwords_change_nothing(a, &bob).await;
    bob
}

async fn unknown_accounts_and_empty_passwords_change_nothing(a: &Instance, bob: &str) {
    admin(a, &["reset-password", "nobody"], Some("x\n"))
        .await
        .fails(1, "no account nobody");
    admin(a, &["reset-password", "bob"], Some("\n"))
        .await
        .fails(1, "password is empty");
    admin(a, &["grant", "nobody"], None)
        .await
        .fails(1, "no account nobody");
    assert_eq!(
        tokens_status(a, bob).await,
        200,
        "the failed reset revoked nothing"
    );
}

/// Roles and new accounts, live: bob may use the admin API at once.
async fn roles_and_new_accounts(a: &Instance, bob: &str) {
    let blocks = |token: String| {
        let url = a.at("/api/v1/admin/blocks");
        async move {
            client()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(blocks(bob.to_string()).await, 403);
    admin(a, &["grant", "bob", "--role", "admin"], None)
        .await
        .ok();
    assert_eq!(blocks(bob.to_string()).await, 200);
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(cwd.path().join("pw"), "carol's horse\n").unwrap();
    let out = admin_in(
        a,
        cwd.path(),
        &["create-account", "carol", "--password-file", "pw"],
        None,
    )
    .await
    .ok();
    assert!(out.contains("created the account carol"), "{out}");
    token_with(a, "carol", "carol's horse").await;
    let table = admin(a, &["list-accounts"], None).await.ok();
    let line = table.lines().find(|l| l.starts_with("bob")).unwrap();
    assert!(line.contains("admin"), "{line}");
}

/// The same commands on the stopped instance's data directory.
async fn on_a_stopped_instance(a: &mut Instance) {
    a.stop().await;
    let table = admin(a, &["list-accounts"], None).await.ok();
    assert!(table.contains("bob") && table.contains("carol"), "{table}");
    admin(a, &["reset-password", "carol"], Some("stopped horse\n"))
        .await
        .ok();
    admin(a, &["reset-password", "nobody"], Some("x\n"))
        .await
        .fails(1, "no account nobody");
    admin(a, &["revoke", "bob", "--role", "admin"], None)
        .await
        .ok();
    a.restart().await;
    assert_eq!(a.try_login("carol", "carol's horse").await.0, 401);
    let carol = token_with(a, "carol", "stopped horse").await;
    assert_eq!(tokens_status(a, &carol).await, 200);
    let bob = token_with(a, "bob", "new horse").await;
    let res = client()
        .get(a.at("/api/v1/admin/blocks"))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "revoked on the stopped instance");
}

/// `suspend` and `unsuspend` through the running server's socket: a suspended person cannot
/// log in, their token is revoked and their Person answers 410; unsuspended, they log in again
/// and the Person answers 200. An unknown account changes nothing.
#[tokio::test]
async fn suspend_and_unsuspend_through_the_socket() {
    let a = Instance::start("a", "").await;
    a.register("bob").await;
    let bob = a.login("bob").await;
    let person = a.at("/people/bob");
    assert_eq!(a.get_ap(&person).await.0, 200);

    let out = admin(&a, &["suspend", "bob"], None).await.ok();
    assert!(out.contains("bob is suspended since"), "{out}");
    assert_ne!(tokens_status(&a, &bob).await, 200, "the token is revoked");
    assert_eq!(a.try_login("bob", "correct horse").await.0, 403);
    assert_eq!(a.get_ap(&person).await.0, 410);
    let json: Value =
        serde_json::from_str(&admin(&a, &["list-accounts", "--json"], None).await.ok())
            .expect("JSON");
    assert!(json[0]["suspended"].is_string(), "{json}");
    admin(&a, &["suspend", "nobody"], None)
        .await
        .fails(1, "no account");

    let out = admin(&a, &["unsuspend", "bob"], None).await.ok();
    assert!(out.contains("bob is not suspended"), "{out}");
    let again = token_with(&a, "bob", "correct horse").await;
    assert_eq!(tokens_status(&a, &again).await, 200);
    assert_eq!(a.get_ap(&person).await.0, 200);
}
