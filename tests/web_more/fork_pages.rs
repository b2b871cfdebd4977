//! Forking and opening a merge request from the person's home instance (issue #17's web
//! part), over real instances and git over SSH. In headless Chromium: bob on B looks up
//! A's repository "Game", forks it through B's Factory from the look-up page and
//! lands on his fork's page, pushes a branch to it over SSH, opens a merge request against
//! "Game" from the fork's page and lands on the merge request's look-up page; A's tracker holds
//! it with the fork's branch as origin. Every page is kept as a screenshot and checked with
//! axe-core. Without a browser: the refusals (no CSRF token, no Grant on the Factory, a
//! private origin, a target without a PatchTracker, a branch the source lacks, someone else's
//! repository), each with nothing sent or nothing made; a fork through another instance's
//! Factory once it grants bob `write`; a fork of a repository of B from its page's button.

use crate::browser_journey::{page, sign_in, wait_containing};
use crate::common::browser::{available, Browser};
use crate::common::eventually;
use crate::common::forge::invite_and_accept;
use crate::fork_world::{fork_world, ForkWorld};
use crate::web::{enc, Web};
use crate::world::Two;
use serde_json::json;

#[tokio::test]
async fn bob_forks_from_the_look_up_page_and_opens_a_merge_request_in_chromium() {
    if !available() {
        return;
    }
    let fw = fork_world().await;
    let browser = Browser::start("web_more").await;
    sign_in(&browser, &fw.f.b, "bob").await;
    let fork = forks_in_chromium(&fw, &browser).await;
    fw.bob_pushes(&fork, "fix").await;
    let mr = opens_in_chromium(&fw, &browser, &fork).await;
    browser.quit().await;
    on_a(&fw, &fork, &mr).await;
}

/// bob looks Game up on B, clicks Fork, picks B's Factory and a name, and lands on his fork's
/// page; the fork names Game as its origin and copied it. Answers the fork's IRI.
async fn forks_in_chromium(fw: &ForkWorld, browser: &Browser) -> String {
    let b = &fw.f.b;
    browser
        .goto(&b.at(&format!("/lookup?q={}", enc(&fw.f.repo))))
        .await;
    page(browser, "fork-lookup-repository").await;
    browser.click("form[action='/fork'] button").await;
    wait_containing(browser, "/fork?origin=", "").await;
    assert!(
        browser.source().await.contains(&fw.b_factory),
        "B's Factory is offered"
    );
    page(browser, "fork-form").await;
    browser.type_into("#name", "Game").await;
    let before = browser.url().await;
    browser.click("form[action='/fork'] button").await;
    wait_containing(browser, "/repos/game", &before).await;
    let fork = b.at("/repos/game");
    assert_eq!(fw.doc(&fork).await["origin"], fw.f.repo.as_str());
    assert!(fw.copied(&fork).await, "the fork copied Game");
    let shown = browser.source().await;
    let lookup = format!("/lookup?q={}", enc(&fw.f.repo));
    assert!(
        shown.contains("forked from") && shown.contains(&lookup.replace('&', "&amp;")),
        "the fork's page names its origin and links its look-up page: {shown}"
    );
    fork
}

/// From his fork's page, bob opens a merge request of `fix` into Game (the defaults: the
/// fork's origin and its tracker) and lands on its look-up page. Answers the MR's IRI.
async fn opens_in_chromium(fw: &ForkWorld, browser: &Browser, fork: &str) -> String {
    browser.goto(fork).await;
    page(browser, "fork-repository").await;
    let open = "form[action='/merge-requests/new'] button";
    browser.click(open).await;
    wait_containing(browser, "/merge-requests/new?repo=game", "").await;
    let src = browser.source().await;
    assert!(
        src.contains(&fw.f.tracker) && src.contains(&fw.f.repo),
        "the target is the fork's origin, with its tracker: {src}"
    );
    page(browser, "fork-open-merge-request").await;
    let picked = "return document.querySelector('#branch').value;";
    let chosen = browser.execute(picked).await;
    assert_eq!(chosen, "fix", "the branch that is not main");
    browser.type_into("#summary", "Fix the game").await;
    browser.type_into("#content", "It *works* now").await;
    let before = browser.url().await;
    browser.click(open).await;
    wait_containing(browser, "/lookup?q=", &before).await;
    let mr = fw.f.mr(1);
    let url = browser.url().await;
    assert!(url.contains(&enc(&mr)), "on the MR's look-up page: {url}");
    let src = browser.source().await;
    assert!(
        src.contains("Fix the game")
            && src.contains("Accepted.")
            && src.contains("fix of")
            && src.contains("bob fixes the game"),
        "{src}"
    );
    page(browser, "fork-merge-request-lookup").await;
    mr
}

