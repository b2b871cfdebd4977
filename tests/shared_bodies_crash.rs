//! Shared bodies and `kill -9`: activities POSTed to the shared inbox for several local people
//! (each body stored once, referenced from every recipient's inbox) are all readable, whole, by
//! every recipient after the server is killed right after its last 202 and started again.

mod common;

use common::process::OrchardProcess;
use common::remote::{FakeRemote, Sign};
use serde_json::{json, Value};

const SETTINGS: &str =
    "[federation]\nallow_private_addresses = true\ninbox_requests_per_minute = 0\n";
const PEOPLE: usize = 5;
const SENDERS: usize = 3;
/// Activities per sender (all of them fit on the first inbox page, 20 items).
const EACH: usize = 6;

/// Posts `EACH` large Creates (sender `s`) to all `people`; answers the ids answered 202.
async fn send(remote: &FakeRemote, url: &str, people: &[String], s: usize) -> Vec<String> {
    let mut ok = Vec::new();
    for n in 0..EACH {
        let id = format!("{}/activities/big-{s}-{n}", remote.actor("mallory"));
        let activity = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": id,
            "type": "Create",
            "actor": remote.actor("mallory"),
            "to": people,
            "object": {"type": "Note", "content": format!("{s}-{n}-").repeat(4000)},
        });
        let body = serde_json::to_vec(&activity).unwrap();
        let (status, res) = remote
            .post(&format!("{url}/inbox"), &body, &Sign::by("mallory"))
            .await;
        assert_eq!(status, 202, "{res}");
        assert_eq!(res["stored"], PEOPLE, "{res}");
        ok.push(id);
    }
    ok
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_bodies_answered_202_survive_a_kill_9() {
    let remote = FakeRemote::start();
    let dir = tempfile::tempdir().unwrap();
    let mut server = OrchardProcess::start(dir.path(), SETTINGS).await;
    let client = common::client();
    let people = register_people(&client, &server.url).await;
    let url = server.url.clone();
    let (a, b, c) = tokio::join!(
        send(&remote, &url, &people, 0),
        send(&remote, &url, &people, 1),
        send(&remote, &url, &people, 2),
    );
    let sent: Vec<String> = [a, b, c].concat();
    assert_eq!(sent.len(), SENDERS * EACH);
    // Right after the last 202: no shutdown, no flush beyond what the 202s waited for.
    server.kill();
    server.restart().await;
    for p in 0..PEOPLE {
        reads_every_body_whole(&client, &url, p, &sent).await;
    }
}

/// Registers the PEOPLE people `p<i>` on `url`; answers their IRIs.
async fn register_people(client: &reqwest::Client, url: &str) -> Vec<String> {
    let mut people = Vec::new();
    for p in 0..PEOPLE {
        let res = client
            .post(format!("{url}/api/v1/register"))
            .json(&json!({"username": format!("p{p}"), "password": "correct horse"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        people.push(format!("{url}/people/p{p}"));
    }
    people
}

/// Person `p` logs in on `url` and reads every body of `sent` whole in their inbox.
async fn reads_every_body_whole(client: &reqwest::Client, url: &str, p: usize, sent: &[String]) {
    let login: Value = client
        .post(format!("{url}/api/v1/login"))
        .json(&json!({"username": format!("p{p}"), "password": "correct horse"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().unwrap();
    let page: Value = client
        .get(format!("{url}/people/p{p}/inbox?page=1"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = page["orderedItems"].as_array().cloned().unwrap_or_default();
    assert_eq!(page["totalItems"], SENDERS * EACH, "p{p}");
    for id in sent {
        let item = items.iter().find(|i| i["id"] == id.as_str());
        let (s, n) = id.rsplit_once("big-").unwrap().1.split_once('-').unwrap();
        let content = format!("{s}-{n}-").repeat(4000);
        let read = item.and_then(|i| i["object"]["content"].as_str());
        assert!(
            read == Some(content.as_str()),
            "p{p} reads {id} whole after the kill (read {:?} bytes)",
            read.map(str::len)
        );
    }
}
