//! Steps 15 and 16: bob@grape forks alice's repository on fig through grape's resident Factory
//! (a `Create{Repository}` with `origin`, cc the origin: grape copies fig's branches and fig
//! lists the fork), then clones his fork over SSH from grape and pushes a branch `fix` to it.

use crate::git::GitUser;
use crate::http::{wait_for, Look};
use crate::pushes::work_dir;
use crate::repo::{short, Repo};
use crate::report::{ensure, same, Narrator, Outcome};
use crate::steps::People;
use crate::world::World;
use serde_json::json;

/// `branch` of the repository `iri`, read with `git ls-remote` over smart HTTP (None when
/// the repository has no such branch).
pub async fn remote_head(
    w: &World,
    user: &GitUser,
    iri: &str,
    branch: &str,
) -> Outcome<Option<String>> {
    let reference = format!("refs/heads/{branch}");
    let out = user
        .git_ok(&w.run, &["ls-remote", iri, &reference], None)
        .await?;
    Ok(out.split_whitespace().next().map(str::to_string))
}

/// Step 15: bob forks `repo`; answers the fork's IRI once it has fig's `main` and fig lists it.
pub async fn bob_forks(
    n: &mut Narrator,
    w: &World,
    p: &People,
    repo: &Repo,
    user: &GitUser,
) -> Outcome<String> {
    let (bob, factory) = (&p.bob, &p.grape_factory);
    let create = json!({"type": "Create", "to": [factory.iri], "cc": [repo.iri],
        "capability": factory.grant,
        "object": {"type": "Repository", "name": "Tree Sim", "origin": repo.iri}});
    n.action(format!(
        "bob: POST {} Create{{Repository \"Tree Sim\", origin {}}} to {}, cc the origin",
        bob.url("outbox"),
        repo.iri,
        factory.iri
    ));
    let id = w.send(bob, &create).await?;
    let accept = w.accepted(bob, &factory.iri, &id).await?;
    let fork = accept["result"].as_str().unwrap_or_default().to_string();
    ensure(
        fork.starts_with(&w.grape.url),
        "the Accept's result",
        "a repository on grape",
        &accept,
    )?;
    let doc = w.http.get_ok(&fork, None).await?;
    same(
        &format!("GET {fork}: origin"),
        &json!(repo.iri),
        &doc["origin"],
    )?;
    n.verified(format!(
        "grape's Factory made the fork {fork}, origin {}",
        repo.iri
    ));
    let main = same_main(w, user, &repo.iri, &fork).await?;
    n.verified(format!(
        "git ls-remote (HTTP): the fork's main is fig's main, {}",
        short(&main)
    ));
    let forks = format!("{}/forks", repo.iri);
    w.lists(&forks, &fork).await?;
    n.verified(format!("alice's repository lists the fork (GET {forks})"));
    Ok(fork)
}

/// Waits until `fork`'s main is `origin`'s (grape copies it after the Accept); answers it.
async fn same_main(w: &World, user: &GitUser, origin: &str, fork: &str) -> Outcome<String> {
    let main = remote_head(w, user, origin, "main").await?;
    let what = format!("git ls-remote {fork} refs/heads/main");
    let expected = format!("fig's main {main:?}");
    wait_for(&what, &expected, async || {
        let head = remote_head(w, user, fork, "main").await?;
        Ok(if head.is_some() && head == main {
            Look::Found(())
        } else {
            Look::NotYet(format!("{head:?}"))
        })
    })
    .await?;
    Ok(main.unwrap_or_default())
}

/// Step 16: bob clones his fork over SSH from grape, commits on a branch `fix` and pushes it;
/// answers his commit.
pub async fn bob_pushes_fix(
    n: &mut Narrator,
    w: &World,
    user: &GitUser,
    fork: &str,
) -> Outcome<String> {
    let port = w.grape.ssh.port();
    let fork_git = Repo::new(fork, port)?;
    let dir = work_dir(w, "bob-fork")?;
    n.action(format!("bob: git clone {} (SSH, grape)", fork_git.ssh_url));
    user.git_ok(
        &dir,
        &["clone", "-q", &fork_git.ssh_url, "tree-sim"],
        Some(port),
    )
    .await?;
    let tree = dir.join("tree-sim");
    user.git_ok(&tree, &["checkout", "-q", "-b", "fix"], None)
        .await?;
    user.commit(
        &tree,
        "gusts.txt",
        "gusts: every 10 steps\n",
        "Add gusts of wind",
    )
    .await?;
    let head = user.rev_list(&tree, "HEAD", Some("HEAD~1")).await?;
    let head = head.first().cloned().unwrap_or_default();
    n.action("bob: git commit -m \"Add gusts of wind\" on branch fix; git push origin fix (SSH)");
    user.git_ok(&tree, &["push", "-q", "origin", "fix"], Some(port))
        .await?;
    let pushed = remote_head(w, user, fork, "fix").await?;
    same(
        &format!("git ls-remote {fork} refs/heads/fix"),
        &json!(head),
        &json!(pushed),
    )?;
    n.verified(format!(
        "git push exited 0: the fork's fix is {} (git ls-remote over HTTP)",
        short(&head)
    ));
    Ok(head)
}
