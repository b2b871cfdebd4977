//! Activities in tests: the ForgeFed spec's examples (vectors) with their IRIs swapped, JSON
//! edits, expected Rejects, and posting through an outbox to wait for a resource's answer.

use super::client::eventually;
use super::instance::Instance;
use super::remote::{FakeRemote, Sign};
use serde_json::Value;

/// Where the ForgeFed spec's examples are kept.
pub const SPEC_VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/schema/tests/vectors/forgefed-spec"
);

/// A ForgeFed spec example with its IRIs swapped (in the order given) and its `id` removed.
pub fn vector(name: &str, swaps: &[(&str, &str)]) -> Value {
    vector_in(SPEC_VECTORS, name, swaps)
}

/// `vector`, for an example kept in `dir`.
pub fn vector_in(dir: &str, name: &str, swaps: &[(&str, &str)]) -> Value {
    let mut text = std::fs::read_to_string(format!("{dir}/{name}")).expect("vector");
    for (from, to) in swaps {
        text = text.replace(from, to);
    }
    let mut v: Value = serde_json::from_str(&text).expect("vector JSON");
    v.as_object_mut().expect("object").remove("id");
    v
}

/// `base` with the keys of `extra` set (null values included).
pub fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        base[k] = v;
    }
    base
}

/// `answer` is a Reject whose summary says `reason`.
pub fn rejected(answer: impl std::borrow::Borrow<Value>, reason: &str) {
    let answer = answer.borrow();
    assert_eq!(answer["type"], "Reject", "{answer}");
    let summary = answer["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains(reason),
        "{summary:?} should say {reason:?}"
    );
}

/// `user` posts `activity` through their outbox; answers its id.
pub async fn send(inst: &Instance, user: &str, activity: &Value) -> String {
    let token = inst.login(user).await;
    let (s, body) = inst.post_outbox(user, &token, activity).await;
    assert_eq!(s, 201, "{body}");
    body["id"].as_str().unwrap_or_default().to_string()
}

/// `user` posts `activity` through their outbox; answers its id and the Accept or Reject of it
/// by `actor`.
pub async fn answered(
    inst: &Instance,
    user: &str,
    activity: &Value,
    actor: &str,
) -> (String, Value) {
    let id = send(inst, user, activity).await;
    let token = inst.login(user).await;
    let answer = inst
        .find_in_inbox(user, &token, 15, |v| {
            v["actor"] == actor
                && (v["type"] == "Accept" || v["type"] == "Reject")
                && v["object"]["id"] == id
        })
        .await;
    (
        id.clone(),
        answer.unwrap_or_else(|| panic!("no answer to {id}")),
    )
}

/// The fake remote server posts `activity` (which has an `id`) to `to`'s inbox, signed by its
/// actor `signer`; answers what `to` sent back about it (its Accept or Reject).
pub async fn answered_remotely(
    remote: &FakeRemote,
    signer: &str,
    to: &str,
    activity: &Value,
) -> Value {
    let id = activity["id"].clone();
    let body = serde_json::to_vec(activity).unwrap();
    let (s, _) = remote
        .post(&format!("{to}/inbox"), &body, &Sign::by(signer))
        .await;
    assert_eq!(s, 202, "{activity}");
    let find = || {
        remote
            .received()
            .into_iter()
            .map(|r| r.2)
            .find(|v| v["object"]["id"] == id)
    };
    assert!(
        eventually(15, || async { find().is_some() }).await,
        "no answer to {id}"
    );
    find().unwrap_or_default()
}
