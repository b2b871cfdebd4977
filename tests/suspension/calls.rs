//! What the suspension tests do over and over: the admin API's calls, a remote Follow, a push
//! and a GET of an ActivityPub document, over real HTTP and the real `git`.

use crate::common::git::GitUser;
use crate::common::remote::{FakeRemote, Sign};
use crate::common::{client, eventually, Instance};
use serde_json::{json, Value};
use std::path::Path;
use std::process::Output;

/// `POST` (`on`) or `DELETE` `/api/v1/admin/accounts/{username}/suspend` with an optional
/// token: (status, JSON body).
pub async fn suspension(
    inst: &Instance,
    token: Option<&str>,
    username: &str,
    on: bool,
) -> (u16, Value) {
    let url = inst.at(&format!("/api/v1/admin/accounts/{username}/suspend"));
    let mut req = match on {
        true => client().post(url),
        false => client().delete(url),
    };
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("suspension call");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// `GET /api/v1/admin/accounts` with an optional token: (status, JSON body).
pub async fn accounts(inst: &Instance, token: Option<&str>) -> (u16, Value) {
    let mut req = client().get(inst.at("/api/v1/admin/accounts"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("accounts call");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The listed account named `username`.
pub fn listed<'a>(list: &'a Value, username: &str) -> &'a Value {
    (list["items"].as_array().expect("items").iter())
        .find(|a| a["username"] == username)
        .unwrap_or_else(|| panic!("{username} is listed: {list}"))
}

/// `GET /.well-known/webfinger?resource=acct:USER@HOST`: the status.
pub async fn webfinger(inst: &Instance, username: &str) -> u16 {
    let host = inst.url.trim_start_matches("http://");
    let url = inst.at(&format!(
        "/.well-known/webfinger?resource=acct:{username}@{host}"
    ));
    client()
        .get(url)
        .send()
        .await
        .expect("webfinger")
        .status()
        .as_u16()
}

/// A signed Follow of `object` by the remote actor `who`, POSTed to `inbox`: (status, body).
pub async fn follow(remote: &FakeRemote, who: &str, object: &str, inbox: &str) -> (u16, Value) {
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/follow-{}", remote.actor(who), unique()),
        "type": "Follow", "actor": remote.actor(who), "object": object,
    });
    let body = serde_json::to_vec(&follow).unwrap();
    remote.post(inbox, &body, &Sign::by(who)).await
}

/// A number no other call of this process answers.
fn unique() -> u128 {
    (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH))
        .expect("clock")
        .as_nanos()
}

/// mallory on `remote` follows `person` and is accepted.
pub async fn remote_follows(remote: &FakeRemote, person: &str) {
    let (s, res) = follow(remote, "mallory", person, &format!("{person}/inbox")).await;
    assert_eq!(s, 202, "{res}");
    let accepted = || async {
        (remote.received().iter()).any(|(_, _, v)| v["type"] == "Accept" && v["actor"] == person)
    };
    assert!(eventually(10, accepted).await, "the Follow was accepted");
}

/// `user` pushes `main` of `dir` over SSH to `repo`.
pub fn push(user: &GitUser, dir: &Path, repo: &str) -> Output {
    let url = user.url(&crate::common::git::path_of(repo));
    user.git(dir, &["push", "-q", &url, "main"])
}

/// stderr of a command that must have failed.
pub fn failed(out: Output) -> String {
    assert!(!out.status.success(), "expected a failure");
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// `url` answers 410 with a Tombstone of itself, in `person`'s context unless it is `person`.
pub async fn gone_with_a_tombstone(inst: &Instance, url: &str, person: &str) {
    let (s, doc) = inst.get_ap(url).await;
    assert_eq!(s, 410, "{url}: {doc}");
    assert_eq!(doc["type"], "Tombstone", "{url}: {doc}");
    assert_eq!(doc["id"], url);
    assert!(doc["deleted"].is_string(), "{doc}");
    if url == person {
        assert_eq!(doc["formerType"], "Person");
    } else {
        assert_eq!(doc["context"], person);
    }
}
