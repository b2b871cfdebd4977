//! The web pages of tickets, projects, creating and looking up across instances, over real
//! HTTP with two instances and cookie sessions: a tracker and a repository made through the
//! Factory's form, a ticket opened on A's tracker from B through B's look-up page, comments
//! from both sides, resolve and reopen by a Grant holder; components added and removed by a
//! maintainer. Every form is refused without or with a wrong CSRF token (403, nothing
//! changed), and what needs a Grant is refused without one. Effects are read back through the
//! JSON documents. `browser_journey` plays the cross-instance issue in headless Chromium with
//! axe-core, `merge_request_pages` a merge request's tracker and page, `mr_actions` its forms,
//! `fork_pages` forking and opening a merge request from the person's home instance.

mod browser_journey;
#[path = "../common/mod.rs"]
mod common;
mod csrf;
mod fork_pages;
mod fork_world;
mod lookup_refusals;
mod merge_request_pages;
mod mr_actions;
#[allow(dead_code)]
#[path = "../merge_requests/forge.rs"]
mod mr_forge;
mod pages;
#[allow(dead_code)]
#[path = "../patch_trackers/forge.rs"]
mod pt_forge;
mod web;
mod world;

use common::eventually;
use serde_json::json;
use web::{enc, Web};
use world::{two, Two};

#[tokio::test]
async fn a_ticket_opened_from_another_instance_is_discussed_resolved_and_reopened() {
    let t = two().await;
    let tracker = tracker_through_the_factory_form(&t).await;
    let ticket = bob_opens_an_issue_through_b_lookup(&t, &tracker).await;
    bob_comments_from_b(&t, &ticket).await;
    admin_comments_resolves_and_reopens(&t).await;
    dave_without_a_grant_may_not_resolve(&t).await;
}

/// The admin's /create page offers Main's forms; the TicketTracker form makes /trackers/bugs
/// and the Repository form a private repository. Answers the tracker's IRI.
async fn tracker_through_the_factory_form(t: &Two) -> String {
    let page = t.admin.page("/create").await;
    assert!(page.contains("action=\"/factories/main/create\""), "{page}");
    assert_eq!(
        t.create("TicketTracker", "Bugs", &[]).await,
        "/trackers/bugs"
    );
    let doc = t.doc("/trackers/bugs").await;
    assert_eq!(
        (&doc["type"], &doc["name"]),
        (&json!("TicketTracker"), &json!("Bugs"))
    );
    let repo = t
        .create("Repository", "Tree", &[("visibility", "private")])
        .await;
    assert_eq!(repo, "/repos/tree");
    assert_eq!(
        t.w.a.get_ap(&t.w.a.at("/repos/tree")).await.0,
        404,
        "private"
    );
    let page = t.admin.page("/factories/main").await;
    assert!(page.contains("New ticket tracker"), "{page}");
    let page = t.admin.page("/trackers/bugs").await;
    assert!(
        page.contains("Open a ticket") && page.contains("No tickets here"),
        "{page}"
    );
    t.w.a.at("/trackers/bugs")
}

/// bob on B looks A's tracker up (by URL), and A's admin by handle, and opens an issue from
/// B's page; A's tracker has the ticket, attributed to bob on B. Answers the ticket's IRI.
async fn bob_opens_an_issue_through_b_lookup(t: &Two, tracker: &str) -> String {
    let bob = Web::signed_in(&t.b, "bob").await;
    let lookup = format!("/lookup?q={}", enc(tracker));
    let page = bob.page(&lookup).await;
    assert!(
        page.contains("TicketTracker") && page.contains("Open issue"),
        "{page}"
    );
    let handle = format!("admin@127.0.0.1:{}", t.w.a.port);
    let page = bob.page(&format!("/lookup?q={}", enc(&handle))).await;
    assert!(
        page.contains("Person") && page.contains(">Follow<"),
        "{page}"
    );
    let fields = [
        ("tracker", tracker),
        ("summary", "Crash on start"),
        ("content", "It *crashes*"),
    ];
    let went = bob.submit(&lookup, "/lookup/ticket", &fields).await;
    let ticket = format!("{tracker}/tickets/1");
    assert!(
        went.starts_with(&format!("/lookup?q={}", enc(&ticket))),
        "{went}"
    );
    let doc = t.doc("/trackers/bugs/tickets/1").await;
    assert_eq!(doc["attributedTo"], t.b.at("/people/bob"));
    assert_eq!(doc["summary"], "Crash on start");
    let content = doc["content"].as_str().unwrap_or_default();
    assert!(content.contains("<em>crashes</em>"), "{content}");
    assert_eq!(doc["source"]["content"], "It *crashes*");
    let page = bob.page(&went).await;
    assert!(
        page.contains("Crash on start") && page.contains("Accepted"),
        "{page}"
    );
    let mine = bob.page("/lookup").await;
    assert!(
        mine.contains("Crash on start"),
        "bob's remote tickets: {mine}"
    );
    ticket
}

