//! Every form of the tickets, projects, creating and look-up pages refused without a CSRF
//! token, with a wrong one, with another session's, and without a session: 403, nothing sent,
//! nothing changed.

use crate::web::Web;
use crate::world::{two, Two};

#[tokio::test]
async fn every_form_refuses_a_missing_or_wrong_csrf_token_and_changes_nothing() {
    let t = two().await;
    t.create("TicketTracker", "Bugs", &[]).await;
    t.create("Project", "Orchard", &[]).await;
    t.create("Repository", "Tree", &[]).await;
    let fields = [("summary", "First"), ("content", "x")];
    t.admin
        .submit("/trackers/bugs", "/trackers/bugs/tickets", &fields)
        .await;
    t.w.a.register("dave").await;
    let dave = Web::signed_in(&t.w.a, "dave").await;
    let foreign = dave.csrf("/trackers/bugs").await;
    let before = Two::outbox(&t.w.a, "admin").await;
    let anonymous = Web::anonymous(&t.w.a);
    for (action, fields) in every_form(&t) {
        let with = |token: &str| {
            let mut all = vec![("csrf".to_string(), token.to_string())];
            all.extend(fields.iter().cloned());
            all
        };
        for (who, web, sent) in [
            ("no token", &t.admin, fields.clone()),
            ("a wrong token", &t.admin, with("0123abcd")),
            ("another session's token", &t.admin, with(&foreign)),
            ("no session, no token", &anonymous, fields.clone()),
        ] {
            let sent: Vec<(&str, &str)> =
                sent.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let (s, _, body) = web.post(action, &sent).await;
            assert_eq!(s, 403, "{action} with {who}: {body}");
        }
    }
    assert_eq!(
        Two::outbox(&t.w.a, "admin").await,
        before,
        "nothing was sent"
    );
    nothing_changed(&t).await;
}

/// Every form of these pages, with its fields but its token.
fn every_form(t: &Two) -> Vec<(&'static str, Vec<(String, String)>)> {
    let tracker = t.w.a.at("/trackers/bugs");
    let (repo, ticket) = (t.w.a.at("/repos/tree"), format!("{tracker}/tickets/1"));
    let f = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    vec![
        ("/trackers/bugs/tickets", f(&[("summary", "Second")])),
        ("/trackers/bugs/tickets/1/comments", f(&[("content", "hi")])),
        ("/trackers/bugs/tickets/1/resolve", f(&[])),
        ("/trackers/bugs/tickets/1/reopen", f(&[])),
        ("/projects/orchard/components", f(&[("component", &repo)])),
        (
            "/projects/orchard/components/remove",
            f(&[("component", &repo)]),
        ),
        (
            "/factories/main/create",
            f(&[("type", "Project"), ("name", "Other")]),
        ),
        ("/lookup/follow", f(&[("object", &repo)])),
        ("/lookup/star", f(&[("object", &repo)])),
        (
            "/lookup/ticket",
            f(&[("tracker", &tracker), ("summary", "Third")]),
        ),
        (
            "/lookup/comment",
            f(&[("ticket", &ticket), ("content", "hi")]),
        ),
        (
            "/lookup/create",
            f(&[
                ("factory", &t.w.factory),
                ("type", "Project"),
                ("name", "Other"),
            ]),
        ),
    ]
}

/// The tracker, its ticket, the project, the repository and the Factory are as they were.
async fn nothing_changed(t: &Two) {
    assert_eq!(t.total("/trackers/bugs/tickets").await, 1);
    assert_eq!(t.total("/trackers/bugs/tickets/1/discussion").await, 0);
    assert_eq!(t.doc("/trackers/bugs/tickets/1").await["isResolved"], false);
    assert_eq!(t.total("/projects/orchard/components").await, 0);
    assert_eq!(t.total("/repos/tree/likes").await, 0);
    assert_eq!(t.total("/repos/tree/followers").await, 0);
    assert_eq!(t.w.a.get_ap(&t.w.a.at("/projects/other")).await.0, 404);
}
