//! Step 12 and the end of step 14: the `Push` activity a follower of the repository receives
//! on another instance — by the repository, attributed to the pusher, on `refs/heads/main`,
//! listing exactly the pushed commits, newest first.

use crate::repo::{short, Repo};
use crate::report::{ensure, same, Narrator, Outcome};
use crate::world::{Person, World};
use serde_json::{json, Value};

/// Step 12 (and the end of 14): `follower`'s inbox receives the Push of `pushed` by `pusher`,
/// with those commits, newest first.
pub async fn push_received(
    n: &mut Narrator,
    w: &World,
    follower: &Person,
    pusher: &Person,
    repo: &Repo,
    pushed: &[String],
    before: &str,
) -> Outcome<()> {
    let head = pushed.first().cloned().unwrap_or_default();
    let expected = format!("a Push with hashAfter {head}");
    let push = w
        .in_inbox(follower, &expected, |v| {
            v["type"] == "Push" && v["hashAfter"] == head.as_str()
        })
        .await?;
    n.verified(format!(
        "{}'s inbox received the Push {}",
        follower.handle(),
        push["id"]
    ));
    same("the Push's actor", &json!(repo.iri), &push["actor"])?;
    same(
        "the Push's attributedTo",
        &json!(pusher.iri),
        &push["attributedTo"],
    )?;
    same(
        "the Push's branch",
        &json!("refs/heads/main"),
        &push["target"]["ref"],
    )?;
    same("the Push's hashBefore", &json!(before), &push["hashBefore"])?;
    n.verified(format!(
        "it is by the repository, attributed to {}, on refs/heads/main, {} -> {}",
        pusher.handle(),
        short(before),
        short(&head)
    ));
    commits_are(n, &push, pushed)
}

/// The Push `push` lists exactly the `pushed` commits, newest first.
fn commits_are(n: &mut Narrator, push: &Value, pushed: &[String]) -> Outcome<()> {
    let items = push["object"]["orderedItems"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let hashes: Vec<&str> = items
        .iter()
        .map(|c| c["hash"].as_str().unwrap_or_default())
        .collect();
    same(
        "the Push's totalItems",
        &json!(pushed.len()),
        &push["object"]["totalItems"],
    )?;
    ensure(
        hashes == pushed,
        "the Push's commits, newest first",
        format!("{pushed:?}"),
        format!("{hashes:?}"),
    )?;
    let summaries: Vec<&str> = items
        .iter()
        .map(|c| c["summary"].as_str().unwrap_or("?"))
        .collect();
    n.verified(format!(
        "it carries exactly the {} pushed commit(s), newest first: {summaries:?}",
        pushed.len()
    ));
    Ok(())
}
