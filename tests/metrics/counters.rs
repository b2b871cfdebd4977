//! The counters and gauges after real traffic: a signed Follow accepted and POSTs refused (bad
//! signature, unknown inbox, not JSON), the Accept's delivery failing at the remote, an SSH
//! push and clone, an HTTP clone; every route label a registered pattern.

use crate::common::forge::with_repo_in;
use crate::common::git::{git_in, ok, path_of, work_tree};
use crate::common::remote::{FakeRemote, Sign};
use crate::common::{eventually, Instance};
use crate::scrape::{scrape, Scrape};
use serde_json::json;

const INBOX_ROUTE: &str = "/{segment}/{id}/inbox";

fn requests(route: &str, status: u16) -> String {
    format!(r#"orchard_http_requests_total{{route="{route}",status="{status}"}}"#)
}

fn inbox(outcome: &str, reason: &str) -> String {
    format!(r#"orchard_inbox_activities_total{{outcome="{outcome}",reason="{reason}"}}"#)
}

fn git(what: &str, transport: &str) -> String {
    format!(r#"orchard_git_{what}_total{{transport="{transport}"}}"#)
}

#[tokio::test]
async fn counters_move_with_inbox_posts_git_and_deliveries() {
    let (w, alice, repo) = with_repo_in("Metered", "[metrics]\nenabled = true\n").await;
    let remote = FakeRemote::start();
    // The remote's inbox fails: the Accept of the Follow below is retried.
    remote.set_inbox_status(500);
    let before = scrape(&w.a.url).await;
    inbox_posts(&w.a, &remote).await;
    let path = path_of(&repo);
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 2);
    ok(alice.git(&src, &["push", &alice.url(&path), "main"]));
    ok(alice.git(tmp.path(), &["clone", "-q", &alice.url(&path), "over-ssh"]));
    ok(git_in(
        tmp.path(),
        &["clone", "-q", &repo, "over-http"],
        None,
    ));
    // Not found: no route matched.
    let res = crate::common::client()
        .get(w.a.at("/no/such/route/here"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    let failed = r#"orchard_delivery_failures_total{host="127.0.0.1"}"#;
    let counted = eventually(20, || async { scrape(&w.a.url).await.get(failed) >= 1.0 }).await;
    let after = scrape(&w.a.url).await;
    assert!(counted, "the failing delivery is counted:\n{}", after.text);
    check_counts(&before, &after);
}

/// A Follow of alice by mallory accepted; refused: signed with another key, to an unknown
/// inbox, not JSON.
async fn inbox_posts(a: &Instance, remote: &FakeRemote) {
    let alice = a.at("/people/alice");
    let follow = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/follow-1", remote.actor("mallory")),
        "type": "Follow",
        "actor": remote.actor("mallory"),
        "object": alice,
    }))
    .unwrap();
    let inbox_url = format!("{alice}/inbox");
    let (s, body) = remote.post(&inbox_url, &follow, &Sign::by("mallory")).await;
    assert_eq!(s, 202, "{body}");
    let wrong_key = Sign {
        key_of: Some("eve".into()),
        ..Sign::by("mallory")
    };
    let (s, _) = remote.post(&inbox_url, &follow, &wrong_key).await;
    assert_eq!(s, 401, "signed with another key");
    let nobody = a.at("/people/nobody/inbox");
    let (s, _) = remote.post(&nobody, &follow, &Sign::by("mallory")).await;
    assert_eq!(s, 404, "no such inbox");
    let (s, _) = remote
        .post(&inbox_url, b"not json", &Sign::by("mallory"))
        .await;
    assert_eq!(s, 400, "not JSON");
}

fn check_counts(before: &Scrape, after: &Scrape) {
    let text = &after.text;
    assert_eq!(
        after.grew(before, &inbox("accepted", "none")),
        1.0,
        "{text}"
    );
    assert_eq!(
        after.grew(before, &inbox("refused", "signature")),
        1.0,
        "{text}"
    );
    assert_eq!(
        after.grew(before, &inbox("refused", "not_found")),
        1.0,
        "{text}"
    );
    assert_eq!(
        after.grew(before, &inbox("refused", "malformed")),
        1.0,
        "{text}"
    );
    assert_eq!(
        after.grew(before, &requests(INBOX_ROUTE, 202)),
        1.0,
        "{text}"
    );
    assert_eq!(
        after.grew(before, &requests(INBOX_ROUTE, 401)),
        1.0,
        "{text}"
    );
    assert_eq!(
        after.grew(before, &requests("unmatched", 404)),
        1.0,
        "{text}"
    );
    assert_eq!(after.grew(before, &git("pushes", "ssh")), 1.0, "{text}");
    assert_eq!(after.grew(before, &git("clones", "ssh")), 1.0, "{text}");
    assert_eq!(after.grew(before, &git("clones", "http")), 1.0, "{text}");
    assert_eq!(after.get(&git("pushes", "http")), 0.0, "{text}");
    // The Accept waits in the queue for its retry.
    assert!(after.get("orchard_delivery_queue_depth") >= 1.0, "{text}");
    assert!(after.get("orchard_active_actors") >= 1.0, "{text}");
    assert!(after.get("orchard_store_bytes") > 0.0, "{text}");
    // Routes are patterns: no path anyone requested appears in a label.
    for (series, _) in after.of("orchard_http_requests_total") {
        for raw in ["alice", "nobody", "metered", "no/such"] {
            assert!(!series.contains(raw), "{series} carries a path");
        }
    }
    assert!(
        after.get(&requests("/repos/{id}/info/refs", 200)) >= 1.0,
        "{text}"
    );
}
