//! The forms of the repository pages: star and follow (counted on the page), the settings page
//! and its forms (refused without or with a wrong CSRF token, and to a non-admin: nothing
//! changes), and a private repository's pages hidden from whoever may not read it.

use super::calls::{csrf_of, form, html, json, session, shows};
use super::common::eventually;
use super::common::forge::World;

/// bob stars and follows alice's repository through the page's forms.
pub async fn star_and_follow(w: &World, repo: &str) {
    w.a.register("bob").await;
    let bob = session(&w.a, "bob").await;
    let page = html(repo, Some(&bob)).await;
    shows(&page, &["action=\"/repos/webrepo/star\"", "Follow"]);
    let token = csrf_of(&page.body);
    for refused in [vec![], vec![("csrf", "forged")]] {
        let res = form(&format!("{repo}/star"), Some(&bob), &refused).await;
        assert_eq!(res.status, 403, "{}", res.body);
    }
    let res = form(&format!("{repo}/star"), None, &[("csrf", &token)]).await;
    assert_eq!(res.status, 403, "a token without its session is refused");
    assert_eq!(
        w.a.total(&format!("{repo}/likes"), None).await,
        0,
        "nothing changed"
    );
    let res = form(&format!("{repo}/star"), Some(&bob), &[("csrf", &token)]).await;
    assert_eq!((res.status, res.location.as_str()), (303, "/repos/webrepo"));
    let starred = || async { w.a.total(&format!("{repo}/likes"), None).await == 1 };
    assert!(eventually(10, starred).await, "the Like is counted");
    let counted = html(repo, None).await;
    shows(&counted, &["<span class=\"count\">1</span> stars"]);
    let res = form(&format!("{repo}/follow"), Some(&bob), &[("csrf", &token)]).await;
    assert_eq!(res.status, 303);
    let followed = || async { w.a.total(&format!("{repo}/followers"), None).await == 1 };
    assert!(eventually(10, followed).await, "the Follow is accepted");
}

async fn name_of(w: &World, repo: &str) -> String {
    let token = w.a.login("alice").await;
    let (_, _, doc) = json(repo, Some(&token)).await;
    doc["name"].as_str().unwrap_or_default().to_string()
}

/// The settings page and its forms: only alice (the repository's admin) changes anything.
pub async fn settings(w: &World, repo: &str) {
    let settings = format!("{repo}/settings");
    let anonymous = html(&settings, None).await;
    assert_eq!(
        (anonymous.status, anonymous.location.as_str()),
        (303, "/login")
    );
    let bob = session(&w.a, "bob").await;
    let by_bob = html(&settings, Some(&bob)).await;
    assert_eq!(by_bob.status, 403, "{}", by_bob.body);
    let alice = session(&w.a, "alice").await;
    let page = html(&settings, Some(&alice)).await;
    shows(
        &page,
        &[
            "settings/edit",
            "settings/invite",
            "settings/archive",
            "settings/delete",
        ],
    );
    let token = csrf_of(&page.body);
    let before = name_of(w, repo).await;
    refused(repo, &alice, &bob, &token).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(name_of(w, repo).await, before, "nothing changed");
    let fields = [
        ("csrf", token.as_str()),
        ("name", "Renamed web"),
        ("summary", "Pages"),
        ("visibility", "public"),
    ];
    let res = form(&format!("{settings}/edit"), Some(&alice), &fields).await;
    assert_eq!(
        (res.status, res.location.as_str()),
        (303, "/repos/webrepo/settings")
    );
    let renamed = || async { name_of(w, repo).await == "Renamed web" };
    assert!(eventually(10, renamed).await, "the Edit was applied");
    collaborators(w, repo, &alice, &token).await;
    archive(w, repo, &alice, &token).await;
    let wrong = form(
        &format!("{settings}/delete"),
        Some(&alice),
        &[("csrf", &token), ("confirm", "other")],
    )
    .await;
    assert_eq!(wrong.status, 400, "a delete must be confirmed by the id");
}

