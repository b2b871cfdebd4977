//! What merge requests need before anyone forks: grape's resident Factory (made by grape's
//! admin in step 2, so bob holds `write` on it from his registration on), and the link of
//! alice's PatchTracker to her repository on fig (step 6): the tracker is invited to `write`
//! on the repository and accepts through alice, then the repository says `sendPatchesTo` and
//! the tracker `tracksPatchesFor`.

use crate::http::{wait_for, Look};
use crate::report::{same, Narrator, Outcome};
use crate::world::{id_of, Held, Person, World};
use serde_json::json;

/// grape's admin creates the Factory "main" (named in grape's `resident_factories`) that
/// creates Repositories; answers its IRI.
pub async fn resident_factory(n: &mut Narrator, w: &World, admin: &Person) -> Outcome<String> {
    let create = json!({"type": "Create", "object": {"type": "Factory", "name": "main",
        "availableActorTypes": ["Repository"]}});
    n.action(format!(
        "grape's admin: POST {} Create{{Factory \"main\"}} (grape's resident_factories)",
        admin.url("outbox")
    ));
    let id = w.send(admin, &create).await?;
    let expected = format!("a Grant fulfilling {id}");
    let grant = w
        .grant(admin, &expected, |g| g["fulfills"] == id.as_str())
        .await?;
    same(
        "the role of grape's admin",
        &json!("admin"),
        &grant["object"],
    )?;
    let factory = id_of(&grant["context"]).to_string();
    let doc = w.http.get_ok(&factory, None).await?;
    same(
        "the resident Factory's availableActorTypes",
        &json!(["Repository"]),
        &doc["availableActorTypes"],
    )?;
    n.verified(format!(
        "grape's Factory {factory} creates Repositories and granted its creator admin"
    ));
    Ok(factory)
}

/// bob, a new person of grape, holds `write` on grape's resident Factory without an Invite.
pub async fn resident_grant(
    n: &mut Narrator,
    w: &World,
    bob: &Person,
    factory: &str,
) -> Outcome<Held> {
    let expected = format!("a write Grant on {factory}");
    let grant = w
        .grant(bob, &expected, |g| {
            g["context"] == factory && g["object"] == "write"
        })
        .await?;
    n.verified(format!(
        "bob@grape holds write on grape's resident Factory (Grant {}, GET {})",
        id_of(&grant),
        bob.url("grants")
    ));
    Ok(Held {
        iri: factory.to_string(),
        grant: id_of(&grant).to_string(),
    })
}

/// alice links her PatchTracker `tracker` to her repository `repo` (she is admin of both).
pub async fn link(
    n: &mut Narrator,
    w: &World,
    alice: &Person,
    repo: &Held,
    tracker: &Held,
) -> Outcome<()> {
    let invite = json!({"type": "Invite", "object": tracker.iri, "instrument": "write",
        "target": repo.iri, "capability": repo.grant});
    n.action(format!(
        "alice: POST {} Invite{{{}, write, target {}}}",
        alice.url("outbox"),
        tracker.iri,
        repo.iri
    ));
    let id = w.send(alice, &invite).await?;
    let accept = json!({"type": "Accept", "object": id, "to": [tracker.iri],
        "capability": tracker.grant});
    n.action(format!(
        "alice, for the tracker: POST {} Accept{{{id}}} to {}",
        alice.url("outbox"),
        tracker.iri
    ));
    w.send(alice, &accept).await?;
    let expected = format!(
        "sendPatchesTo {} and tracksPatchesFor [{}]",
        tracker.iri, repo.iri
    );
    let what = format!("GET {} and GET {}", repo.iri, tracker.iri);
    wait_for(&what, &expected, async || {
        let r = w.http.get_ok(&repo.iri, None).await?;
        let t = w.http.get_ok(&tracker.iri, None).await?;
        Ok(
            if r["sendPatchesTo"] == tracker.iri.as_str()
                && t["tracksPatchesFor"] == json!([repo.iri])
            {
                Look::Found(())
            } else {
                Look::NotYet(format!(
                    "sendPatchesTo {}, tracksPatchesFor {}",
                    r["sendPatchesTo"], t["tracksPatchesFor"]
                ))
            },
        )
    })
    .await?;
    n.verified(format!(
        "linked: the repository's sendPatchesTo is {}, the tracker's tracksPatchesFor [{}]",
        tracker.iri, repo.iri
    ));
    Ok(())
}
