//! The stages of the error box besides `rejected`, from a fake remote's POSTs to alice's inbox
//! and a delivery of hers that is refused; `unverified` entries are kept in memory only.

use crate::common::remote::{FakeRemote, Sign};
use crate::common::{eventually, Instance};
use crate::setup::{entries, wait_for_entry};
use crate::visitor::Visitor;
use serde_json::{json, Value};

/// A signed POST of `activity` (JSON) by `sign` to `inbox`: its status.
async fn post(remote: &FakeRemote, inbox: &str, activity: &Value, sign: &Sign) -> u16 {
    let body = serde_json::to_vec(activity).unwrap();
    remote.post(inbox, &body, sign).await.0
}

fn activity(remote: &FakeRemote, n: &str, kind: &str, object: Option<&str>) -> Value {
    let mallory = remote.actor("mallory");
    let mut a = json!({"@context": "https://www.w3.org/ns/activitystreams",
                       "id": format!("{mallory}/activities/{n}"), "type": kind, "actor": mallory});
    if let Some(o) = object {
        a["object"] = json!(o);
    }
    a
}

/// The ids of what the fake remote sent to alice.
struct Sent {
    forged: String,
    no_object: String,
    of_another: String,
    about_her: String,
    not_about_her: String,
}

#[tokio::test]
async fn each_stage_is_recorded_for_the_person_and_unverified_ones_only_in_memory() {
    let remote = FakeRemote::start();
    let mut a = Instance::start("a", crate::common::forge::B_SETTINGS).await;
    let alice = a.register("alice").await;
    let token = a.login("alice").await;
    let sent = send_each(&remote, &a, &alice).await;
    each_is_recorded(&a, &remote, &alice, &token, &sent).await;
    the_page_escapes_what_it_shows(&a).await;
    undelivered(&a, &remote, &alice, &token).await;

    a.restart().await;
    let token = a.login("alice").await;
    let after = entries(&a, &alice, &token).await;
    let kept = after
        .iter()
        .any(|e| e["activity"] == sent.no_object.as_str());
    assert!(kept, "stored entries stay");
    let gone = after.iter().all(|e| e["stage"] != "unverified");
    assert!(gone, "unverified ones were in memory only");
}

/// A forged signature, a Follow without object, a Follow of someone else, an unknown activity
/// about alice and one about someone else, each POSTed to alice's inbox.
async fn send_each(remote: &FakeRemote, a: &Instance, alice: &str) -> Sent {
    let inbox = format!("{alice}/inbox");
    let someone = a.at("/people/someone-else");
    let wrong_key = Sign {
        key_of: Some("eve".into()),
        ..Sign::by("mallory")
    };
    let mallory = Sign::by("mallory");
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    let forged = activity(remote, "forged", "Follow", Some(alice));
    assert_eq!(post(remote, &inbox, &forged, &wrong_key).await, 401);
    let no_object = activity(remote, "no-object", "Follow", None);
    assert_eq!(post(remote, &inbox, &no_object, &mallory).await, 400);
    let of_another = activity(remote, "of-another", "Follow", Some(&someone));
    assert_eq!(post(remote, &inbox, &of_another, &mallory).await, 202);
    let about_her = activity(remote, "dance", "<b>Dance</b>", Some(alice));
    assert_eq!(post(remote, &inbox, &about_her, &mallory).await, 202);
    let not_about_her = activity(remote, "dance-2", "Dance", Some(&someone));
    assert_eq!(post(remote, &inbox, &not_about_her, &mallory).await, 202);
    Sent {
        forged: id(&forged),
        no_object: id(&no_object),
        of_another: id(&of_another),
        about_her: id(&about_her),
        not_about_her: id(&not_about_her),
    }
}

/// Each is in alice's box with its stage, but the one not about her.
async fn each_is_recorded(
    a: &Instance,
    remote: &FakeRemote,
    alice: &str,
    token: &str,
    sent: &Sent,
) {
    let find = |want: &str| {
        let want = want.to_string();
        move |e: &Value| e["activity"] == want.as_str()
    };
    let e = wait_for_entry(a, alice, token, find(&sent.forged)).await;
    assert_eq!(e["stage"], "unverified", "{e}");
    assert_eq!(e["host"], remote.url.trim_start_matches("http://"));
    assert!(
        e["reason"].as_str().unwrap().contains("does not verify"),
        "{e}"
    );
    let e = wait_for_entry(a, alice, token, find(&sent.no_object)).await;
    assert_eq!(e["stage"], "malformed", "{e}");
    assert_eq!(e["actor"], remote.actor("mallory"));
    let e = wait_for_entry(a, alice, token, find(&sent.of_another)).await;
    assert_eq!(e["stage"], "failed", "{e}");
    assert!(
        e["reason"].as_str().unwrap().contains("another actor"),
        "{e}"
    );
    let e = wait_for_entry(a, alice, token, find(&sent.about_her)).await;
    assert_eq!(e["stage"], "ignored", "{e}");
    assert_eq!(e["recipient"], alice);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let now = entries(a, alice, token).await;
    let listed = now
        .iter()
        .any(|e| e["activity"] == sent.not_about_her.as_str());
    assert!(!listed, "not about her: not recorded");
    assert_eq!(
        now[0]["activity"],
        sent.about_her.as_str(),
        "the newest first"
    );
}

/// alice's page shows the type of the ignored activity as text, not markup.
async fn the_page_escapes_what_it_shows(a: &Instance) {
    let mut v = Visitor::new(&a.url);
    v.sign_in("alice", "correct horse").await;
    let settings = v.get("/settings").await;
    let marker = "href=\"/errors?actor=";
    let start = settings.body.find(marker).expect("a link to the error box") + "href=\"".len();
    let end = settings.body[start..].find('"').unwrap();
    let page = v.get(&settings.body[start..start + end]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("<b>Dance"), "escaped");
    let escaped = ["&lt;b&gt;Dance", "&#60;b&#62;Dance"];
    assert!(
        escaped.iter().any(|e| page.body.contains(e)),
        "{}",
        page.body
    );
}

/// alice follows mallory, whose inbox refuses it for good: `undelivered`, in alice's box.
async fn undelivered(a: &Instance, remote: &FakeRemote, alice: &str, token: &str) {
    remote.set_inbox_status(403);
    let follow = json!({"type": "Follow", "object": remote.actor("mallory"), "to": [remote.actor("mallory")]});
    let (s, body) = a.post_outbox("alice", token, &follow).await;
    assert_eq!(s, 201, "{body}");
    let follow_id = body["id"].as_str().unwrap().to_string();
    let tried = || async { !remote.received().is_empty() };
    assert!(eventually(15, tried).await, "the delivery was tried");
    let e = wait_for_entry(a, alice, token, |e| e["activity"] == follow_id.as_str()).await;
    assert_eq!(e["stage"], "undelivered", "{e}");
    assert_eq!(e["actor"], alice);
    assert_eq!(e["activityType"], "Follow");
    assert_eq!(e["recipient"], remote.actor("mallory"));
    assert!(e["reason"].as_str().unwrap().contains("403"), "{e}");
}
