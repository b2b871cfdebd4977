//! Steps 11 and 14: git over SSH with the real `git` and `ssh`. alice pushes commits to her
//! repository on fig; bob, once invited, pushes a commit of his own. Each push is checked in
//! fig's push log (and alice's in a fresh clone over HTTP).

use crate::git::{succeeded, GitUser, Ran};
use crate::repo::{short, Repo};
use crate::report::{brief, ensure, same, Failure, Narrator, Outcome};
use crate::world::{Person, World};
use serde_json::{json, Value};
use std::path::PathBuf;

/// Registers `user`'s public key with `person`'s home instance.
async fn add_key(
    n: &mut Narrator,
    w: &World,
    person: &Person,
    home_url: &str,
    user: &GitUser,
) -> Outcome<()> {
    let url = format!("{home_url}/api/v1/ssh-keys");
    n.action(format!(
        "{}: POST {url} (an ed25519 key made by ssh-keygen)",
        person.handle()
    ));
    let a = w
        .http
        .post(
            &url,
            Some(&person.token),
            &json!({"key": user.public_key()?}),
        )
        .await?;
    let fp = a.body["fingerprint"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    ensure(
        a.status == 201 && !fp.is_empty(),
        &format!("POST {url}"),
        "201 with a fingerprint",
        format!("{} {}", a.status, a.body),
    )?;
    n.verified(format!(
        "{}'s SSH key {fp} is registered on {}",
        person.handle(),
        person.home
    ));
    Ok(())
}

/// The push log entry (`GET {repo}/pushes`) that moved `main` to `after`.
async fn logged(w: &World, repo: &Repo, after: &str) -> Outcome<Value> {
    let url = format!("{}/pushes", repo.iri);
    let log = w.http.get_ok(&url, None).await?;
    let items = log["items"].as_array().cloned().unwrap_or_default();
    let entry = items.iter().find(|p| {
        p["updates"]
            .as_array()
            .is_some_and(|u| u.iter().any(|u| u["after"] == after))
    });
    entry.cloned().ok_or_else(|| {
        Failure::new(
            format!("GET {url}"),
            format!("a push to {after}"),
            brief(&log),
        )
    })
}

/// Step 11: alice registers her key, makes three commits and pushes them over SSH; fig's push
/// log has the push and a fresh clone over HTTP has her commits. Answers them, newest first.
pub async fn alice_pushes(
    n: &mut Narrator,
    w: &World,
    alice: &Person,
    repo: &Repo,
) -> Outcome<Vec<String>> {
    let user = GitUser::new(&w.run, "alice", "fig").await?;
    add_key(n, w, alice, &w.fig.url, &user).await?;
    let (tree, commits) = alice_commits(w, &user).await?;
    n.action(format!(
        "alice: git push {} main   (3 commits; GIT_SSH_COMMAND=\"{}\")",
        repo.ssh_url,
        user.ssh_command(alice.ssh_port)
    ));
    let push = user
        .git(
            &tree,
            &["push", &repo.ssh_url, "main"],
            Some(alice.ssh_port),
        )
        .await?;
    succeeded("alice's git push over SSH", push)?;
    let head = commits.first().cloned().unwrap_or_default();
    n.verified(format!("git push exited 0: main is now {}", short(&head)));
    let entry = logged(w, repo, &head).await?;
    same(
        "the pusher in the push log",
        &json!(alice.iri),
        &entry["pusher"],
    )?;
    n.verified(format!(
        "fig's push log records alice@fig moving main to {} (GET {}/pushes)",
        short(&head),
        repo.iri
    ));
    clone_has(n, w, &user, repo, &commits).await?;
    Ok(commits)
}

/// alice's three commits in a new repository: its directory and the commits, newest first.
async fn alice_commits(w: &World, user: &GitUser) -> Outcome<(PathBuf, Vec<String>)> {
    let tree = work_dir(w, "alice-tree-sim")?;
    user.git_ok(&tree, &["init", "-q", "-b", "main"], None)
        .await?;
    for (file, text, message) in [
        (
            "README.md",
            "# Tree Sim\n\nA forest, one step at a time.\n",
            "Start Tree Sim",
        ),
        ("forest.txt", "oak birch pine\n", "Plant three trees"),
        ("wind.txt", "wind: -1 (west to east)\n", "Add wind"),
    ] {
        user.commit(&tree, file, text, message).await?;
    }
    let commits = user.rev_list(&tree, "HEAD", None).await?;
    Ok((tree, commits))
}

/// A fresh clone of `repo` over HTTP has exactly `commits`.
async fn clone_has(
    n: &mut Narrator,
    w: &World,
    user: &GitUser,
    repo: &Repo,
    commits: &[String],
) -> Outcome<()> {
    let clone = work_dir(w, "check-clone")?;
    user.git_ok(&clone, &["clone", "-q", &repo.iri, "tree-sim"], None)
        .await?;
    let cloned = user.rev_list(&clone.join("tree-sim"), "HEAD", None).await?;
    ensure(
        cloned == commits,
        "a fresh clone over HTTP",
        format!("{commits:?}"),
        format!("{cloned:?}"),
    )?;
    n.verified(format!(
        "git clone {} (HTTP) has alice's 3 commits",
        repo.iri
    ));
    Ok(())
}

/// Step 14: bob registers a key with his home instance, clones alice's repository, commits and
/// pushes over SSH to fig with the Grant alice gave him. Answers his git identity and commit.
pub async fn bob_pushes(
    n: &mut Narrator,
    w: &World,
    bob: &Person,
    repo: &Repo,
    fig_ssh: u16,
) -> Outcome<(GitUser, Vec<String>)> {
    let user = GitUser::new(&w.run, "bob", "grape").await?;
    add_key(n, w, bob, &w.grape.url, &user).await?;
    let dir = work_dir(w, "bob")?;
    user.git_ok(&dir, &["clone", "-q", &repo.iri, "tree-sim"], None)
        .await?;
    let tree = dir.join("tree-sim");
    let before = user.rev_list(&tree, "HEAD", None).await?;
    user.commit(
        &tree,
        "wind.txt",
        "wind: +1 (east to west)\n",
        "Fix the wind's sign",
    )
    .await?;
    let commits = user
        .rev_list(&tree, "HEAD", before.first().map(String::as_str))
        .await?;
    n.action(format!(
        "bob: git push {} main   (1 commit, with bob's key)",
        repo.ssh_url
    ));
    let push = user
        .git(&tree, &["push", &repo.ssh_url, "main"], Some(fig_ssh))
        .await?;
    if !push.ok {
        return Err(bob_push_failed(w, &push));
    }
    let head = commits.first().cloned().unwrap_or_default();
    n.verified(format!("git push exited 0: main is now {}", short(&head)));
    let entry = logged(w, repo, &head).await?;
    same(
        "the pusher in the push log",
        &json!(bob.iri),
        &entry["pusher"],
    )?;
    n.verified(format!(
        "fig's push log records bob@grape moving main to {}",
        short(&head)
    ));
    Ok((user, commits))
}

/// Why bob's push failed, with a hint when fig's SSH server refused his key.
fn bob_push_failed(w: &World, push: &Ran) -> Failure {
    let mut f = Failure::new(
        "bob@grape's git push over SSH to fig",
        "exit status 0",
        push.output(),
    );
    if push.stderr.contains("Permission denied") {
        f = f.hint(format!(
            "fig's SSH server refused bob's key: it authenticates keys registered on fig by fig's \
             own accounts only, and bob@grape registered his with grape, his home. Orchard has \
             no way for a person of another instance to push. See {}/logs/fig.log (\"SSH key unknown\").",
            w.run.display()
        ));
    }
    f
}

/// A new directory `<run>/work/<name>`.
pub fn work_dir(w: &World, name: &str) -> Outcome<PathBuf> {
    let dir = w.run.join("work").join(name);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::new(format!("create {}", dir.display()), "a directory", e))?;
    Ok(dir)
}
