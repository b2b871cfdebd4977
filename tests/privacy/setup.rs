//! The privacy tests' set-up and checks: the instance and its people, GETs with a token, and the
//! check that no `bto`/`bcc` is shown.

use crate::common::remote::FakeRemote;
use crate::common::{client, Instance};
use serde_json::Value;

/// Private addresses allowed; root is an admin.
pub const SETTINGS: &str =
    "[federation]\nallow_private_addresses = true\n[accounts]\nadmins = [\"root\"]\n";
/// The public collection.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// GET with an optional bearer token: (status, JSON body).
pub async fn get(url: &str, token: Option<&str>) -> (u16, Value) {
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
pub fn assert_no_hidden(what: &str, doc: &Value) {
    let text = doc.to_string();
    assert!(
        !text.contains("\"bcc\"") && !text.contains("\"bto\""),
        "{what} shows the hidden audience: {text}"
    );
}

/// Polls a person's inbox for an activity with this id.
pub async fn inbox_item(a: &Instance, user: &str, token: &str, id: &str) -> Value {
    a.find_in_inbox(user, token, 10, |i| i["id"] == id)
        .await
        .unwrap_or_else(|| panic!("{user} received {id}"))
}

/// A fake remote, and an instance with alice, dave, carol and the admin root (their tokens by
/// name).
pub struct Setup {
    pub remote: FakeRemote,
    pub a: Instance,
    pub alice: String,
    pub tokens: std::collections::HashMap<&'static str, String>,
}

/// Starts the remote and the instance, and logs everyone in.
pub async fn setup() -> Setup {
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
    /// alice posts `activity` through her outbox; answers its id.
    pub async fn post(&self, activity: Value) -> String {
        let (s, res) = self
            .a
            .post_outbox("alice", &self.tokens["alice"], &activity)
            .await;
        assert_eq!(s, 201, "{res}");
        res["id"].as_str().unwrap().to_string()
    }

    /// The IRI of the local person `name`.
    pub fn person(&self, name: &str) -> String {
        self.a.at(&format!("/people/{name}"))
    }
}
