//! Bearer tokens over real HTTP (issue 13, item 3): they expire (`[accounts]
//! token_expiry_days`), `POST /api/v1/logout` revokes the calling one, `GET /api/v1/tokens` and
//! `DELETE /api/v1/tokens/{id}` manage one's own, `POST /api/v1/password` changes the password
//! and revokes the others, and tokens stored before expiries existed keep working.

mod common;

use common::{client, Instance};
use serde_json::{json, Value};

/// Calls `path` on `a` with `method`, an optional token and JSON body: (status, JSON body).
async fn call(
    a: &Instance,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = client().request(method, a.at(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// GET /api/v1/tokens with `token`: (status, JSON body).
async fn tokens(a: &Instance, token: &str) -> (u16, Value) {
    call(a, reqwest::Method::GET, "/api/v1/tokens", Some(token), None).await
}

/// POST /api/v1/password with `token` and `body`: (status, JSON body).
async fn password(a: &Instance, token: Option<&str>, body: Value) -> (u16, Value) {
    call(
        a,
        reqwest::Method::POST,
        "/api/v1/password",
        token,
        Some(body),
    )
    .await
}

/// DELETE /api/v1/tokens/{id} with `token`: (status, JSON body).
async fn revoke(a: &Instance, token: &str, id: &str) -> (u16, Value) {
    let path = format!("/api/v1/tokens/{id}");
    call(a, reqwest::Method::DELETE, &path, Some(token), None).await
}

/// POST /api/v1/logout with `token`: the status.
async fn logout(a: &Instance, token: Option<&str>) -> u16 {
    call(a, reqwest::Method::POST, "/api/v1/logout", token, None)
        .await
        .0
}

/// Days from now until the time `rfc3339`.
fn days_from_now(rfc3339: &str) -> i64 {
    let t = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .unwrap();
    (t - time::OffsetDateTime::now_utc()).whole_days()
}

#[tokio::test]
async fn tokens_are_listed_revoked_and_logged_out_only_by_their_owner() {
    let a = Instance::start("a", "[accounts]\ntoken_expiry_days = 7\n").await;
    a.register("alice").await;
    a.register("bob").await;
    let (s, first) = a.try_login("alice", "correct horse").await;
    assert_eq!(s, 200);
    assert!((6..=7).contains(&days_from_now(first["expires"].as_str().unwrap())));
    let t1 = first["token"].as_str().unwrap().to_string();
    let t2 = a.login("alice").await;
    let tb = a.login("bob").await;

    let t2_id = my_tokens_are_listed_without_secrets(&a, &first, &t1, &t2).await;
    let bob_id = tokens(&a, &tb).await.1["tokens"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // No token, a made-up token: 401.
    let get = reqwest::Method::GET;
    assert_eq!(
        call(&a, get.clone(), "/api/v1/tokens", None, None).await.0,
        401
    );
    assert_eq!(tokens(&a, "made-up").await.0, 401);
    // Another person's token id is not found, and stays valid.
    let (s, body) = revoke(&a, &t1, &bob_id).await;
    assert_eq!(s, 404, "{body}");
    assert!(body["error"].is_string());
    assert_eq!(tokens(&a, &tb).await.0, 200);
    // My other token: revoked.
    assert_eq!(revoke(&a, &t1, &t2_id).await.0, 204);
    assert_eq!(tokens(&a, &t2).await.0, 401);
    assert_eq!(revoke(&a, &t1, &t2_id).await.0, 404, "already gone");
    // Logout revokes the calling token only.
    assert_eq!(logout(&a, None).await, 401);
    assert_eq!(logout(&a, Some(&t1)).await, 204);
    assert_eq!(tokens(&a, &t1).await.0, 401);
    assert_eq!(logout(&a, Some(&t1)).await, 401);
    assert_eq!(tokens(&a, &tb).await.0, 200, "bob is still logged in");
}

/// alice's two tokens are listed (only the fields the API documents, no secret, no hash), the
/// calling one marked current and just used. Answers the other one's id.
async fn my_tokens_are_listed_without_secrets(
    a: &Instance,
    first: &Value,
    t1: &str,
    t2: &str,
) -> String {
    let (s, list) = tokens(a, t1).await;
    assert_eq!(s, 200);
    let items = list["tokens"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    for t in items {
        let mut keys: Vec<_> = t.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["created", "current", "expires", "id", "last_used"]);
    }
    let text = list.to_string();
    for secret in [t1, t2] {
        assert!(!text.contains(secret));
        assert!(!text.contains(&actors::tokens::hash_token(secret)));
    }
    let current: Vec<_> = items.iter().filter(|t| t["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["id"], first["id"]);
    assert!(current[0]["last_used"].is_string(), "this request used it");
    items.iter().find(|t| t["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn expired_tokens_are_refused_and_old_tokens_survive_the_upgrade() {
    let mut a = Instance::start("a", "").await;
    a.register("alice").await;
    let token = a.login("alice").await;
    // Time passes: the stored expiry is in the past.
    let store = a.server().registry.store().clone();
    let key = [
        b"token\xff".as_slice(),
        actors::tokens::hash_token(&token).as_bytes(),
    ]
    .concat();
    let mut record: Value =
        serde_json::from_slice(&store.instance().get(&key).unwrap().unwrap()).unwrap();
    record["expires"] = json!("2001-01-01T00:00:00Z");
    store
        .instance()
        .insert(&key, serde_json::to_vec(&record).unwrap())
        .unwrap();
    let (s, body) = tokens(&a, &token).await;
    assert_eq!(s, 401, "{body}");
    assert!(body["error"].as_str().unwrap().contains("expired"));
    drop(store);

    // A token stored by an older version (no expiry, no index) works after the upgrade.
    a.stop().await;
    let old = "an-old-token-from-before-expiries";
    {
        let store = actors::Store::open(&a.data_dir().join("db")).unwrap();
        let key = [
            b"token\xff".as_slice(),
            actors::tokens::hash_token(old).as_bytes(),
        ]
        .concat();
        let legacy = json!({"username": "alice", "created": "2020-01-01T00:00:00Z"});
        store
            .instance()
            .insert(key, serde_json::to_vec(&legacy).unwrap())
            .unwrap();
        store.flush().await.unwrap();
    }
    a.restart().await;
    let (s, list) = tokens(&a, old).await;
    assert_eq!(s, 200, "{list}");
    let t = &list["tokens"][0];
    assert_eq!(t["current"], true);
    assert!((29..=30).contains(&days_from_now(t["expires"].as_str().unwrap())));
}

#[tokio::test]
async fn changing_the_password_revokes_my_other_tokens() {
    let a = Instance::start("a", "").await;
    a.register("alice").await;
    let (keep, other) = (a.login("alice").await, a.login("alice").await);
    let change = |old: &str, new: &str| json!({"old_password": old, "new_password": new});
    let (s, _) = password(&a, None, change("correct horse", "x")).await;
    assert_eq!(s, 401);
    let (s, body) = password(&a, Some(&keep), change("nope", "new pw")).await;
    assert_eq!(s, 403, "{body}");
    assert!(body["error"].as_str().unwrap().contains("old password"));
    assert_eq!(
        tokens(&a, &other).await.0,
        200,
        "a refused change revokes nothing"
    );
    let (s, _) = password(&a, Some(&keep), change("correct horse", "")).await;
    assert_eq!(s, 400);
    let (s, _) = password(&a, Some(&keep), json!({"old_password": "x"})).await;
    assert_eq!(s, 400);
    let (s, body) = password(&a, Some(&keep), change("correct horse", "new pw")).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["revoked"], 1);
    assert_eq!(tokens(&a, &other).await.0, 401);
    assert_eq!(tokens(&a, &keep).await.0, 200);
    assert_eq!(a.try_login("alice", "correct horse").await.0, 401);
    assert_eq!(a.try_login("alice", "new pw").await.0, 200);
}
