//! The scenario, in order: every step after the start of the instances, each announced by
//! the narrator and made of the actions and checks in `steps`, `social`, `pushes`, `fork` and
//! `merge`.

use crate::fork;
use crate::git::GitUser;
use crate::merge;
use crate::patches;
use crate::push_activity;
use crate::pushes;
use crate::repo::{Repo, NO_COMMIT};
use crate::report::{Narrator, Outcome};
use crate::social;
use crate::steps::{self, People};
use crate::world::{Held, World};

/// The number of steps, the start of the instances included.
pub const STEPS: usize = 19;

/// Plays steps 2 to 19.
pub async fn play(n: &mut Narrator, w: &World) -> Outcome<()> {
    let (p, repo, tracker, patches) = set_up(n, w).await?;
    converse(n, w, &p, &repo, &tracker).await?;
    let (git_repo, bob_git) = push(n, w, &p, &repo).await?;
    contribute(n, w, &p, &git_repo, &patches, &bob_git).await
}

/// Steps 2 to 6: the people, the Factory, alice's Grant on it, and the Repository,
/// TicketTracker and (linked) PatchTracker she creates through it.
async fn set_up(n: &mut Narrator, w: &World) -> Outcome<(People, Held, Held, Held)> {
    n.step("Accounts: admin and alice on fig, admin (and its Factory) and bob on grape, carol on walnut");
    let p = steps::register_people(n, w).await?;

    n.step("fig's admin (a factory creator) creates a Factory");
    let factory = steps::create_factory(n, w, &p).await?;

    n.step("fig's admin invites alice to the Factory (write); alice accepts");
    let grant = steps::invite(n, w, &p.admin, &factory, &p.alice, "write").await?;
    let alice_on_factory = grant["id"].as_str().unwrap_or_default().to_string();

    n.step("alice creates a Repository through the Factory");
    let (repo, _) = steps::create_through(
        n,
        w,
        &p.alice,
        &factory.iri,
        &alice_on_factory,
        "Repository",
        "Tree Sim",
    )
    .await?;

    n.step("alice creates a TicketTracker and a PatchTracker, linked to her repository");
    let (tracker, doc) = steps::create_through(
        n,
        w,
        &p.alice,
        &factory.iri,
        &alice_on_factory,
        "TicketTracker",
        "Tree Sim Tickets",
    )
    .await?;
    crate::report::same(
        "the tracker's public flag",
        &serde_json::json!(true),
        &doc["public"],
    )?;
    n.verified("the tracker is public: anyone may open tickets");
    let (patches, _) = steps::create_through(
        n,
        w,
        &p.alice,
        &factory.iri,
        &alice_on_factory,
        "PatchTracker",
        "Tree Sim Patches",
    )
    .await?;
    patches::link(n, w, &p.alice, &repo, &patches).await?;
    Ok((p, repo, tracker, patches))
}

/// Steps 7 to 10: bob follows and stars the repository, carol opens a ticket, bob comments.
async fn converse(
    n: &mut Narrator,
    w: &World,
    p: &People,
    repo: &Held,
    tracker: &Held,
) -> Outcome<()> {
    n.step("bob@grape follows alice's repository");
    social::follow(n, w, p, &repo.iri).await?;

    n.step("bob@grape stars the repository");
    social::star(n, w, p, &repo.iri).await?;

    n.step("carol@walnut opens a ticket on alice's tracker");
    let ticket = social::open_ticket(n, w, p, &tracker.iri).await?;

    n.step("bob@grape comments on carol's ticket");
    social::comment(n, w, p, &tracker.iri, &ticket).await
}

/// Steps 11 to 14: alice pushes, bob receives the Push, alice invites bob, bob pushes.
/// Answers the repository as git sees it and bob's git identity.
async fn push(n: &mut Narrator, w: &World, p: &People, repo: &Held) -> Outcome<(Repo, GitUser)> {
    n.step("alice pushes commits over SSH with the real git client");
    let fig_ssh = w.fig.ssh.port();
    let git_repo = Repo::new(&repo.iri, fig_ssh)?;
    let commits = pushes::alice_pushes(n, w, &p.alice, &git_repo).await?;

    n.step("bob's inbox on grape receives the Push with alice's commits");
    push_activity::push_received(n, w, &p.bob, &p.alice, &git_repo, &commits, NO_COMMIT).await?;

    n.step("alice invites bob@grape to the repository (write); bob accepts");
    steps::invite(n, w, &p.alice, repo, &p.bob, "write").await?;
    let issued = format!("{}/grants", repo.iri);
    w.find(&issued, None, "an active write Grant to bob", |g| {
        g["target"] == p.bob.iri.as_str() && g["object"] == "write" && g["state"] == "active"
    })
    .await?;
    n.verified(format!(
        "the repository lists bob@grape's active write Grant (GET {issued})"
    ));

    n.step("bob@grape pushes a commit to alice's repository over SSH");
    let (bob_git, bob_commits) = pushes::bob_pushes(n, w, &p.bob, &git_repo, fig_ssh).await?;
    let alice_head = commits.first().map(String::as_str).unwrap_or_default();
    push_activity::push_received(n, w, &p.bob, &p.bob, &git_repo, &bob_commits, alice_head).await?;
    Ok((git_repo, bob_git))
}

/// Steps 15 to 19: bob forks, pushes a branch to his fork, opens a merge request; carol
/// comments; alice merges.
async fn contribute(
    n: &mut Narrator,
    w: &World,
    p: &People,
    repo: &Repo,
    tracker: &Held,
    bob_git: &GitUser,
) -> Outcome<()> {
    n.step("bob@grape forks alice's repository through grape's Factory");
    let fork = fork::bob_forks(n, w, p, repo, bob_git).await?;

    n.step("bob clones his fork over SSH from grape and pushes a branch fix");
    let commit = fork::bob_pushes_fix(n, w, bob_git, &fork).await?;

    n.step("bob@grape opens a merge request on alice's PatchTracker");
    let mr = merge::bob_opens(n, w, p, (&repo.iri, &fork), &tracker.iri).await?;

    n.step("carol@walnut comments on the merge request");
    merge::carol_comments(n, w, p, &tracker.iri, &mr).await?;

    n.step("alice merges it (Apply): fig's main has bob's commit");
    merge::alice_merges(n, w, p, (&repo.iri, tracker), (&mr, &commit), bob_git).await
}
