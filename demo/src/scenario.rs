//! The scenario, in order: every step after the start of the instances, each announced by
//! the narrator and made of the actions and checks in `steps`, `social` and `pushes`.

use crate::push_activity;
use crate::pushes;
use crate::repo::{Repo, NO_COMMIT};
use crate::report::{Narrator, Outcome};
use crate::social;
use crate::steps::{self, Held, People};
use crate::world::World;

/// The number of steps, the start of the instances included.
pub const STEPS: usize = 14;

/// Plays steps 2 to 14.
pub async fn play(n: &mut Narrator, w: &World) -> Outcome<()> {
    let (p, repo, tracker) = set_up(n, w).await?;
    converse(n, w, &p, &repo, &tracker).await?;
    push(n, w, &p, &repo).await
}

/// Steps 2 to 6: the people, the Factory, alice's Grant on it, and the Repository and
/// TicketTracker she creates through it.
async fn set_up(n: &mut Narrator, w: &World) -> Outcome<(People, Held, Held)> {
    n.step("Accounts: admin and alice on fig, bob on grape, carol on walnut");
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

    n.step("alice creates a TicketTracker through the Factory");
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
    Ok((p, repo, tracker))
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
async fn push(n: &mut Narrator, w: &World, p: &People, repo: &Held) -> Outcome<()> {
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
    let bob_commits = pushes::bob_pushes(n, w, &p.bob, &git_repo, fig_ssh).await?;
    let alice_head = commits.first().map(String::as_str).unwrap_or_default();
    push_activity::push_received(n, w, &p.bob, &p.bob, &git_repo, &bob_commits, alice_head).await?;
    Ok(())
}
