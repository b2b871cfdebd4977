//! The person page: the repositories a person administers and what they starred, and a
//! private repository only to those who may see it.

use super::common::forge;
use super::visitor::Visitor;
use serde_json::json;

#[tokio::test]
async fn the_person_page_lists_their_repositories_and_stars() {
    let w = forge::world().await;
    let answer = forge::create_via_factory(
        &w.a,
        "admin",
        &w.factory,
        "Repository",
        "tools",
        Some(&w.admin_grant),
    )
    .await;
    let repo = answer["result"].as_str().expect("created").to_string();
    let path = url::Url::parse(&repo).unwrap().path().to_string();
    let (s, body) =
        w.a.post_outbox(
            "admin",
            &w.admin_token,
            &json!({"type": "Like", "object": repo}),
        )
        .await;
    assert_eq!(s, 201, "{body}");
    let mut admin = Visitor::new(&w.a.url);
    assert_eq!(admin.sign_in("admin", "correct horse").await.status, 303);
    let page = admin.get("/people/admin").await;
    assert_eq!(page.status, 200);
    let (repos, stars) = page
        .body
        .split_once("id=\"stars\"")
        .expect("a Stars section");
    assert!(
        repos.contains(&format!("href=\"{path}\"")),
        "listed: {repos}"
    );
    assert!(stars.contains(&repo), "starred: {stars}");
    // A private one is listed to its admin, not to anonymous visitors.
    let secret = create_private(&w).await;
    let secret_path = url::Url::parse(&secret).unwrap().path().to_string();
    let mut v = Visitor::new(&w.a.url);
    let anonymous = v.get("/people/admin").await.body;
    assert!(anonymous.contains(&format!("href=\"{path}\"")));
    assert!(
        !anonymous.contains(&secret_path),
        "hidden from anonymous visitors"
    );
    let mine = admin.get("/people/admin").await.body;
    assert!(
        mine.contains(&format!("href=\"{secret_path}\"")),
        "its admin sees it"
    );
    assert!(mine.contains("private"));
}

/// The Factory's admin creates the private repository "secret"; answers its IRI.
async fn create_private(w: &forge::World) -> String {
    let create = json!({"type": "Create", "to": [w.factory], "capability": w.admin_grant,
        "object": {"type": "Repository", "name": "secret", "visibility": "private"}});
    let (s, body) = w.a.post_outbox("admin", &w.admin_token, &create).await;
    assert_eq!(s, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let answer =
        w.a.find_in_inbox("admin", &w.admin_token, 15, |v| {
            v["type"] == "Accept" && v["object"]["id"] == id
        })
        .await
        .expect("the Factory accepted");
    let secret = answer["result"].as_str().expect("created").to_string();
    secret
}
