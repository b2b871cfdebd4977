//! In headless Chromium over two instances: A's admin creates a tracker through the Factory
//! form; bob on B looks it up on B's page, opens an issue and comments; A's admin sees both on
//! the ticket page and closes it. Every page is kept as a screenshot
//! (target/screenshots/web_more/) and checked with axe-core; its actions are links and form
//! buttons.

use crate::common::browser::{available, Browser};
use crate::common::Instance;
use crate::world::two;

/// Screenshot, axe-core, and no button outside a form nor script-only handler.
pub async fn page(b: &Browser, name: &str) {
    b.check(name).await;
    let script = "return document.querySelectorAll('[onclick],[onkeydown],[onkeyup]').length \
                  + [...document.querySelectorAll('button')].filter(x => !x.form).length;";
    assert_eq!(
        b.execute(script).await,
        0,
        "{name}: an action outside a form"
    );
}

/// Signs `user` in on `inst` (the session cookie of another instance on 127.0.0.1 is replaced).
pub async fn sign_in(b: &Browser, inst: &Instance, user: &str) {
    b.goto(&inst.at("/login")).await;
    b.type_into("#username", user).await;
    b.type_into("#password", "correct horse").await;
    b.click("main button[type=submit]").await;
    b.wait_for("/dashboard").await;
}

/// Waits until the current URL contains `part` and is not `before` (after a form's click).
async fn wait_containing(b: &Browser, part: &str, before: &str) {
    for _ in 0..100 {
        let ready = b.execute("return document.readyState;").await == "complete";
        let url = b.url().await;
        if ready && url.contains(part) && url != before {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("still on {} (no {part})", b.url().await);
}

#[tokio::test]
async fn an_issue_opened_from_another_instance_in_chromium() {
    if !available() {
        return;
    }
    let t = two().await;
    let b = Browser::start("web_more").await;
    sign_in(&b, &t.w.a, "admin").await;
    b.goto(&t.w.a.at("/create")).await;
    page(&b, "create").await;
    b.type_into("#name-1-TicketTracker", "Bugs").await;
    b.click("form:has(#name-1-TicketTracker) button").await;
    b.wait_for("/trackers/bugs").await;
    page(&b, "tracker-empty").await;
    b.goto(&t.w.a.at("/factories/main")).await;
    page(&b, "factory").await;

    sign_in(&b, &t.b, "bob").await;
    b.goto(&t.b.at("/lookup")).await;
    page(&b, "lookup").await;
    b.type_into("#q", &t.w.a.at("/trackers/bugs")).await;
    b.click("form[role=search] button").await;
    wait_containing(&b, "/lookup?q=", "").await;
    page(&b, "lookup-tracker").await;
    b.type_into("#summary", "Crash on start").await;
    b.type_into("#content", "It *crashes*").await;
    b.click("form[action='/lookup/ticket'] button").await;
    wait_containing(&b, "sent=", "").await;
    let src = b.source().await;
    assert!(
        src.contains("Crash on start") && src.contains("Accepted."),
        "{src}"
    );
    page(&b, "lookup-ticket").await;
    b.type_into("#comment", "Still crashing").await;
    let before = b.url().await;
    b.click("form[action='/lookup/comment'] button").await;
    wait_containing(&b, "sent=", &before).await;

    sign_in(&b, &t.w.a, "admin").await;
    let ticket = t.w.a.at("/trackers/bugs/tickets/1");
    let seen = crate::common::eventually(10, || async {
        b.goto(&ticket).await;
        b.source().await.contains("Still crashing")
    });
    assert!(seen.await, "bob's comment is on A's ticket page");
    page(&b, "ticket").await;
    b.click("form[action$='/resolve'] button").await;
    let closed = crate::common::eventually(10, || async {
        b.execute("return document.readyState;").await == "complete"
            && b.source().await.contains("Reopen ticket")
    });
    assert!(closed.await, "the ticket page shows the ticket closed");
    page(&b, "ticket-closed").await;
    b.goto(&t.w.a.at("/trackers/bugs?state=all")).await;
    assert!(b.source().await.contains("Crash on start"));
    page(&b, "tracker").await;
    b.quit().await;
}
