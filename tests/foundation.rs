//! The foundation over real HTTP: accounts, WebFinger, actor documents, NodeInfo, restarts,
//! actor passivation, and settings validation of the real binary.

mod common;

use common::{client, Instance};
use rsa::pkcs8::DecodePublicKey;
use serde_json::{json, Value};

async fn post_json(url: &str, body: &Value) -> (u16, Value) {
    let res = client().post(url).json(body).send().await.expect("post");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn register_and_login_with_every_rejection() {
    let a = Instance::start("a", "").await;
    let reg = a.at("/api/v1/register");
    let (s, body) = post_json(&reg, &json!({"username": "alice", "password": "pw"})).await;
    assert_eq!(s, 201, "{body}");
    assert_eq!(body["username"], "alice");
    assert_eq!(body["id"], a.at("/people/alice"));

    let (s, body) = post_json(&reg, &json!({"username": "alice", "password": "other"})).await;
    assert_eq!(s, 409);
    assert!(body["error"].as_str().unwrap().contains("taken"));
    for bad in ["Alice", "", "a b", "../x", &"a".repeat(33), "ällo"] {
        let (s, body) = post_json(&reg, &json!({"username": bad, "password": "pw"})).await;
        assert_eq!(s, 400, "username {bad:?}: {body}");
        assert!(body["error"].is_string());
    }
    let (s, _) = post_json(&reg, &json!({"username": "bob", "password": ""})).await;
    assert_eq!(s, 400);
    let (s, _) = post_json(&reg, &json!({"username": "bob"})).await;
    assert_eq!(s, 400);
    let res = client()
        .post(&reg)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].is_string());

    let login = a.at("/api/v1/login");
    let (s, body) = post_json(&login, &json!({"username": "alice", "password": "pw"})).await;
    assert_eq!(s, 200);
    assert!(body["token"].as_str().unwrap().len() >= 32);
    let (s, body) = post_json(&login, &json!({"username": "alice", "password": "nope"})).await;
    assert_eq!(s, 401);
    assert!(body["error"].is_string());
    let (s, _) = post_json(&login, &json!({"username": "nobody", "password": "pw"})).await;
    assert_eq!(s, 401);

    // Nothing was created by the rejected requests.
    let (s, info) = a.get_ap(&a.at("/nodeinfo/2.1")).await;
    assert_eq!(s, 200);
    assert_eq!(info["usage"]["users"]["total"], 1);
}

#[tokio::test]
async fn registration_can_be_closed() {
    let a = Instance::start("closed", "[accounts]\nregistration = false\n").await;
    let (s, body) = post_json(
        &a.at("/api/v1/register"),
        &json!({"username": "alice", "password": "pw"}),
    )
    .await;
    assert_eq!(s, 403);
    assert!(body["error"].as_str().unwrap().contains("closed"));
}

#[tokio::test]
async fn webfinger_leads_to_an_actor_with_an_rsa_key() {
    let a = Instance::start("a", "").await;
    let iri = a.register("alice").await;
    let host = format!("127.0.0.1:{}", a.port);
    webfinger_finds_alice(&a, &host, &iri).await;
    let res = served_as(
        &iri,
        "application/activity+json",
        "application/activity+json",
    )
    .await;
    let doc: Value = res.json().await.unwrap();
    is_alices_person_document(&doc, &iri);
    let ld = "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";
    served_as(&iri, ld, "application/ld+json").await;
}

/// GETs `iri` asking for `accept`: 200, in a media type starting with `served`.
async fn served_as(iri: &str, accept: &str, served: &str) -> reqwest::Response {
    let res = client()
        .get(iri)
        .header("Accept", accept)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{iri} as {accept}");
    let content_type = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(
        content_type.starts_with(served),
        "{iri} as {accept}: {content_type}"
    );
    res
}

