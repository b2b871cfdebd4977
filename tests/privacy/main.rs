//! Privacy over real HTTP: `bto`/`bcc` are never served (outbox, `{actor}/activities/{id}`,
//! inboxes) while their recipients still receive the activity, and a non-public activity is
//! served only to its actor's owner, its addressees (token or signed GET), the followers it is
//! addressed to, and admins; anyone else gets the same 404 as for an unknown activity.

#[path = "../common/mod.rs"]
mod common;

mod setup;

use common::eventually;
use common::remote::Sign;
use serde_json::{json, Value};
use setup::{assert_no_hidden, get, inbox_item, setup, Setup, PUBLIC};

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

    received_with_bcc(&t, &dave, &carol).await;
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
    signed_gets_serve_the_addressee(&t, &dm).await;
    let bcc = a_bcc_d_person_reads_their_copy(&t, &dave).await;
    let to_followers = followers_only_is_served_to_followers(&t).await;
    the_outbox_shows_each_what_they_may_read(&t, [&dm, &bcc, &to_followers]).await;
}

/// Received from a remote server with bcc: routed to the bcc'd person, stored without it.
async fn received_with_bcc(t: &Setup, dave: &str, carol: &str) {
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

/// Signed GETs: the addressee is served, anyone else gets 404; a GET signed for another host is
/// refused.
async fn signed_gets_serve_the_addressee(t: &Setup, dm: &str) {
    let (s, doc) = t.remote.signed_get(dm, "mallory", None).await;
    assert_eq!(s, 200, "{doc}");
    let (s, _) = t.remote.signed_get(dm, "eve", None).await;
    assert_eq!(s, 404);
    let (s, doc) = t
        .remote
        .signed_get(dm, "mallory", Some("other.example"))
        .await;
    assert_eq!(s, 401, "{doc}");
    assert!(
        doc["error"]
            .as_str()
            .is_some_and(|e| e.contains("other.example")),
        "{doc}"
    );
}

/// A bcc'd local person may read what was sent to them; the copy does not show the bcc.
/// Answers the activity's id.
async fn a_bcc_d_person_reads_their_copy(t: &Setup, dave: &str) -> String {
    let carol = t.person("carol");
    let bcc = t
        .post(json!({"type": "Create", "to": [dave], "bcc": [carol], "object": {"type": "Note"}}))
        .await;
    let (s, doc) = get(&bcc, Some(&t.tokens["carol"])).await;
    assert_eq!(s, 200, "{doc}");
    assert_no_hidden("the activity served to a bcc'd person", &doc);
    assert_eq!(get(&bcc, None).await.0, 404);
    bcc
}

/// Followers only: a follower's (eve's) signed GET is served, nobody else's. Answers the
/// activity's id.
async fn followers_only_is_served_to_followers(t: &Setup) -> String {
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
    to_followers
}

/// The outbox shows strangers the public items only; alice and the admin see everything
/// (`[dm, bcc, to_followers]` among it); others what they may read: their own messages,
/// followers-only posts if they follow.
async fn the_outbox_shows_each_what_they_may_read(
    t: &Setup,
    [dm, bcc, to_followers]: [&String; 3],
) {
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
        for id in [dm, bcc, to_followers, &public] {
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
