//! Every form of web-core refused with a missing, a wrong or another visitor's CSRF token: 403,
//! and nothing changed (checked through the JSON API, with the session's token as a Bearer
//! token); then the same form with the right token, so the refusal is the token's doing.

use super::common::Instance;
use super::form_checks::{accepted, api, refused};
use super::visitor::Visitor;
use serde_json::json;

const ED: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBWfR522N3j+pds8AXyDwQ0nbhCwZzhz3yyp5wv9puvi";
const ED_FINGERPRINT: &str = "SHA256:x312Xd50jZ7h9oLoHUfpSt7c+o7feRIFOLS5yK/rhdQ";

#[tokio::test]
async fn account_forms_refuse_a_bad_csrf_token() {
    let a = Instance::start("a", "").await;
    let mut mallory = Visitor::new(&a.url);
    let foreign = mallory.get("/login").await.csrf();
    let mut v = Visitor::new(&a.url);
    v.get("/signup").await;
    let creds = [("username", "alice"), ("password", "correct horse")];
    refused(&mut v, "/signup", &creds, &foreign).await;
    assert_eq!(
        a.get_ap(&a.at("/people/alice")).await.0,
        404,
        "no account was made"
    );
    let token = v.sign_up("alice").await;
    let mut w = Visitor::new(&a.url);
    w.get("/login").await;
    refused(&mut w, "/login", &creds, &foreign).await;
    assert!(!w.cookies.contains_key("orchard_session"), "not signed in");
    refused(&mut v, "/logout", &[], &foreign).await;
    assert_eq!(v.get("/dashboard").await.status, 200, "still signed in");
    assert_eq!(
        api(&a, "/api/v1/tokens", &token).await["tokens"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    accepted(&mut v, "/dashboard", "/logout", &[]).await;
    assert_eq!(v.get("/dashboard").await.status, 303, "signed out");
}

#[tokio::test]
async fn ssh_key_forms_refuse_a_bad_csrf_token() {
    let a = Instance::start("a", "").await;
    let mut v = Visitor::new(&a.url);
    let token = v.sign_up("alice").await;
    let foreign = Visitor::new(&a.url).get("/login").await.csrf();
    let keys = |t: String| {
        let a = &a;
        async move {
            api(a, "/api/v1/ssh-keys", &t)
                .await
                .as_array()
                .unwrap()
                .len()
        }
    };
    refused(&mut v, "/settings/ssh-keys", &[("key", ED)], &foreign).await;
    assert_eq!(keys(token.clone()).await, 0);
    accepted(&mut v, "/settings", "/settings/ssh-keys", &[("key", ED)]).await;
    assert_eq!(keys(token.clone()).await, 1);
    assert!(v.get("/settings").await.body.contains(ED_FINGERPRINT));
    refused(
        &mut v,
        "/settings/ssh-keys/remove",
        &[("fingerprint", ED_FINGERPRINT)],
        &foreign,
    )
    .await;
    assert_eq!(keys(token.clone()).await, 1);
    accepted(
        &mut v,
        "/settings",
        "/settings/ssh-keys/remove",
        &[("fingerprint", ED_FINGERPRINT)],
    )
    .await;
    assert_eq!(keys(token.clone()).await, 0);
}

#[tokio::test]
async fn token_and_password_forms_refuse_a_bad_csrf_token() {
    let a = Instance::start("a", "").await;
    let mut v = Visitor::new(&a.url);
    let token = v.sign_up("alice").await;
    let foreign = Visitor::new(&a.url).get("/login").await.csrf();

    let api_token = a.login("alice").await;
    let tokens = api(&a, "/api/v1/tokens", &api_token).await;
    let id = tokens["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["current"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    refused(&mut v, "/settings/tokens/revoke", &[("id", &id)], &foreign).await;
    assert_eq!(
        api(&a, "/api/v1/tokens", &token).await["tokens"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    accepted(
        &mut v,
        "/settings",
        "/settings/tokens/revoke",
        &[("id", &id)],
    )
    .await;
    assert_eq!(
        api(&a, "/api/v1/tokens", &token).await["tokens"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let change = [
        ("old_password", "correct horse"),
        ("new_password", "battery staple"),
    ];
    refused(&mut v, "/settings/password", &change, &foreign).await;
    assert_eq!(
        a.try_login("alice", "correct horse").await.0,
        200,
        "the password stayed"
    );
    accepted(&mut v, "/settings", "/settings/password", &change).await;
    assert_eq!(
        a.try_login("alice", "battery staple").await.0,
        200,
        "the password changed"
    );
    assert_eq!(v.get("/settings").await.status, 200, "this session stays");
}

#[tokio::test]
async fn marking_notifications_read_refuses_a_bad_csrf_token() {
    let a = Instance::start("a", "").await;
    let mut v = Visitor::new(&a.url);
    v.sign_up("alice").await;
    a.register("bob").await;
    let bob = a.login("bob").await;
    let follow =
        json!({"type": "Follow", "object": a.at("/people/alice"), "to": [a.at("/people/alice")]});
    let (s, body) = a.post_outbox("bob", &bob, &follow).await;
    assert_eq!(s, 201, "{body}");
    let mut seen = false;
    for _ in 0..100 {
        if v.get("/dashboard").await.body.contains("1 unread") {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen, "bob's Follow is an unread notification");
    let foreign = Visitor::new(&a.url).get("/login").await.csrf();
    refused(
        &mut v,
        "/dashboard/notifications/read",
        &[("upto", "1")],
        &foreign,
    )
    .await;
    assert!(
        v.get("/dashboard").await.body.contains("1 unread"),
        "still unread"
    );
    accepted(
        &mut v,
        "/dashboard",
        "/dashboard/notifications/read",
        &[("upto", "1")],
    )
    .await;
    assert!(!v.get("/dashboard").await.body.contains("unread"), "read");
}

#[tokio::test]
async fn block_forms_refuse_a_bad_csrf_token() {
    let a =
        Instance::start_with_accounts("a", "[accounts]\nadmins = [\"root\"]\n", &["root"]).await;
    let mut alice = Visitor::new(&a.url);
    alice.sign_up("alice").await;
    assert_eq!(alice.get("/admin").await.status, 403, "not an admin");
    let mut root = Visitor::new(&a.url);
    assert_eq!(root.sign_in("root", "correct horse").await.status, 303);
    let token = root.session();
    let foreign = Visitor::new(&a.url).get("/login").await.csrf();
    let blocks = |t: String| {
        let a = &a;
        async move {
            api(a, "/api/v1/admin/blocks", &t)
                .await
                .as_array()
                .unwrap()
                .len()
        }
    };
    let before = blocks(token.clone()).await;
    refused(
        &mut root,
        "/admin/blocks",
        &[("host", "spam.example")],
        &foreign,
    )
    .await;
    assert_eq!(blocks(token.clone()).await, before);
    accepted(
        &mut root,
        "/admin",
        "/admin/blocks",
        &[("host", "spam.example")],
    )
    .await;
    assert_eq!(blocks(token.clone()).await, before + 1);
    refused(
        &mut root,
        "/admin/blocks/remove",
        &[("host", "spam.example")],
        &foreign,
    )
    .await;
    assert_eq!(blocks(token.clone()).await, before + 1);
    accepted(
        &mut root,
        "/admin",
        "/admin/blocks/remove",
        &[("host", "spam.example")],
    )
    .await;
    assert_eq!(blocks(token.clone()).await, before);
}

#[tokio::test]
async fn the_roles_form_refuses_a_bad_csrf_token_and_non_admins() {
    let a =
        Instance::start_with_accounts("a", "[accounts]\nadmins = [\"root\"]\n", &["root"]).await;
    let mut alice = Visitor::new(&a.url);
    alice.sign_up("alice").await;
    let mut root = Visitor::new(&a.url);
    assert_eq!(root.sign_in("root", "correct horse").await.status, 303);
    let foreign = Visitor::new(&a.url).get("/login").await.csrf();
    let grant = [
        ("username", "alice"),
        ("role", "factory-creator"),
        ("change", "grant"),
    ];
    let granted = "Revoke<span class=\"visually-hidden\"> factory creator from alice";
    refused(&mut root, "/admin/roles", &grant, &foreign).await;
    assert!(!root.get("/admin").await.body.contains(granted));
    accepted(&mut root, "/admin", "/admin/roles", &grant).await;
    assert!(root.get("/admin").await.body.contains(granted));
    // Not an admin: refused even with a right token.
    let csrf = alice.get("/dashboard").await.csrf();
    let res = alice
        .post(
            "/admin/roles",
            &[
                ("csrf", &csrf),
                ("username", "alice"),
                ("role", "admin"),
                ("change", "grant"),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
}
