//! In headless Chromium: a person signs up, sees the dashboard, their person page and settings,
//! adds an SSH key, opens their error box, signs out and in again; an admin opens the admin
//! page. Every page is kept as a screenshot (target/screenshots/web_core/) and checked with
//! axe-core, and its actions are links and form buttons (no script-only handlers).

use super::common::browser::{available, Browser};
use super::common::Instance;

const ED: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBWfR522N3j+pds8AXyDwQ0nbhCwZzhz3yyp5wv9puvi alice@laptop";

/// Screenshot, axe-core, and the keyboard check: every button belongs to a form and nothing
/// has a click or key handler attribute.
async fn page(b: &Browser, name: &str) {
    b.check(name).await;
    let handlers = b
        .execute("return document.querySelectorAll('[onclick],[onkeydown],[onkeyup],[onkeypress]').length;")
        .await;
    assert_eq!(handlers, 0, "{name}: script-only handlers");
    let loose = b
        .execute("return [...document.querySelectorAll('button')].filter(x => !x.form).length;")
        .await;
    assert_eq!(loose, 0, "{name}: a button outside a form");
}

#[tokio::test]
async fn a_person_signs_up_adds_a_key_signs_out_and_in_in_chromium() {
    if !available() {
        return;
    }
    let a =
        Instance::start_with_accounts("a", "[accounts]\nadmins = [\"root\"]\n", &["root"]).await;
    let b = Browser::start("web_core").await;
    sign_up_and_look_around(&b, &a).await;
    add_a_key(&b).await;
    error_box(&b, &a).await;
    sign_out_and_in(&b, &a).await;
    admin_page(&b, &a).await;
    b.quit().await;
}

/// The front page, signing up, the dashboard and the person page.
async fn sign_up_and_look_around(b: &Browser, a: &Instance) {
    b.goto(&a.at("/")).await;
    assert!(b.source().await.contains("Newest repositories"));
    page(b, "front").await;
    b.click("main a[href='/signup']").await;
    b.wait_for("/signup").await;
    page(b, "signup").await;
    b.type_into("#username", "alice").await;
    b.type_into("#password", "correct horse").await;
    b.click("main button[type=submit]").await;
    b.wait_for("/dashboard").await;
    assert!(b.source().await.contains("My repositories"));
    page(b, "dashboard").await;
    b.click("header a[href='/people/alice']").await;
    b.wait_for("/people/alice").await;
    assert!(b.source().await.contains("@alice@"));
    page(b, "person").await;
}

/// Settings: adding an SSH key.
async fn add_a_key(b: &Browser) {
    b.click("header a[href='/settings']").await;
    b.wait_for("/settings").await;
    page(b, "settings").await;
    b.type_into("#key", ED).await;
    b.click("form[action='/settings/ssh-keys'] button").await;
    b.wait_for("/settings?done=key-added").await;
    let src = b.source().await;
    assert!(src.contains("SSH key added."), "{src}");
    assert!(src.contains("alice@laptop"));
    page(b, "settings-key-added").await;
}

/// The error box page, reached from the settings page's link.
async fn error_box(b: &Browser, a: &Instance) {
    let alice = a.at("/people/alice");
    let q: String = url::form_urlencoded::byte_serialize(alice.as_bytes()).collect();
    assert_eq!(
        b.count(&format!("a[href='/errors?actor={q}']")).await,
        1,
        "linked from settings"
    );
    b.goto(&a.at(&format!("/errors?actor={q}"))).await;
    assert!(b.source().await.contains("<h1>Error box</h1>"));
    page(b, "errors").await;
}

/// Signing out, the redirect to sign in, signing in, and an error page.
async fn sign_out_and_in(b: &Browser, a: &Instance) {
    b.click("header form[action='/logout'] button").await;
    b.wait_for(&format!("{}/", a.url)).await;
    assert_eq!(
        b.count("header form[action='/logout']").await,
        0,
        "signed out"
    );
    b.goto(&a.at("/dashboard")).await;
    b.wait_for("/login").await;
    page(b, "login").await;
    b.type_into("#username", "alice").await;
    b.type_into("#password", "correct horse").await;
    b.click("main button[type=submit]").await;
    b.wait_for("/dashboard").await;
    b.goto(&a.at("/people/nobody")).await;
    assert!(b.source().await.contains("404"));
    page(b, "not-found").await;
    assert_eq!(
        b.count("header form[action='/logout']").await,
        1,
        "the error page knows who is signed in"
    );
    b.click("header form[action='/logout'] button").await;
    b.wait_for(&format!("{}/", a.url)).await;
}

/// An admin signs in and opens the admin page.
async fn admin_page(b: &Browser, a: &Instance) {
    b.goto(&a.at("/login")).await;
    b.type_into("#username", "root").await;
    b.type_into("#password", "correct horse").await;
    b.click("main button[type=submit]").await;
    b.wait_for("/dashboard").await;
    b.click("header a[href='/admin']").await;
    b.wait_for("/admin").await;
    assert!(b.source().await.contains("Delivery queue"));
    page(b, "admin").await;
}
