//! Steps 7 to 10, across instances: bob@grape follows and stars alice's repository on fig;
//! carol@walnut opens a ticket on alice's tracker; bob comments on it, and carol is told.

use crate::report::{ensure, same, Narrator, Outcome};
use crate::steps::People;
use crate::world::{id_of, World};
use serde_json::json;

/// Step 7: bob follows the repository; fig lists him as a follower, and grape lists the
/// repository in bob's `following` once fig's Accept arrived.
pub async fn follow(n: &mut Narrator, w: &World, p: &People, repo: &str) -> Outcome<()> {
    let bob = &p.bob;
    n.action(format!("bob: POST {} Follow{{{repo}}}", bob.url("outbox")));
    w.send(bob, &json!({"type": "Follow", "object": repo}))
        .await?;
    let followers = format!("{repo}/followers");
    w.lists(&followers, &bob.iri).await?;
    n.verified(format!(
        "bob@grape is in the repository's followers (GET {followers})"
    ));
    let following = bob.url("following");
    w.lists(&following, repo).await?;
    n.verified(format!(
        "the repository accepted: it is in bob's following on grape (GET {following})"
    ));
    Ok(())
}

/// Step 8: bob stars the repository; fig lists his star once.
pub async fn star(n: &mut Narrator, w: &World, p: &People, repo: &str) -> Outcome<()> {
    let bob = &p.bob;
    n.action(format!("bob: POST {} Like{{{repo}}}", bob.url("outbox")));
    w.send(bob, &json!({"type": "Like", "object": repo, "to": [repo]}))
        .await?;
    let likes = format!("{repo}/likes");
    w.lists(&likes, &bob.iri).await?;
    let total = w.http.get_ok(&likes, None).await?["totalItems"].clone();
    same(&format!("GET {likes}: totalItems"), &json!(1), &total)?;
    n.verified(format!(
        "the repository has one star, bob@grape's (GET {likes})"
    ));
    Ok(())
}

/// Step 9: carol opens a ticket with `Offer{Ticket}`; answers the ticket's IRI.
pub async fn open_ticket(
    n: &mut Narrator,
    w: &World,
    p: &People,
    tracker: &str,
) -> Outcome<String> {
    let carol = &p.carol;
    let summary = "Trees grow sideways in the simulation";
    let offer = json!({"type": "Offer", "to": [tracker], "target": tracker,
        "object": {"type": "Ticket", "attributedTo": carol.iri, "summary": summary,
                   "content": "<p>After 100 steps every tree leans east.</p>", "mediaType": "text/html",
                   "source": {"mediaType": "text/markdown; variant=Commonmark",
                              "content": "After 100 steps every tree leans east."}}});
    n.action(format!(
        "carol: POST {} Offer{{Ticket \"{summary}\"}} to {tracker}",
        carol.url("outbox")
    ));
    let id = w.send(carol, &offer).await?;
    let accept = w.accepted(carol, tracker, &id).await?;
    let ticket = accept["result"].as_str().unwrap_or_default().to_string();
    ensure(
        !ticket.is_empty(),
        "the Accept's result",
        "the ticket's IRI",
        &accept,
    )?;
    n.verified(format!(
        "the tracker answered carol@walnut: Accept with result {ticket}"
    ));
    let doc = w.http.get_ok(&ticket, None).await?;
    for (field, want) in [
        ("type", json!("Ticket")),
        ("attributedTo", json!(carol.iri)),
        ("summary", json!(summary)),
        ("context", json!(tracker)),
        ("isResolved", json!(false)),
    ] {
        same(&format!("GET {ticket}: {field}"), &want, &doc[field])?;
    }
    n.verified(format!(
        "GET {ticket}: an open Ticket by carol@walnut, \"{summary}\""
    ));
    let tickets = format!("{tracker}/tickets");
    let total = w.http.get_ok(&tickets, None).await?["totalItems"].clone();
    same(&format!("GET {tickets}: totalItems"), &json!(1), &total)?;
    n.verified(format!("the tracker holds 1 ticket (GET {tickets})"));
    Ok(ticket)
}

/// Step 10: bob comments with `Create{Note}`; the ticket's discussion on fig has the Note, and
/// carol (who follows her ticket) receives the tracker's Announce of it on walnut.
pub async fn comment(
    n: &mut Narrator,
    w: &World,
    p: &People,
    tracker: &str,
    ticket: &str,
) -> Outcome<()> {
    let (bob, carol) = (&p.bob, &p.carol);
    let text = "Same here: the wind vector has the wrong sign.";
    let create = json!({"type": "Create", "to": [tracker, format!("{ticket}/followers")],
        "object": {"type": "Note", "context": ticket, "inReplyTo": ticket,
                   "content": format!("<p>{text}</p>"),
                   "source": {"mediaType": "text/markdown", "content": text}}});
    n.action(format!(
        "bob: POST {} Create{{Note}} on {ticket}",
        bob.url("outbox")
    ));
    let id = w.send(bob, &create).await?;
    let discussion = format!("{ticket}/discussion");
    let note = w
        .find(&discussion, None, "bob's Note", |v| {
            v["attributedTo"] == bob.iri.as_str()
        })
        .await?;
    let content = note["content"].as_str().unwrap_or_default();
    ensure(content.contains(text), "the Note's content", text, content)?;
    n.verified(format!(
        "the discussion holds bob@grape's comment {} (GET {discussion})",
        id_of(&note)
    ));
    let expected = format!("the tracker's Announce of {id}");
    let announce = w
        .in_inbox(carol, &expected, |v| {
            v["type"] == "Announce" && id_of(&v["object"]) == id
        })
        .await?;
    same("the Announce's actor", &json!(tracker), &announce["actor"])?;
    n.verified(format!(
        "carol@walnut's inbox received the tracker's Announce of bob's comment {id}"
    ));
    let followers = format!("{ticket}/followers");
    w.lists(&followers, &bob.iri).await?;
    n.verified(format!(
        "bob@grape now follows the ticket too (GET {followers})"
    ));
    Ok(())
}
