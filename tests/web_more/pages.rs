//! More of the pages: the tracker list filters and pages; hostile ticket HTML is cleaned on
//! the ticket page; bob on B follows and stars A's repository from B's look-up page and sees
//! the answer; bob, holding `write` on A's Factory, creates a repository on A from B's page.

use crate::common::eventually;
use crate::common::forge::invite_and_accept;
use crate::web::{enc, Web};
use crate::world::two;
use serde_json::json;

#[tokio::test]
async fn the_tracker_page_filters_and_pages_and_cleans_hostile_html() {
    let t = two().await;
    t.create("TicketTracker", "Bugs", &[]).await;
    let tracker = t.w.a.at("/trackers/bugs");
    let hostile = "<p>hi</p><script>alert(1)</script><img src=x onerror=alert(2)>";
    for n in 1..=21 {
        let content = if n == 1 { hostile } else { "<p>x</p>" };
        let summary = format!("Bug number {n}.");
        let offer = json!({"type": "Offer", "to": [tracker], "target": tracker,
            "object": {"type": "Ticket", "summary": summary, "content": content}});
        let (s, body) = t.w.a.post_outbox("admin", &t.w.admin_token, &offer).await;
        assert_eq!(s, 201, "{body}");
    }
    assert!(t.total_becomes("/trackers/bugs/tickets", 21).await);
    let first = t.admin.page("/trackers/bugs").await;
    assert!(
        first.contains("Page 1 of 2") && first.contains("21 open"),
        "{first}"
    );
    assert!(first.contains("Bug number 21.") && !first.contains("Bug number 1."));
    let second = t.admin.page("/trackers/bugs?state=open&page=2").await;
    assert!(second.contains("Bug number 1."), "{second}");
    let closed = t.admin.page("/trackers/bugs?state=closed").await;
    assert!(closed.contains("No tickets here") && closed.contains("0 closed"));
    let page = t.admin.page("/trackers/bugs/tickets/1").await;
    assert!(page.contains("<p>hi</p>"), "{page}");
    assert!(
        !page.contains("<script>alert") && !page.contains("onerror"),
        "{page}"
    );
    let (s, _) = t.admin.get("/trackers/bugs/tickets/99").await;
    assert_eq!(s, 404);
    let list = t.admin.redirect_of("/trackers/bugs/tickets").await;
    assert_eq!(
        list,
        (303, "/trackers/bugs".to_string()),
        "a browser goes to the page"
    );
}

#[tokio::test]
async fn bob_follows_and_stars_a_repository_of_a_from_b() {
    let t = two().await;
    assert_eq!(t.create("Repository", "Leaf", &[]).await, "/repos/leaf");
    let repo = t.w.a.at("/repos/leaf");
    let bob = Web::signed_in(&t.b, "bob").await;
    let lookup = format!("/lookup?q={}", enc(&repo));
    let page = bob.page(&lookup).await;
    assert!(
        page.contains("git clone ") && page.contains(">Star<"),
        "{page}"
    );
    let fields = [("object", repo.as_str())];
    let went = bob.submit(&lookup, "/lookup/follow", &fields).await;
    let followed = || async { t.total("/repos/leaf/followers").await == 1 };
    assert!(
        eventually(15, followed).await,
        "A's repository has bob as follower"
    );
    let accepted = || async { bob.page(&went).await.contains("Accepted.") };
    assert!(eventually(15, accepted).await, "bob sees the Accept");
    bob.submit(&lookup, "/lookup/star", &fields).await;
    assert!(
        t.total_becomes("/repos/leaf/likes", 1).await,
        "bob's star reached A"
    );
    let (s, location) = Web::anonymous(&t.b).redirect_of(&lookup).await;
    assert_eq!(
        (s, location.as_str()),
        (303, "/login"),
        "look-up needs a session"
    );
}

#[tokio::test]
async fn bob_creates_a_repository_on_a_through_its_factory_from_b() {
    let t = two().await;
    invite_and_accept(&t.w, &t.b, "bob", "write", json!({})).await;
    let bob = Web::signed_in(&t.b, "bob").await;
    let lookup = format!("/lookup?q={}", enc(&t.w.factory));
    let page = bob.page(&lookup).await;
    assert!(
        page.contains("your role: write") && page.contains("New repository"),
        "{page}"
    );
    let fields = [
        ("factory", t.w.factory.as_str()),
        ("type", "Repository"),
        ("name", "Branch"),
    ];
    let went = bob.submit(&lookup, "/lookup/create", &fields).await;
    let repo = t.w.a.at("/repos/branch");
    assert!(
        went.starts_with(&format!("/lookup?q={}", enc(&repo))),
        "{went}"
    );
    assert_eq!(t.doc("/repos/branch").await["type"], "Repository");
    let mine = || async { bob.page("/lookup").await.contains(&repo) };
    assert!(
        eventually(10, mine).await,
        "bob may write to the new repository on A"
    );
    t.b.register("carol").await;
    let carol = Web::signed_in(&t.b, "carol").await;
    let page = carol.page(&lookup).await;
    assert!(!page.contains("New repository"), "{page}");
    let token = carol.csrf(&lookup).await;
    let mut refused = vec![("csrf", token.as_str())];
    refused.extend_from_slice(&fields);
    assert_eq!(carol.post("/lookup/create", &refused).await.0, 403);
}

#[tokio::test]
async fn a_visit_grant_is_not_invoked_to_open_a_ticket_on_a_public_tracker() {
    let t = two().await;
    t.create("TicketTracker", "Bugs", &[]).await;
    let (a, tracker) = (&t.w.a, t.w.a.at("/trackers/bugs"));
    let admin_grant = a
        .grant_on("admin", &tracker, "active", 10)
        .await
        .expect("admin Grant");
    a.register("dave").await;
    let invite = json!({"type": "Invite", "object": a.at("/people/dave"), "instrument": "visit",
                        "target": tracker, "capability": admin_grant["id"]});
    let (s, body) = a.post_outbox("admin", &t.w.admin_token, &invite).await;
    assert_eq!(s, 201, "{body}");
    let token = a.login("dave").await;
    let invited = a
        .find_in_inbox("dave", &token, 10, |v| v["id"] == body["id"])
        .await;
    assert!(invited.is_some(), "dave was invited");
    let accept = json!({"type": "Accept", "object": body["id"]});
    assert_eq!(a.post_outbox("dave", &token, &accept).await.0, 201);
    assert!(a.grant_on("dave", &tracker, "active", 10).await.is_some());
    let dave = Web::signed_in(a, "dave").await;
    let fields = [("summary", "From a visitor"), ("content", "")];
    let went = dave
        .submit("/trackers/bugs", "/trackers/bugs/tickets", &fields)
        .await;
    assert_eq!(
        went, "/trackers/bugs/tickets/1",
        "the tracker accepted the Offer"
    );
    assert_eq!(
        t.doc("/trackers/bugs/tickets/1").await["summary"],
        "From a visitor"
    );
}