/// bob comments on the remote ticket from B's look-up page of it.
async fn bob_comments_from_b(t: &Two, ticket: &str) {
    let bob = Web::signed_in(&t.b, "bob").await;
    let page = format!("/lookup?q={}", enc(ticket));
    let fields = [("ticket", ticket), ("content", "Still **crashing**")];
    bob.submit(&page, "/lookup/comment", &fields).await;
    let discussion = "/trackers/bugs/tickets/1/discussion";
    assert!(
        t.total_becomes(discussion, 1).await,
        "bob's comment reached A"
    );
    let seen = bob.page(&page).await;
    assert!(
        seen.contains("<strong>crashing</strong>"),
        "B shows the discussion: {seen}"
    );
}

/// A's admin (admin Grant on the tracker) sees bob's comment on the ticket page, comments,
/// closes the ticket and reopens it there.
async fn admin_comments_resolves_and_reopens(t: &Two) {
    let page_path = "/trackers/bugs/tickets/1";
    let page = t.admin.page(page_path).await;
    assert!(page.contains("<strong>crashing</strong>"), "{page}");
    assert!(page.contains("Close ticket"), "{page}");
    let comment = [("content", "Fixed in main")];
    let went = (t.admin)
        .submit(page_path, &format!("{page_path}/comments"), &comment)
        .await;
    assert_eq!(went, page_path);
    assert!(t.total_becomes(&format!("{page_path}/discussion"), 2).await);
    t.admin
        .submit(page_path, &format!("{page_path}/resolve"), &[])
        .await;
    let resolved = || async { t.doc(page_path).await["isResolved"] == true };
    assert!(eventually(10, resolved).await);
    assert_eq!(t.doc(page_path).await["resolvedBy"], t.w.admin);
    let closed = t.admin.page("/trackers/bugs?state=closed").await;
    assert!(closed.contains("Crash on start"), "{closed}");
    let open = t.admin.page("/trackers/bugs?state=open").await;
    assert!(!open.contains("Crash on start"), "{open}");
    let page = t.admin.page(page_path).await;
    assert!(page.contains("Reopen ticket"), "{page}");
    t.admin
        .submit(page_path, &format!("{page_path}/reopen"), &[])
        .await;
    let reopened = || async { t.doc(page_path).await["isResolved"] == false };
    assert!(eventually(10, reopened).await);
}

/// dave on A holds no Grant on the tracker: the page offers no button and the form is refused
/// (403), sending nothing.
async fn dave_without_a_grant_may_not_resolve(t: &Two) {
    t.w.a.register("dave").await;
    let dave = Web::signed_in(&t.w.a, "dave").await;
    let page_path = "/trackers/bugs/tickets/1";
    let page = dave.page(page_path).await;
    assert!(!page.contains("Close ticket"), "{page}");
    let token = dave.csrf(page_path).await;
    let (s, _, body) = dave
        .post(&format!("{page_path}/resolve"), &[("csrf", &token)])
        .await;
    assert_eq!(s, 403, "{body}");
    assert!(body.contains("triage"), "{body}");
    assert_eq!(t.doc(page_path).await["isResolved"], false);
    assert_eq!(Two::outbox(&t.w.a, "dave").await, 0);
}

#[tokio::test]
async fn a_maintainer_adds_and_removes_components_on_the_project_page() {
    let t = two().await;
    assert_eq!(
        t.create("Project", "Orchard", &[]).await,
        "/projects/orchard"
    );
    assert_eq!(t.create("Repository", "Tree", &[]).await, "/repos/tree");
    let repo = t.w.a.at("/repos/tree");
    let project = "/projects/orchard";
    let page = t.admin.page(project).await;
    assert!(page.contains("Add component"), "{page}");
    let action = format!("{project}/components");
    t.admin
        .submit(project, &action, &[("component", &repo)])
        .await;
    let components = format!("{project}/components");
    assert!(
        t.total_becomes(&components, 1).await,
        "the repository was added"
    );
    let added = || async { t.doc("/repos/tree").await["context"] == t.w.a.at(project) };
    assert!(eventually(10, added).await, "the repository accepted");
    assert!(t.admin.page(project).await.contains("/repos/tree"));

    t.w.a.register("dave").await;
    let dave = Web::signed_in(&t.w.a, "dave").await;
    let page = dave.page(project).await;
    assert!(!page.contains("Add component"), "{page}");
    let token = dave.csrf(project).await;
    let remove = format!("{project}/components/remove");
    let fields = [("csrf", token.as_str()), ("component", &repo)];
    assert_eq!(dave.post(&remove, &fields).await.0, 403);
    assert_eq!(t.total(&components).await, 1);

    t.admin
        .submit(project, &remove, &[("component", &repo)])
        .await;
    assert!(
        t.total_becomes(&components, 0).await,
        "the repository was removed"
    );
}
