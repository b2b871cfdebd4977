//! In headless Chromium: alice signs in, opens her pushed repository's page, the tree, a file
//! (to a line anchor), the log and a commit, stars it with the button; every page is kept as a
//! screenshot (target/screenshots/web_repo/) and checked with axe-core, and every button
//! belongs to a form (no script-only handlers).

use super::common::browser::{available, Browser};
use super::common::forge::World;
use super::common::git::path_of;

async fn page(b: &Browser, name: &str) {
    b.check(name).await;
    let loose = b
        .execute("return [...document.querySelectorAll('button')].filter(x => !x.form).length;")
        .await;
    assert_eq!(loose, 0, "{name}: a button outside a form");
}

/// The journey through `repo` (already pushed) as alice.
pub async fn browse_in_chromium(w: &World, repo: &str) {
    if !available() {
        return;
    }
    let b = Browser::start("web_repo").await;
    b.goto(&w.a.at("/login")).await;
    b.type_into("#username", "alice").await;
    b.type_into("#password", "correct horse").await;
    b.click("main button[type=submit]").await;
    b.wait_for("/dashboard").await;

    b.goto(repo).await;
    assert!(b.source().await.contains("Hello web"));
    page(&b, "repository").await;

    b.click("table.entries a[href$='/tree/main/src']").await;
    b.wait_for("/tree/main/src").await;
    page(&b, "tree").await;

    b.click("table.entries a[href$='/blob/main/src/main.rs']")
        .await;
    b.wait_for("/blob/main/src/main.rs").await;
    assert!(b.count(".code span[class^='hl-']").await > 0, "highlighted");
    page(&b, "file").await;
    b.click("a[href='#L3']").await;
    b.wait_for("#L3").await;

    b.click("nav.tabs a[href$='/log']").await;
    b.wait_for("/log").await;
    page(&b, "log").await;

    b.click("ol.commits li:first-child a.hash").await;
    assert!(b.source().await.contains("class=\"hunks\""));
    page(&b, "commit").await;

    b.click("nav.tabs a[href$='/refs']").await;
    b.wait_for("/refs").await;
    page(&b, "refs").await;

    b.goto(&format!("{repo}/settings")).await;
    page(&b, "settings").await;

    star(&b, repo).await;
    b.quit().await;
}

/// alice stars the repository with its button: the count shows her star beside bob's.
async fn star(b: &Browser, repo: &str) {
    b.goto(repo).await;
    b.click("form[action$='/star'] button").await;
    b.wait_for(&path_of(repo)).await;
    let script = "return document.querySelector(\"form[action$='/star'] .count\").textContent;";
    let mut starred = String::new();
    for _ in 0..50 {
        starred = b
            .execute(script)
            .await
            .as_str()
            .unwrap_or_default()
            .to_string();
        if starred == "2" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        b.goto(repo).await;
    }
    assert_eq!(starred, "2", "alice's star is counted beside bob's");
}
