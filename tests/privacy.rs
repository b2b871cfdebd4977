//! Privacy over real HTTP: `bto`/`bcc` are never served (outbox, `{actor}/activities/{id}`,
//! inboxes) while their recipients still receive the activity, and a non-public activity is
//! served only to its actor's owner, its addressees (token or signed GET), the followers it is
//! addressed to, and admins; anyone else gets the same 404 as for an unknown activity.

mod common;

use common::remote::{FakeRemote, Sign};
use common::{client, eventually, Instance};
use serde_json::{json, Value};

const SETTINGS: &str =
    "[federation]\nallow_private_addresses = true\n[accounts]\nadmins = [\"root\"]\n";
const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// GET with an optional bearer token: (status, JSON body).
async fn get(url: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = client()
        .get(url)
        .header("Accept", "application/activity+json");
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Panics if `bto` or `bcc` appears anywhere in `doc`.
fn assert_no_hidden(what: &str, doc: &Value) {
    let text = doc.to_string();
    assert!(
        !text.contains("\"bcc\"") && !text.contains("\"bto\""),
        "{what} shows the hidden audience: {text}"
    );
}

/// Polls a person's inbox for an activity with this id.
async fn inbox_item(a: &Instance, user: &str, token: &str, id: &str) -> Value {
    a.find_in_inbox(user, token, 10, |i| i["id"] == id)
        .await
        .unwrap_or_else(|| panic!("{user} received {id}"))
}

struct Setup {
    remote: FakeRemote,
    a: Instance,
    alice: String,
    tokens: std::collections::HashMap<&'static str, String>,
}

async fn setup() -> Setup {
    let remote = FakeRemote::start();
    // `root` is listed in `[accounts] admins`: the operator creates that account.
    let a = Instance::start_with_accounts("a", SETTINGS, &["root"]).await;
    let alice = a.register("alice").await;
    let mut tokens = std::collections::HashMap::new();
    for name in ["dave", "carol"] {
        a.register(name).await;
    }
    for name in ["alice", "dave", "carol", "root"] {
        tokens.insert(name, a.login(name).await);
    }
    Setup {
        remote,
        a,
        alice,
        tokens,
    }
}

impl Setup {
    async fn post(&self, activity: Value) -> String {
        let (s, res) = self
            .a
            .post_outbox("alice", &self.tokens["alice"], &activity)
            .await;
        assert_eq!(s, 201, "{res}");
        res["id"].as_str().unwrap().to_string()
    }

    fn person(&self, name: &str) -> String {
        self.a.at(&format!("/people/{name}"))
    }
}

#[tokio::test]
async fn bto_and_bcc_are_never_served_but_still_delivered() {
    let t = setup().await;
    let (dave, carol) = (t.person("dave"), t.person("carol"));
    let id = t
        .post(json!({
            "type": "Create",
            "to": [PUBLIC],
            "cc": [dave],
            "bcc": [carol, t.remote.actor("mallory")],
            "bto": [t.remote.actor("eve")],
            "object": {"type": "Note", "content": "hidden audience", "bcc": [carol]},
        }))
        .await;
    let outbox = format!("{}/outbox", t.alice);
    for token in [None, Some(t.tokens["alice"].as_str())] {
        let (s, doc) = get(&id, token).await;
        assert_eq!(s, 200, "{doc}");
        assert_eq!(doc["object"]["content"], "hidden audience");
        assert_no_hidden("the served activity", &doc);
        let items = t.a.collection(&outbox, token).await;
        assert!(items.iter().any(|i| i["id"] == id.as_str()));
        assert_no_hidden("the outbox", &json!(items));
    }
    // The hidden recipients receive it, without the hidden audience.
    for user in ["carol", "dave"] {
        let item = inbox_item(&t.a, user, &t.tokens[user], &id).await;
        assert_no_hidden("an inbox item", &item);
    }
    // mallory (bcc) and eve (bto) are behind the fake's one shared inbox: one POST for both.
    assert!(
        eventually(10, || async {
            t.remote
                .received()
                .iter()
                .any(|(path, _, body)| path == "/inbox" && body["id"] == id.as_str())
        })
        .await,
        "the bcc'd and bto'd remote people receive it"
    );
    for (_, _, body) in t.remote.received() {
        assert_no_hidden("a delivered copy", &body);
    }

    // Received from a remote server with bcc: routed to the bcc'd person, stored without it.
    let incoming = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/in", t.remote.actor("mallory")),
        "type": "Create",
        "actor": t.remote.actor("mallory"),
        "to": [dave],
        "bcc": [carol],
        "object": {"type": "Note", "content": "to dave, bcc carol", "bto": [carol]},
    });
    let body = serde_json::to_vec(&incoming).unwrap();
    let (s, res) = t
        .remote
        .post(&t.a.at("/inbox"), &body, &Sign::by("mallory"))
        .await;
    assert_eq!(s, 202, "{res}");
    assert_eq!(res["stored"], 2);
    let in_id = incoming["id"].as_str().unwrap();
    for user in ["carol", "dave"] {
        let item = inbox_item(&t.a, user, &t.tokens[user], in_id).await;
        assert_no_hidden("a received inbox item", &item);
    }
}

