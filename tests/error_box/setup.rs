//! The error box tests' set-up: instance A, whose `admin` created the Factory "Main" (and so
//! holds an admin Grant on it), with an instance admin `root` and a person `alice`; instance B
//! with `bob`; and reading an error box over the API.

use crate::common::client;
use crate::common::forge::B_SETTINGS;
use crate::common::Instance;
use serde_json::{json, Value};

const A_SETTINGS: &str = "[accounts]\nfactory_creators = [\"admin\"]\nadmins = [\"root\"]\n\
    [federation]\nallow_private_addresses = true\n";

pub struct Two {
    pub a: Instance,
    pub b: Instance,
    /// A's Factory.
    pub factory: String,
    pub alice: String,
    pub bob: String,
}

/// Starts A (admin creates the Factory; root and alice) and B (bob).
pub async fn two() -> Two {
    let a = Instance::start_with_accounts("a", A_SETTINGS, &["admin", "root"]).await;
    let b = Instance::start("b", B_SETTINGS).await;
    let token = a.login("admin").await;
    let create = json!({"type": "Create", "object": {"type": "Factory", "name": "Main",
                        "availableActorTypes": ["Repository"]}});
    let (s, body) = a.post_outbox("admin", &token, &create).await;
    assert_eq!(s, 201, "{body}");
    let factory = a.at("/factories/main");
    let grant = a.grant_on("admin", &factory, "active", 10).await;
    assert_eq!(
        grant.expect("admin's Grant on the Factory")["object"],
        "admin"
    );
    let alice = a.register("alice").await;
    let bob = b.register("bob").await;
    Two {
        a,
        b,
        factory,
        alice,
        bob,
    }
}

/// `GET url` with an optional bearer token: (status, JSON body).
pub async fn get(url: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = client().get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("GET");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The URL of the error box API of `actor` on `inst`.
pub fn errors_url(inst: &Instance, actor: &str) -> String {
    let q: String = url::form_urlencoded::byte_serialize(actor.as_bytes()).collect();
    inst.at(&format!("/api/v1/errors?actor={q}"))
}

/// The entries of `actor`'s error box as `token`'s holder reads them (200 expected).
pub async fn entries(inst: &Instance, actor: &str, token: &str) -> Vec<Value> {
    let (s, body) = get(&errors_url(inst, actor), Some(token)).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["actor"], actor);
    body["entries"].as_array().cloned().unwrap_or_default()
}

/// Polls `actor`'s error box until an entry matches `pred`.
pub async fn wait_for_entry(
    inst: &Instance,
    actor: &str,
    token: &str,
    pred: impl Fn(&Value) -> bool,
) -> Value {
    for _ in 0..100 {
        if let Some(e) = entries(inst, actor, token).await.into_iter().find(&pred) {
            return e;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no such entry in {actor}'s error box");
}

/// The authority (`host:port`) of an instance, as entries name hosts.
pub fn host(inst: &Instance) -> String {
    format!("127.0.0.1:{}", inst.port)
}
