//! Steps 17 to 19, across the three instances: bob@grape opens a merge request from his fork's
//! `fix` on alice's PatchTracker (the spec's `Offer{Ticket}` with an `Offer` attachment);
//! carol@walnut comments on it (`Create{Note}`); alice merges it with the spec's `Apply`: fig's
//! main then holds bob's commit, bob (a follower) gets the Push, the MR says `isMerged`.

use crate::fork::remote_head;
use crate::git::GitUser;
use crate::pushes::work_dir;
use crate::repo::short;
use crate::report::{ensure, same, Narrator, Outcome};
use crate::steps::People;
use crate::world::{id_of, Held, World};
use serde_json::{json, Value};

/// A Branch object of `repo`.
fn branch(repo: &str, name: &str) -> Value {
    json!({"type": "Branch", "context": repo, "name": name, "ref": format!("refs/heads/{name}")})
}

/// Step 17: bob offers `fix` of `fork` for `main` of `repo`; answers the merge request's IRI.
pub async fn bob_opens(
    n: &mut Narrator,
    w: &World,
    p: &People,
    (repo, fork): (&str, &str),
    tracker: &str,
) -> Outcome<String> {
    let bob = &p.bob;
    let summary = "Add gusts of wind";
    let offer = json!({"type": "Offer", "to": [tracker], "target": tracker,
        "cc": [format!("{repo}/followers")],
        "object": {"type": "Ticket", "attributedTo": bob.iri, "summary": summary,
            "content": "<p>Gusts every 10 steps.</p>", "mediaType": "text/html",
            "attachment": {"type": "Offer", "origin": branch(fork, "fix"),
                           "target": branch(repo, "main")}}});
    n.action(format!(
        "bob: POST {} Offer{{Ticket \"{summary}\", attachment Offer{{origin {fork} fix, \
         target {repo} main}}}} to {tracker}",
        bob.url("outbox")
    ));
    let id = w.send(bob, &offer).await?;
    let accept = w.accepted(bob, tracker, &id).await?;
    let mr = accept["result"].as_str().unwrap_or_default().to_string();
    ensure(
        mr.starts_with(&format!("{tracker}/merge-requests/")),
        "the Accept's result",
        "a merge request of the tracker",
        &accept,
    )?;
    n.verified(format!(
        "the tracker fetched bob's branch and answered Accept with result {mr}"
    ));
    let doc = w.http.get_ok(&mr, None).await?;
    for (field, want) in [
        ("type", json!("Ticket")),
        ("context", json!(tracker)),
        ("attributedTo", json!(bob.iri)),
        ("summary", json!(summary)),
        ("isResolved", json!(false)),
        ("isMerged", json!(false)),
    ] {
        same(&format!("GET {mr}: {field}"), &want, &doc[field])?;
    }
    same(
        &format!("GET {mr}: attachment.origin.context"),
        &json!(fork),
        &doc["attachment"]["origin"]["context"],
    )?;
    n.verified(format!(
        "GET {mr}: an open, unmerged merge request by bob@grape from {fork}"
    ));
    Ok(mr)
}

/// Step 18: carol comments on the merge request; its discussion on fig has her Note.
pub async fn carol_comments(
    n: &mut Narrator,
    w: &World,
    p: &People,
    tracker: &str,
    mr: &str,
) -> Outcome<()> {
    let carol = &p.carol;
    let text = "Gusts make the oaks sway: nice.";
    let create = json!({"type": "Create", "to": [tracker, format!("{mr}/followers")],
        "object": {"type": "Note", "context": mr, "inReplyTo": mr,
                   "content": format!("<p>{text}</p>"),
                   "source": {"mediaType": "text/markdown", "content": text}}});
    n.action(format!(
        "carol: POST {} Create{{Note}} on {mr}",
        carol.url("outbox")
    ));
    w.send(carol, &create).await?;
    let discussion = format!("{mr}/discussion");
    let note = w
        .find(&discussion, None, "carol's Note", |v| {
            v["attributedTo"] == carol.iri.as_str()
        })
        .await?;
    let content = note["content"].as_str().unwrap_or_default();
    ensure(content.contains(text), "the Note's content", text, content)?;
    n.verified(format!(
        "the merge request's discussion holds carol@walnut's comment {} (GET {discussion})",
        id_of(&note)
    ));
    Ok(())
}

/// Step 19: alice applies the merge request to `main`; fig's main holds bob's `commit` (a
/// fast-forward or a two-parent merge), bob gets the Push, the merge request is merged.
pub async fn alice_merges(
    n: &mut Narrator,
    w: &World,
    p: &People,
    (repo, tracker): (&str, &Held),
    (mr, commit): (&str, &str),
    user: &GitUser,
) -> Outcome<()> {
    let alice = &p.alice;
    let apply = json!({"type": "Apply", "to": [tracker.iri], "object": mr,
        "target": branch(repo, "main"), "capability": tracker.grant});
    n.action(format!(
        "alice: POST {} Apply{{{mr}, target main}}",
        alice.url("outbox")
    ));
    let id = w.send(alice, &apply).await?;
    w.accepted(alice, &tracker.iri, &id).await?;
    n.verified(format!("the tracker accepted the Apply {id}"));
    let head = remote_head(w, user, repo, "main")
        .await?
        .unwrap_or_default();
    let parents = merged_into(w, user, repo, &head, commit).await?;
    let how = match parents.len() {
        2 => "a merge commit of it and alice's main",
        _ => "a fast-forward to it",
    };
    n.verified(format!(
        "git ls-remote and a fresh clone (HTTP): fig's main is {}, {how}: bob's commit {} is in",
        short(&head),
        short(commit)
    ));
    let expected = format!("the Push of the merge, hashAfter {head}");
    let push = w
        .in_inbox(&p.bob, &expected, |v| {
            v["type"] == "Push" && v["hashAfter"] == head.as_str()
        })
        .await?;
    same("the Push's actor", &json!(repo), &push["actor"])?;
    n.verified(format!(
        "bob@grape's inbox received the merge's Push {}",
        push["id"]
    ));
    let doc = w.http.get_ok(mr, None).await?;
    same(
        &format!("GET {mr}: isMerged"),
        &json!(true),
        &doc["isMerged"],
    )?;
    same(
        &format!("GET {mr}: isResolved"),
        &json!(true),
        &doc["isResolved"],
    )?;
    n.verified(format!("GET {mr}: isMerged and isResolved"));
    Ok(())
}

/// `head` of `repo`'s main is `commit` (a fast-forward) or a two-parent merge of it; answers
/// its parents, read in a fresh clone over HTTP.
async fn merged_into(
    w: &World,
    user: &GitUser,
    repo: &str,
    head: &str,
    commit: &str,
) -> Outcome<Vec<String>> {
    let dir = work_dir(w, "check-merge")?;
    user.git_ok(&dir, &["clone", "-q", "--bare", repo, "merged.git"], None)
        .await?;
    let bare = dir.join("merged.git");
    let out = user
        .git_ok(&bare, &["show", "-s", "--format=%P", head], None)
        .await?;
    let parents: Vec<String> = out.split_whitespace().map(str::to_string).collect();
    let holds = head == commit || (parents.len() == 2 && parents.iter().any(|c| c == commit));
    ensure(
        holds,
        "fig's main after the Apply",
        format!("{commit} itself or a merge of it"),
        format!("{head} with parents {parents:?}"),
    )?;
    Ok(parents)
}