/// WebFinger answers `acct:alice@host` and alice's IRI with her actor; unknown names are 404,
/// no resource 400.
async fn webfinger_finds_alice(a: &Instance, host: &str, iri: &str) {
    let res = client()
        .get(a.at("/.well-known/webfinger"))
        .query(&[("resource", format!("acct:alice@{host}"))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let jrd: Value = res.json().await.unwrap();
    assert_eq!(jrd["subject"], format!("acct:alice@{host}"));
    let link = jrd["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "self")
        .expect("self link");
    assert_eq!(link["type"], "application/activity+json");
    assert_eq!(link["href"], iri);

    // By IRI too, and unknown names are 404.
    let res = client()
        .get(a.at("/.well-known/webfinger"))
        .query(&[("resource", iri)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    for resource in [
        format!("acct:nobody@{host}"),
        "acct:alice@elsewhere.example".into(),
    ] {
        let res = client()
            .get(a.at("/.well-known/webfinger"))
            .query(&[("resource", resource)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
    let res = client()
        .get(a.at("/.well-known/webfinger"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

/// `doc` is alice's Person: her collections, the contexts, and a 2048-bit RSA key she owns; the
/// typed model reads it back.
fn is_alices_person_document(doc: &Value, iri: &str) {
    assert_eq!(doc["id"], iri);
    assert_eq!(doc["type"], "Person");
    assert_eq!(doc["preferredUsername"], "alice");
    assert_eq!(doc["inbox"], format!("{iri}/inbox"));
    assert_eq!(doc["outbox"], format!("{iri}/outbox"));
    assert_eq!(doc["followers"], format!("{iri}/followers"));
    let ctx = doc["@context"].as_array().unwrap();
    assert!(ctx.contains(&json!("https://www.w3.org/ns/activitystreams")));
    assert!(ctx.contains(&json!("https://w3id.org/security/v1")));
    assert!(ctx.contains(&json!("https://forgefed.org/ns")));
    assert_eq!(doc["publicKey"]["owner"], iri);
    assert_eq!(doc["publicKey"]["id"], format!("{iri}#main-key"));
    let pem = doc["publicKey"]["publicKeyPem"].as_str().unwrap();
    let key = rsa::RsaPublicKey::from_public_key_pem(pem).expect("SPKI PEM parses as RSA");
    assert_eq!(rsa::traits::PublicKeyParts::size(&key), 256);
    // The typed model reads it back.
    let typed: schema::Actor = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(typed.id.as_str(), iri);
}

#[tokio::test]
async fn instance_actor_nodeinfo_and_unknown_actors() {
    let a = Instance::start("a", "").await;
    a.register("alice").await;
    a.register("bob").await;
    let (s, doc) = a.get_ap(&a.at("/actor")).await;
    assert_eq!(s, 200);
    assert_eq!(doc["type"], "Application");
    rsa::RsaPublicKey::from_public_key_pem(doc["publicKey"]["publicKeyPem"].as_str().unwrap())
        .unwrap();

    let (s, links) = a.get_ap(&a.at("/.well-known/nodeinfo")).await;
    assert_eq!(s, 200);
    let link = &links["links"][0];
    assert_eq!(
        link["rel"],
        "http://nodeinfo.diaspora.software/ns/schema/2.1"
    );
    let (s, info) = a.get_ap(link["href"].as_str().unwrap()).await;
    assert_eq!(s, 200);
    assert_eq!(info["version"], "2.1");
    assert_eq!(info["software"]["name"], "orchard");
    assert_eq!(info["protocols"], json!(["activitypub"]));
    assert_eq!(info["usage"]["users"]["total"], 2);
    assert_eq!(info["openRegistrations"], true);

    for path in [
        "/people/nobody",
        "/repos/nothing",
        "/people/Not_Valid",
        "/nothing/here",
        "/people/alice/nope/deeper",
    ] {
        let (s, body) = a.get_ap(&a.at(path)).await;
        assert_eq!(s, 404, "{path}");
        assert!(body["error"].is_string(), "{path}: {body}");
    }
}

#[tokio::test]
async fn restart_keeps_people_and_keys() {
    let mut a = Instance::start("a", "").await;
    let iri = a.register("alice").await;
    let (_, before) = a.get_ap(&iri).await;
    let (_, instance_before) = a.get_ap(&a.at("/actor")).await;
    a.restart().await;
    let (s, after) = a.get_ap(&iri).await;
    assert_eq!(s, 200);
    assert_eq!(before["publicKey"], after["publicKey"]);
    let (_, instance_after) = a.get_ap(&a.at("/actor")).await;
    assert_eq!(instance_before["publicKey"], instance_after["publicKey"]);
    a.login("alice").await;
    let (s, _) = post_json(
        &a.at("/api/v1/register"),
        &json!({"username": "alice", "password": "x"}),
    )
    .await;
    assert_eq!(s, 409);
}

#[tokio::test]
async fn idle_actors_are_stopped_and_reactivated_with_their_state() {
    let a = Instance::start("a", "[actors]\nidle_timeout_secs = 1\n").await;
    let iri = a.register("alice").await;
    let (_, first) = a.get_ap(&iri).await;
    let alice = actors::ActorRef::new(actors::ActorKind::Person, "alice");
    let registry = a.server().registry.clone();
    assert!(registry.is_active(&alice));
    let (activations, _) = registry.stats();
    let mut stopped = false;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if registry.active_count() == 0 {
            stopped = true;
            break;
        }
    }
    assert!(stopped, "idle actor was not passivated");
    assert!(registry.stats().1 >= 1);
    let (s, second) = a.get_ap(&iri).await;
    assert_eq!(s, 200);
    assert_eq!(first, second);
    assert_eq!(registry.stats().0, activations + 1, "reactivated once");
}

#[test]
fn the_binary_refuses_bad_settings_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let text = common::settings_text("http://127.0.0.1:1", 0, 0, dir.path(), "")
        + "\n[federation]\nallow_private = true\n";
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orchard"))
        .args(["serve", "--settings"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("allow_private"), "{stderr}");
    assert!(stderr.contains("bad.toml"), "{stderr}");

    let missing = dir.path().join("missing.toml");
    std::fs::write(&missing, "[http]\nbind = \"127.0.0.1:0\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orchard"))
        .args(["serve", "--settings"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("public_url"));
}