/// A's merge request is bob's, from the fork's `fix` into Game's `main`, its description
/// rendered; Game lists the fork.
async fn on_a(fw: &ForkWorld, fork: &str, mr: &str) {
    let got = fw.doc(mr).await;
    assert_eq!(got["attributedTo"], fw.f.b.at("/people/bob"));
    let (origin, target) = (&got["attachment"]["origin"], &got["attachment"]["target"]);
    assert_eq!(
        (&origin["context"], &origin["name"]),
        (&json!(fork), &json!("fix"))
    );
    assert_eq!(
        (&target["context"], &target["name"]),
        (&json!(fw.f.repo), &json!("main"))
    );
    let content = got["content"].as_str().unwrap_or_default();
    assert!(content.contains("<em>works</em>"), "{content}");
    let forks = format!("{}/forks", fw.f.repo);
    let listed = eventually(20, || async {
        let items = fw.f.w.a.collection(&forks, None).await;
        items.iter().any(|f| f == fork)
    });
    assert!(listed.await, "Game lists the fork");
}

/// bob's number of sent activities on B.
async fn sent(fw: &ForkWorld) -> u64 {
    Two::outbox(&fw.f.b, "bob").await
}

#[tokio::test]
async fn the_fork_and_merge_request_forms_refuse_and_send_nothing() {
    let fw = fork_world().await;
    fork_refusals(&fw).await;
    merge_request_refusals(&fw).await;
    fork_through_another_instance_s_factory(&fw).await;
    carol_forks_a_repository_of_her_instance(&fw).await;
}

/// carol forks bob's Scratch on B from its page's Fork button, through B's Factory, and lands
/// on her fork's page.
async fn carol_forks_a_repository_of_her_instance(fw: &ForkWorld) {
    let b = &fw.f.b;
    let carol = Web::signed_in(b, "carol").await;
    let page = carol.page("/repos/scratch").await;
    let button = "action=\"/fork\"";
    assert!(
        page.contains(button) && page.contains("value=\"/repos/scratch\""),
        "{page}"
    );
    let local = [
        ("origin", "/repos/scratch"),
        ("factory", &fw.b_factory),
        ("name", "Mine"),
    ];
    let went = carol
        .submit("/fork?origin=/repos/scratch", "/fork", &local)
        .await;
    assert_eq!(went, "/repos/mine", "a local fork goes to its page");
    let origin = fw.doc(&b.at("/repos/mine")).await["origin"].clone();
    assert_eq!(origin, b.at("/repos/scratch"));
}

/// Once A's Factory grants bob `write`, his fork through it (pasted on B's form) is made on A,
/// and he lands on its look-up page.
async fn fork_through_another_instance_s_factory(fw: &ForkWorld) {
    let b = &fw.f.b;
    invite_and_accept(&fw.f.w, b, "bob", "write", json!({})).await;
    let bob = Web::signed_in(b, "bob").await;
    let fork_page = format!("/fork?origin={}", enc(&fw.f.repo));
    let fields = [
        ("origin", fw.f.repo.as_str()),
        ("other_factory", &fw.f.w.factory),
        ("name", "Far Game"),
    ];
    let went = bob.submit(&fork_page, "/fork", &fields).await;
    let fork = fw.f.w.a.at("/repos/far-game");
    assert!(
        went.starts_with(&format!("/lookup?q={}&sent=", enc(&fork))),
        "{went}"
    );
    assert_eq!(fw.doc(&fork).await["origin"], fw.f.repo.as_str());
    let shown = bob.page(&went).await;
    assert!(
        shown.contains("Far Game") && shown.contains("Accepted."),
        "{shown}"
    );
}

