//! The web admin page's Suspend and Unsuspend buttons: POST forms with the CSRF token, for
//! instance admins only; the suspended person's browser session ends and the sign-in form
//! refuses them until they are unsuspended.

use crate::calls::{accounts, listed};
use crate::common::Instance;
use crate::visitor::Visitor;
use serde_json::Value;

/// An instance whose operator created the admin `root` (listed in `[accounts] admins`).
async fn with_root() -> Instance {
    Instance::start_with_accounts("a", "[accounts]\nadmins = [\"root\"]\n", &["root"]).await
}

/// POSTs the suspension form for `username` (`suspend` or `unsuspend`) with `csrf`.
async fn press(browser: &mut Visitor, csrf: &str, username: &str, change: &str) -> u16 {
    let fields = [("csrf", csrf), ("username", username), ("change", change)];
    browser.post("/admin/suspension", &fields).await.status
}

#[tokio::test]
async fn admins_suspend_and_unsuspend_from_the_admin_page() {
    let a = with_root().await;
    a.register("bob").await;
    let mut bob = Visitor::new(&a.url);
    assert_eq!(bob.sign_in("bob", "correct horse").await.status, 303);
    let mut root = Visitor::new(&a.url);
    assert_eq!(root.sign_in("root", "correct horse").await.status, 303);

    let csrf = refusals(&mut root, &mut bob).await;

    assert_eq!(press(&mut root, &csrf, "bob", "suspend").await, 303);
    let page = bob.get("/dashboard").await;
    assert_eq!(page.status, 303, "bob's session is over");
    let refused = bob.sign_in("bob", "correct horse").await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.body.contains("account suspended"),
        "{}",
        refused.body
    );
    let page = root.get("/admin").await;
    assert!(page
        .body
        .contains("Unsuspend<span class=\"visually-hidden\"> bob"));
    let token = a.login("root").await;
    let (_, list) = accounts(&a, Some(&token)).await;
    assert!(listed(&list, "bob")["suspended"].is_string(), "{list}");

    assert_eq!(press(&mut root, &csrf, "bob", "unsuspend").await, 303);
    let (_, list) = accounts(&a, Some(&token)).await;
    assert_eq!(listed(&list, "bob")["suspended"], Value::Null);
    assert_eq!(bob.sign_in("bob", "correct horse").await.status, 303);
    assert_eq!(bob.get("/dashboard").await.status, 200);
}

/// The page lists the buttons; a form without the CSRF token, from a person who is not an
/// admin, naming nobody or no change, is refused and changes nothing. Answers root's token.
async fn refusals(root: &mut Visitor, bob: &mut Visitor) -> String {
    let page = root.get("/admin").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("action=\"/admin/suspension\""),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("Suspend<span class=\"visually-hidden\"> bob"));
    let csrf = page.csrf();
    assert_eq!(
        press(root, "", "bob", "suspend").await,
        403,
        "no CSRF token"
    );
    let bobs = bob.get("/dashboard").await.csrf();
    assert_eq!(
        press(bob, &bobs, "root", "suspend").await,
        403,
        "bob is no admin"
    );
    assert_eq!(press(root, &csrf, "nobody", "suspend").await, 404);
    assert_eq!(press(root, &csrf, "bob", "sideways").await, 400);
    assert_eq!(
        bob.get("/dashboard").await.status,
        200,
        "nothing changed yet"
    );
    csrf
}