#[tokio::test]
async fn a_non_public_activity_is_served_only_to_its_audience() {
    let t = setup().await;
    let (dave, mallory) = (t.person("dave"), t.remote.actor("mallory"));
    let dm = t
        .post(json!({
            "type": "Create",
            "to": [dave, mallory],
            "object": {"type": "Note", "content": "for dave and mallory"},
        }))
        .await;
    let unknown = format!("{}/activities/0123456789abcdef", t.alice);
    for (who, token) in [("anonymous", None), ("carol", Some("carol"))] {
        for url in [&dm, &unknown] {
            let (s, doc) = get(url, token.map(|n| t.tokens[n].as_str())).await;
            assert_eq!(s, 404, "{who} GET {url}: {doc}");
            assert!(doc["error"].is_string(), "{doc}");
        }
    }
    for who in ["alice", "dave", "root"] {
        let (s, doc) = get(&dm, Some(&t.tokens[who])).await;
        assert_eq!(s, 200, "{who}: {doc}");
        assert_eq!(doc["object"]["content"], "for dave and mallory");
    }
    // Signed GETs: the addressee is served, anyone else gets 404; a GET signed for another
    // host is refused.
    let (s, doc) = t.remote.signed_get(&dm, "mallory", None).await;
    assert_eq!(s, 200, "{doc}");
    let (s, _) = t.remote.signed_get(&dm, "eve", None).await;
    assert_eq!(s, 404);
    let (s, doc) = t
        .remote
        .signed_get(&dm, "mallory", Some("other.example"))
        .await;
    assert_eq!(s, 401, "{doc}");
    assert!(
        doc["error"]
            .as_str()
            .is_some_and(|e| e.contains("other.example")),
        "{doc}"
    );

    // A bcc'd local person may read what was sent to them; the copy does not show the bcc.
    let carol = t.person("carol");
    let bcc = t
        .post(json!({"type": "Create", "to": [dave], "bcc": [carol], "object": {"type": "Note"}}))
        .await;
    let (s, doc) = get(&bcc, Some(&t.tokens["carol"])).await;
    assert_eq!(s, 200, "{doc}");
    assert_no_hidden("the activity served to a bcc'd person", &doc);
    assert_eq!(get(&bcc, None).await.0, 404);

    // Followers only: a follower's signed GET is served, nobody else's.
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/follow", t.remote.actor("eve")),
        "type": "Follow",
        "actor": t.remote.actor("eve"),
        "object": t.alice,
    });
    let body = serde_json::to_vec(&follow).unwrap();
    let inbox = format!("{}/inbox", t.alice);
    let (s, _) = t.remote.post(&inbox, &body, &Sign::by("eve")).await;
    assert_eq!(s, 202);
    let followers = format!("{}/followers", t.alice);
    assert!(
        eventually(10, || async {
            t.a.collection(&followers, None).await.len() == 1
        })
        .await
    );
    let to_followers = t
        .post(json!({
            "type": "Create",
            "to": [followers],
            "object": {"type": "Note", "content": "followers only"},
        }))
        .await;
    let (s, doc) = t.remote.signed_get(&to_followers, "eve", None).await;
    assert_eq!(s, 200, "{doc}");
    let (s, _) = t.remote.signed_get(&to_followers, "mallory", None).await;
    assert_eq!(s, 404);
    assert_eq!(get(&to_followers, None).await.0, 404);

    // The outbox shows strangers the public items only.
    let public = t
        .post(json!({"type": "Create", "cc": ["as:Public"], "object": {"type": "Note"}}))
        .await;
    let outbox = format!("{}/outbox", t.alice);
    let ids = |items: Vec<Value>| -> Vec<String> {
        items
            .iter()
            .filter_map(|i| i["id"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(
        ids(t.a.collection(&outbox, None).await),
        vec![public.clone()]
    );
    let (s, doc) = get(&public, None).await;
    assert_eq!(s, 200, "{doc}");
    for who in ["alice", "root"] {
        let all = ids(t.a.collection(&outbox, Some(&t.tokens[who])).await);
        for id in [&dm, &bcc, &to_followers, &public] {
            assert!(all.contains(id), "{who} sees {id} in the outbox");
        }
    }
    // Others see what they may read: their own messages, followers-only posts if they follow.
    let dave_sees = ids(t.a.collection(&outbox, Some(&t.tokens["dave"])).await);
    assert_eq!(dave_sees, vec![public.clone(), bcc.clone(), dm.clone()]);
    let carol_sees = ids(t.a.collection(&outbox, Some(&t.tokens["carol"])).await);
    assert_eq!(carol_sees, vec![public.clone(), bcc.clone()]);
    let (s, page) = t
        .remote
        .signed_get(&format!("{outbox}?page=1"), "eve", None)
        .await;
    assert_eq!(s, 200, "{page}");
    let items = page["orderedItems"].as_array().cloned().unwrap_or_default();
    let accept = items.iter().find(|i| i["type"] == "Accept");
    assert!(
        accept.is_some(),
        "eve sees the Accept of her Follow, addressed to her"
    );
    let mut expected = vec![public.clone(), to_followers.clone()];
    expected.extend(accept.and_then(|a| a["id"].as_str()).map(str::to_string));
    assert_eq!(ids(items), expected);
}