/// Every settings form refused: no token, a wrong one, another session's, bob's own (not an
/// admin), no session.
async fn refused(repo: &str, alice: &str, bob: &str, token: &str) {
    let settings = format!("{repo}/settings");
    let bob_token = csrf_of(&html(repo, Some(bob)).await.body);
    let edit = format!("{settings}/edit");
    for (session, fields) in [
        (Some(alice), vec![("name", "Hacked")]),
        (Some(alice), vec![("name", "Hacked"), ("csrf", "wrong")]),
        (
            Some(alice),
            vec![("name", "Hacked"), ("csrf", bob_token.as_str())],
        ),
        (
            Some(bob),
            vec![("name", "Hacked"), ("csrf", bob_token.as_str())],
        ),
        (None, vec![("name", "Hacked"), ("csrf", token)]),
    ] {
        let res = form(&edit, session, &fields).await;
        assert_eq!(res.status, 403, "{fields:?}: {}", res.body);
    }
    for which in ["archive", "delete", "invite", "remove"] {
        let res = form(
            &format!("{settings}/{which}"),
            Some(bob),
            &[("csrf", &bob_token)],
        )
        .await;
        assert_eq!(res.status, 403, "bob may not {which}");
    }
}

/// alice archives the repository (its pages say so), then unarchives it.
async fn archive(w: &World, repo: &str, alice: &str, token: &str) {
    let alice_api = w.a.login("alice").await;
    for archived in ["true", "false"] {
        let fields = [("csrf", token), ("archived", archived)];
        let res = form(&format!("{repo}/settings/archive"), Some(alice), &fields).await;
        assert_eq!(res.status, 303, "{}", res.body);
        let applied = || async {
            let (_, _, doc) = json(repo, Some(&alice_api)).await;
            doc["isArchived"].as_bool().unwrap_or(false).to_string() == archived
        };
        assert!(eventually(10, applied).await, "archived: {archived}");
        let page = html(repo, None).await;
        let tagged = page.body.contains("<span class=\"tag\">archived</span>");
        assert_eq!(tagged.to_string(), archived);
    }
}

/// alice invites bob by handle; he accepts; the settings page lists his Grant; she revokes it.
async fn collaborators(w: &World, repo: &str, alice: &str, token: &str) {
    let settings = format!("{repo}/settings");
    let handle = format!("bob@{}", url::Url::parse(repo).unwrap().authority());
    let fields = [("csrf", token), ("who", handle.as_str()), ("role", "write")];
    let res = form(&format!("{settings}/invite"), Some(alice), &fields).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let bob_api = w.a.login("bob").await;
    let invite =
        w.a.find_in_inbox("bob", &bob_api, 10, |v| v["type"] == "Invite")
            .await;
    let invite = invite.expect("bob received the Invite");
    let accept = serde_json::json!({"type": "Accept", "object": invite["id"]});
    assert_eq!(w.a.post_outbox("bob", &bob_api, &accept).await.0, 201);
    let held =
        w.a.grant_on("bob", repo, "active", 10)
            .await
            .expect("bob holds write");
    assert_eq!(held["object"], "write");
    let bob_iri = w.a.at("/people/bob");
    let listed = html(&settings, Some(alice)).await;
    shows(&listed, &[bob_iri.as_str(), "Revoke"]);
    let fields = [("csrf", token), ("who", bob_iri.as_str())];
    let res = form(&format!("{settings}/remove"), Some(alice), &fields).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(
        w.a.grant_on("bob", repo, "revoked", 10).await.is_some(),
        "revoked"
    );
}

/// alice makes the repository private: its pages are 404 to anonymous visitors and to bob.
pub async fn private_pages_are_hidden(w: &World, repo: &str, hash: &str) {
    let alice = session(&w.a, "alice").await;
    let token = csrf_of(&html(&format!("{repo}/settings"), Some(&alice)).await.body);
    let fields = [
        ("csrf", token.as_str()),
        ("name", "Renamed web"),
        ("visibility", "private"),
    ];
    let res = form(&format!("{repo}/settings/edit"), Some(&alice), &fields).await;
    assert_eq!(res.status, 303);
    let hidden = || async { html(repo, None).await.status == 404 };
    assert!(eventually(10, hidden).await, "private");
    let bob = session(&w.a, "bob").await;
    let commit = format!("/commits/{hash}");
    let pages = [
        "",
        "/tree/main",
        "/blob/main/README.md",
        "/log",
        "/refs",
        "/settings",
        &commit,
    ];
    for page in pages {
        for who in [None, Some(bob.as_str())] {
            let res = html(&format!("{repo}{page}"), who).await;
            assert_eq!(res.status, 404, "{page} as {who:?}");
        }
    }
    let mine = html(&format!("{repo}/tree/main"), Some(&alice)).await;
    shows(&mine, &["README.md", "private"]);
}