/// No CSRF token and a Factory bob holds no Grant on: 403, nothing sent; a private origin:
/// the Factory's refusal shown, nothing created.
async fn fork_refusals(fw: &ForkWorld) {
    let b = &fw.f.b;
    let bob = Web::signed_in(b, "bob").await;
    let fork_page = format!("/fork?origin={}", enc(&fw.f.repo));
    let anonymous = Web::anonymous(b);
    for path in [fork_page.as_str(), "/merge-requests/new?repo=game"] {
        let went = anonymous.redirect_of(path).await;
        assert_eq!(went, (303, "/login".to_string()), "{path}");
    }
    let token = bob.csrf(&fork_page).await;
    let before = sent(fw).await;
    let fields = [
        ("origin", fw.f.repo.as_str()),
        ("factory", &fw.b_factory),
        ("name", "G"),
    ];
    let (s, _, body) = bob.post("/fork", &fields).await;
    assert_eq!(s, 403, "no CSRF token: {body}");
    let wrong = [
        ("csrf", "not-the-token"),
        ("origin", &fw.f.repo),
        ("name", "G"),
    ];
    assert_eq!(bob.post("/fork", &wrong).await.0, 403, "a wrong CSRF token");
    let others = [
        ("csrf", token.as_str()),
        ("origin", &fw.f.repo),
        ("other_factory", &fw.f.w.factory),
        ("name", "G"),
    ];
    let (s, _, body) = bob.post("/fork", &others).await;
    assert_eq!(s, 403, "no Grant on A's Factory: {body}");
    assert!(body.contains("Grant of at least write"), "{body}");
    assert_eq!(sent(fw).await, before, "nothing sent");
    assert_eq!(b.get_ap(&b.at("/repos/g")).await.0, 404);

    let secret = [
        ("origin", fw.secret.as_str()),
        ("factory", &fw.b_factory),
        ("name", "S"),
    ];
    let went = bob.submit(&fork_page, "/fork", &secret).await;
    assert!(
        went.starts_with("/fork?origin="),
        "back to the form: {went}"
    );
    let shown = bob.page(&went).await;
    assert!(shown.contains("Refused: cannot fork"), "{shown}");
    assert_eq!(b.get_ap(&b.at("/repos/s")).await.0, 404, "nothing created");
}

/// No CSRF token: 403; a target without a PatchTracker: 400 naming it, on the form too;
/// someone else's source repository: 403. Nothing sent.
async fn merge_request_refusals(fw: &ForkWorld) {
    let b = &fw.f.b;
    let bob = Web::signed_in(b, "bob").await;
    let mine = [("type", "Repository"), ("name", "Scratch")];
    let made = bob.submit("/create", "/factories/main/create", &mine).await;
    assert_eq!(made, "/repos/scratch");
    let form = "/merge-requests/new?repo=scratch";
    let token = bob.csrf(form).await;
    let before = sent(fw).await;
    let plain = fw.plain.as_str();
    let (s, _, body) = bob.post("/merge-requests/new", &fields("", plain)).await;
    assert_eq!(s, 403, "no CSRF token: {body}");
    let (s, _, body) = bob
        .post("/merge-requests/new", &fields(&token, plain))
        .await;
    assert_eq!(s, 400, "{body}");
    assert!(body.contains("has no PatchTracker"), "{body}");
    let shown = bob.page(&format!("{form}&target={}", enc(plain))).await;
    assert!(shown.contains("has no PatchTracker"), "{shown}");

    b.register("carol").await;
    let carol = Web::signed_in(b, "carol").await;
    let theirs = carol.csrf("/create").await;
    let mut wrong = fields(&token, &fw.f.repo);
    wrong[2].1 = "no-such-branch";
    let (s, _, body) = bob.post("/merge-requests/new", &wrong).await;
    assert_eq!(s, 400, "{body}");
    assert!(body.contains("has no branch"), "{body}");
    let (s, _, body) = (carol.post("/merge-requests/new", &fields(&theirs, &fw.f.repo))).await;
    assert_eq!(s, 403, "carol may not write to bob's repository: {body}");
    assert_eq!(carol.get(form).await.0, 403);
    assert_eq!(sent(fw).await, before, "nothing sent");
}

/// The open-merge-request form's fields, from bob's "scratch" (`main`) to `target`.
fn fields<'a>(csrf: &'a str, target: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("repo", "scratch"),
        ("branch", "main"),
        ("target", target),
        ("summary", "A change"),
    ]
}
