//! Who reads an error box: without a token 401, a person who does not administer the actor 403,
//! an unknown local actor 404, a malformed IRI or another instance's 400; the instance's box is
//! for instance admins only. The web page `/errors` shows the same box to the same people, its
//! content escaped.

use crate::setup::{errors_url, get, Two};
use crate::visitor::Visitor;

/// Every refused read of the API.
pub async fn others_are_refused(t: &Two) {
    let alice = t.a.login("alice").await;
    let url = errors_url(&t.a, &t.factory);
    let (s, body) = get(&url, None).await;
    assert_eq!(s, 401, "no token: {body}");
    let (s, body) = get(&url, Some("not-a-token")).await;
    assert_eq!(s, 401, "a made-up token: {body}");
    let (s, body) = get(&url, Some(&alice)).await;
    assert_eq!(s, 403, "alice does not administer the Factory: {body}");
    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()));
    let (s, _) = get(&errors_url(&t.a, &t.a.at("/people/admin")), Some(&alice)).await;
    assert_eq!(s, 403, "another person's box");
    let (s, body) = get(&errors_url(&t.a, &t.alice), Some(&alice)).await;
    assert_eq!(s, 200, "her own box: {body}");
    let cases = [
        (t.a.at("/repos/nobody"), 404, "an unknown actor"),
        (t.a.at("/people/ghost"), 404, "an unknown person"),
        ("not an IRI".to_string(), 400, "a malformed IRI"),
        ("mailto:alice@example.org".to_string(), 400, "not http(s)"),
        (t.bob.clone(), 400, "an actor of another instance"),
    ];
    for (actor, status, what) in cases {
        let (s, body) = get(&errors_url(&t.a, &actor), Some(&alice)).await;
        assert_eq!(s, status, "{what}: {body}");
    }
    let (s, _) = get(&t.a.at("/api/v1/errors"), Some(&alice)).await;
    assert_eq!(s, 400, "no actor given");
    let admin_errors = t.a.at("/api/v1/admin/errors");
    assert_eq!(get(&admin_errors, None).await.0, 401);
    assert_eq!(
        get(&admin_errors, Some(&alice)).await.0,
        403,
        "not an admin"
    );
    let factory_admin = t.a.login("admin").await;
    let (s, _) = get(&admin_errors, Some(&factory_admin)).await;
    assert_eq!(s, 403, "a Factory's admin is not an instance admin");
}

/// The page, for the Factory's admin and the instance admin; refused to the others.
pub async fn the_page_shows_the_box_to_its_admins(t: &Two, create_id: &str) {
    let q: String = url::form_urlencoded::byte_serialize(t.factory.as_bytes()).collect();
    let path = format!("/errors?actor={q}");
    let mut anon = Visitor::new(&t.a.url);
    let res = anon.get(&path).await;
    assert_eq!(res.status, 303, "not signed in: to sign in");
    let mut admin = Visitor::new(&t.a.url);
    admin.sign_in("admin", "correct horse").await;
    let page = admin.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(page.body.contains("<h1>Error box</h1>"));
    assert!(page.body.contains(create_id), "the entry is listed");
    assert!(page.body.contains("rejected"));
    assert!(page.body.contains("<th scope=\"col\">Reason</th>"));
    let link = format!("href=\"{path}\"");
    let factory_page = admin.get("/factories/main").await;
    assert!(
        factory_page.body.contains(&link),
        "linked from the Factory's page for its admin"
    );
    let mut alice = Visitor::new(&t.a.url);
    alice.sign_in("alice", "correct horse").await;
    assert_eq!(alice.get(&path).await.status, 403, "alice is not its admin");
    let factory_page = alice.get("/factories/main").await;
    assert!(!factory_page.body.contains(&link), "and not for others");
    assert_eq!(alice.get("/errors").await.status, 400, "the instance's box");
    let settings = alice.get("/settings").await;
    let mine: String = url::form_urlencoded::byte_serialize(t.alice.as_bytes()).collect();
    assert!(
        settings.body.contains(&format!("/errors?actor={mine}")),
        "linked from settings"
    );
    assert_eq!(
        alice.get(&format!("/errors?actor={mine}")).await.status,
        200
    );
    let mut root = Visitor::new(&t.a.url);
    root.sign_in("root", "correct horse").await;
    assert!(root.get("/admin").await.body.contains("href=\"/errors\""));
    let all = root.get("/errors").await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert!(all.body.contains(create_id));
}
