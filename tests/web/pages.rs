//! Pages over plain HTTP: what needs a session redirects to /login, the cookie flags, the
//! security headers, one IRI with two faces, HTML escaping of user content, and signing in with
//! a wrong password or out.

use super::common::{self, Instance};
use super::visitor::Visitor;
use serde_json::json;

#[tokio::test]
async fn pages_that_need_a_session_redirect_to_login() {
    let a = Instance::start("a", "").await;
    let mut anon = Visitor::new(&a.url);
    for path in ["/dashboard", "/settings", "/admin"] {
        let res = anon.get(path).await;
        assert_eq!(res.status, 303, "{path}");
        assert_eq!(res.header("location"), "/login", "{path}");
    }
    // A stale or made-up session cookie is not a session.
    anon.cookies
        .insert("orchard_session".into(), "made-up".into());
    assert_eq!(anon.get("/dashboard").await.header("location"), "/login");
}

#[tokio::test]
async fn cookies_are_httponly_samesite_lax_and_pages_carry_the_security_headers() {
    let a = Instance::start("a", "").await;
    let mut v = Visitor::new(&a.url);
    let login = v.get("/login").await;
    assert_eq!(login.status, 200);
    assert!(login.header("content-type").starts_with("text/html"));
    let csp = login.header("content-security-policy");
    for part in [
        "default-src 'none'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(part), "CSP {csp:?} lacks {part}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(login.header("x-content-type-options"), "nosniff");
    assert_eq!(login.header("referrer-policy"), "same-origin");
    assert!(login.header("vary").contains("Accept"));
    let csrf_cookie = v
        .set_cookies
        .iter()
        .find(|c| c.starts_with("orchard_csrf="))
        .cloned();
    let csrf_cookie = csrf_cookie.expect("a pre-session cookie for the form");
    v.sign_up("alice").await;
    let session = v
        .set_cookies
        .iter()
        .find(|c| c.starts_with("orchard_session="))
        .cloned();
    for c in [csrf_cookie, session.expect("a session cookie")] {
        assert!(c.contains("HttpOnly"), "{c}");
        assert!(c.contains("SameSite=Lax"), "{c}");
        assert!(c.contains("Path=/"), "{c}");
        assert!(!c.contains("Secure"), "http instance: not Secure: {c}");
    }
    let css = v.get("/static/orchard.css").await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.body.contains("prefers-color-scheme: dark"));
}

#[tokio::test]
async fn an_actor_iri_answers_html_to_browsers_and_json_ld_to_everyone_else() {
    let a = Instance::start("a", "").await;
    a.register("alice").await;
    let mut v = Visitor::new(&a.url);
    let html = v.get("/people/alice").await;
    assert_eq!(html.status, 200);
    assert!(html.header("content-type").starts_with("text/html"));
    assert!(
        html.body.contains("@alice@127.0.0.1:"),
        "the handle is shown"
    );
    let (status, doc) = a.get_ap(&a.at("/people/alice")).await;
    assert_eq!(status, 200);
    assert_eq!(doc["type"], "Person");
    let plain = common::client()
        .get(a.at("/people/alice"))
        .send()
        .await
        .unwrap();
    assert!(plain.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("activity+json"));
    assert_eq!(
        plain.headers()["vary"],
        "Accept",
        "JSON answers carry Vary: Accept too"
    );
    let missing = v.get("/people/nobody").await;
    assert_eq!(missing.status, 404);
    assert!(missing.header("content-type").starts_with("text/html"));
}

#[tokio::test]
async fn user_content_is_escaped() {
    let w = common::forge::world().await;
    let evil = "<script>alert(1)</script>";
    let create = json!({"type": "Create", "to": [w.factory], "capability": w.admin_grant,
        "object": {"type": "Repository", "name": "evil", "summary": evil}});
    let (s, body) = w.a.post_outbox("admin", &w.admin_token, &create).await;
    assert_eq!(s, 201, "{body}");
    let mut v = Visitor::new(&w.a.url);
    let listed = common::eventually(15, || {
        let url = w.a.at("/");
        async move {
            let page = common::client()
                .get(url)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            page.contains("evil")
        }
    })
    .await;
    assert!(listed, "the repository is on the front page");
    let front = v.get("/").await;
    assert!(!front.body.contains(evil), "raw script on the front page");
    assert!(front
        .body
        .contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    // What a visitor types comes back escaped too.
    let token = v.get("/login").await.csrf();
    let res = v
        .post(
            "/login",
            &[("csrf", &token), ("username", evil), ("password", "x")],
        )
        .await;
    assert_eq!(res.status, 401);
    assert!(!res.body.contains(evil));
    assert!(res.body.contains("&#60;script&#62;"));
}

#[tokio::test]
async fn a_wrong_password_shows_the_form_again_and_sign_out_ends_the_session() {
    let a = Instance::start("a", "").await;
    let mut v = Visitor::new(&a.url);
    let token = v.sign_up("alice").await;
    let mut other = Visitor::new(&a.url);
    let wrong = other.sign_in("alice", "not it").await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("wrong username or password"));
    assert!(!other.cookies.contains_key("orchard_session"));
    let right = other.sign_in("alice", "correct horse").await;
    assert_eq!(right.status, 303);
    assert_eq!(v.get("/dashboard").await.status, 200);
    let csrf = v.get("/dashboard").await.csrf();
    let out = v.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert!(
        !v.cookies.contains_key("orchard_session"),
        "the cookie is removed"
    );
    let api = common::client()
        .get(a.at("/api/v1/tokens"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 401, "the session's token is revoked");
    assert_eq!(
        other.get("/dashboard").await.status,
        200,
        "other sessions stay"
    );
}

#[tokio::test]
async fn the_forms_share_the_apis_rate_limits() {
    let limits = "[accounts]\nlogin_attempts_per_minute_per_address = 2\n\
                  login_attempts_per_minute_per_username = 100\n\
                  registrations_per_hour_per_address = 1\n";
    let a = Instance::start("a", limits).await;
    let mut v = Visitor::new(&a.url);
    v.sign_up("alice").await;
    let csrf = v.get("/signup").await.csrf();
    let again = v
        .post(
            "/signup",
            &[
                ("csrf", &csrf),
                ("username", "bob"),
                ("password", "correct horse"),
            ],
        )
        .await;
    assert_eq!(
        again.status, 429,
        "one registration an hour from this address"
    );
    assert!(!again.header("retry-after").is_empty());
    assert_eq!(a.get_ap(&a.at("/people/bob")).await.0, 404);
    let mut w = Visitor::new(&a.url);
    for _ in 0..2 {
        assert_eq!(w.sign_in("alice", "not it").await.status, 401);
    }
    assert_eq!(w.sign_in("alice", "not it").await.status, 429);
    assert_eq!(
        a.try_login("alice", "correct horse").await.0,
        429,
        "the API's bucket is the same"
    );
}
