//! `[log] format = "json"` on the real binary: every line it writes is a JSON object, the
//! start-up line included, and the lines of an activity's processing and of its delivery carry
//! the activity's actor, its id and the recipient in their span.

use crate::common::process::OrchardProcess;
use crate::common::remote::{FakeRemote, Sign};
use crate::common::{client, eventually};
use serde_json::{json, Value};

/// The JSON lines of the server's first boot; panics on a line that is not JSON.
fn json_lines(server: &OrchardProcess) -> Vec<Value> {
    server
        .log(1)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// True when some line's span (or one of its spans) has these fields.
fn some_span_has(lines: &[Value], actor: &str, activity: &str, recipient: &str) -> bool {
    lines.iter().any(|l| {
        let spans = l["spans"].as_array().cloned().unwrap_or_default();
        std::iter::once(l["span"].clone()).chain(spans).any(|s| {
            s["actor"] == actor && s["activity"] == activity && s["recipient"] == recipient
        })
    })
}

#[tokio::test]
async fn json_logs_name_the_actor_the_activity_and_the_recipient() {
    if std::env::var_os("ORCHARD_TEST_LOG").is_none() {
        // The per-activity lines are at debug level.
        std::env::set_var("ORCHARD_TEST_LOG", "info,orchard=debug,actors=debug");
    }
    let dir = tempfile::tempdir().unwrap();
    let settings = "[log]\nformat = \"json\"\n[federation]\nallow_private_addresses = true\n";
    let server = OrchardProcess::start(dir.path(), settings).await;
    let remote = FakeRemote::start();
    remote.set_inbox_status(500);
    let res = client()
        .post(format!("{}/api/v1/register", server.url))
        .json(&json!({"username": "bob", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let bob = format!("{}/people/bob", server.url);
    let follow_id = format!("{}/activities/f1", remote.actor("mallory"));
    let follow = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": follow_id, "type": "Follow", "actor": remote.actor("mallory"), "object": bob,
    }))
    .unwrap();
    let (s, body) = remote
        .post(&format!("{bob}/inbox"), &follow, &Sign::by("mallory"))
        .await;
    assert_eq!(s, 202, "{body}");
    let mallory = remote.actor("mallory");
    let processed = eventually(20, || async {
        some_span_has(&json_lines(&server), &mallory, &follow_id, &bob)
    })
    .await;
    let lines = json_lines(&server);
    assert!(
        processed,
        "no line of the Follow's processing names it:\n{}",
        server.log(1)
    );
    let started = lines
        .iter()
        .any(|l| l["message"] == "HTTP listening" && l["public_url"].as_str().is_some());
    assert!(started, "the start-up line is JSON too:\n{}", server.log(1));
    // Bob's Accept goes to mallory (her inbox or the remote's shared one); its failing delivery
    // is logged in its span.
    let delivery = eventually(20, || async {
        json_lines(&server).iter().any(|l| {
            l["span"]["name"] == "delivery"
                && l["span"]["actor"] == bob.as_str()
                && l["span"]["recipient"]
                    .as_str()
                    .is_some_and(|r| r.starts_with(&remote.url))
        })
    })
    .await;
    assert!(delivery, "the delivery's lines name it:\n{}", server.log(1));
}
