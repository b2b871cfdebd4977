// SPDX-License-Identifier: AGPL-3.0-or-later
//! Checks that the vectors land in the typed fields (not only in `extra`): roles, capabilities,
//! keys, embedded activities, Push commits, branches, tickets, NodeInfo.

mod common;

use schema::{
    Activity, Actor, Branch, Commit, KeyDocument, NodeInfo, NodeInfoLinks, Object, ObjectRef,
    OrderedCollection, Role, Ticket,
};
use serde::de::DeserializeOwned;
use url::Url;

fn parse<T: DeserializeOwned>(set: &str, file: &str) -> T {
    serde_json::from_value(common::load(set, file)).unwrap_or_else(|e| panic!("{set}/{file}: {e}"))
}

fn spec<T: DeserializeOwned>(file: &str) -> T {
    parse("forgefed-spec", file)
}

fn forgejo<T: DeserializeOwned>(file: &str) -> T {
    parse("forgejo", file)
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

#[test]
fn grant_fields() {
    let g: Activity = spec("Grant--ocap-walkthrough-02.json");
    assert_eq!(g.kind, "Grant");
    assert_eq!(g.object_role(), Some(Role::Admin));
    assert_eq!(g.object, Some(ObjectRef::Term("admin".into())));
    assert_eq!(
        g.context_id(),
        Some(&url("https://forge.community/repos/treesim"))
    );
    assert_eq!(g.target_id(), Some(&url("https://forge.community/aviva")));
    assert_eq!(g.allows.as_deref(), Some("invoke"));
    assert_eq!(g.end_time.as_deref(), Some("2023-12-31T23:00:00-08:00"));
    let fulfills = g.fulfills.as_ref().and_then(|f| f.first());
    assert_eq!(
        fulfills,
        Some(&url(
            "https://forge.community/users/aviva/outbox/oU6QGAqr-create-treesim"
        ))
    );
    assert_eq!(g.recipients().len(), 2);
    assert!(g.extra.is_empty(), "unexpected extra keys: {:?}", g.extra);
}

#[test]
fn invite_join_revoke_roles() {
    let invite: Activity = spec("Invite--ocap-walkthrough-05.json");
    assert_eq!(invite.instrument_role(), Some(Role::Maintain));
    assert!(invite.capability.is_some());
    assert_eq!(
        invite.object_id(),
        Some(&url("https://software.site/people/luke"))
    );
    let join: Activity = spec("Join--ocap-walkthrough-09.json");
    assert_eq!(join.instrument_role(), Some(Role::Write));
    // The vocabulary example of Revoke names a custom role by IRI: not one of ours.
    let revoke: Activity = spec("Revoke--vocab-Revoke.json");
    assert!(revoke
        .instrument
        .as_ref()
        .and_then(ObjectRef::as_iri)
        .is_some());
    assert_eq!(revoke.instrument_role(), None);
    let delete: Activity = spec("Delete--ocap-walkthrough-08.json");
    assert_eq!(
        delete.origin_id(),
        Some(&url("https://forge.community/repos/treesim"))
    );
}

#[test]
fn push_commits_and_branch() {
    let push: Activity = spec("Push-OrderedCollection--Push.json");
    assert_eq!(
        push.hash_before.as_deref(),
        Some("017cbb00bc20d1cae85f46d638684898d095f0ae")
    );
    assert_eq!(
        push.hash_after.as_deref(),
        Some("be9f48a341c4bb5cd79ae7ab85fbf0c05d2837bb")
    );
    let commits: OrderedCollection = push.object_as().unwrap();
    assert!(commits.id.is_none());
    assert_eq!(commits.total_items, 2);
    let first: Commit = serde_json::from_value(commits.all_items()[0].clone()).unwrap();
    assert_eq!(first.hash, "be9f48a341c4bb5cd79ae7ab85fbf0c05d2837bb");

    // The vocabulary example uses `items` on an OrderedCollection, and `attributedTo`.
    let push: Activity = spec("Push-OrderedCollection--vocab-Push.json");
    assert_eq!(
        push.attributed_to_id(),
        Some(&url("https://example.dev/aviva"))
    );
    let commits: OrderedCollection = push.object_as().unwrap();
    assert!(commits.ordered_items.is_none());
    assert_eq!(commits.all_items().len(), 1);

    let branch: Branch = spec("Branch--Branch.json");
    assert_eq!(branch.head_name(), Some("master"));
    let apply: Activity = spec("Apply--vocab-Apply.json");
    let target: Branch = apply
        .target
        .as_ref()
        .and_then(ObjectRef::object_as)
        .unwrap();
    assert_eq!(target.git_ref, "/refs/heads/main");
    assert_eq!(target.head_name(), Some("main"));

    let commit: Commit = spec("Commit--Commit.json");
    assert_eq!(
        commit.committed_by.as_ref().and_then(|c| c.as_iri()),
        Some(&url("https://example.dev/alice"))
    );
    assert_eq!(
        commit.description.map(|d| d.media_type),
        Some(Some("text/plain".to_owned()))
    );
}

#[test]
fn actors_and_keys() {
    let factory: Actor = spec("Factory--Factory.json");
    assert!(factory.has_type("Factory"));
    assert_eq!(
        factory.available_actor_types.as_ref().map(|t| t.len()),
        Some(4)
    );
    assert!(factory.lists_key(&url("https://grape.fr33domlover.site/akey2")));
    assert_eq!(
        factory.key_pem_for(&url("https://grape.fr33domlover.site/akey1")),
        None
    );
    assert!(factory.extra.contains_key("collaborators"));

    let multi: Actor = spec("Repository-TicketTracker-PatchTracker--vocab-PatchTracker.json");
    for t in ["Repository", "TicketTracker", "PatchTracker"] {
        assert!(multi.has_type(t), "{t}");
    }
    let key_id = url("https://dev.example/aviva/treesim#main-key");
    assert!(multi.key_pem_for(&key_id).is_some());

    let person: Actor = forgejo("peer--Person-actor.json");
    let key_id = url("https://distant.example/api/v1/activitypub/user-id/15#main-key");
    assert!(person
        .key_pem_for(&key_id)
        .is_some_and(|pem| pem.starts_with("-----BEGIN PUBLIC KEY")));
    assert_eq!(person.preferred_username.as_deref(), Some("stargoose1"));

    // Forgejo's instance actor has no inbox: not an Actor, but its key is usable.
    let instance = common::load("forgejo", "peer--Application-instance-actor.json");
    assert!(serde_json::from_value::<Actor>(instance.clone()).is_err());
    let doc: KeyDocument = serde_json::from_value(instance).unwrap();
    let key_id = url("https://distant.example/api/v1/activitypub/actor#main-key");
    assert!(doc.key_for(&key_id).is_some());
}

#[test]
fn forgejo_activities() {
    for file in [
        "valid--Like--forgejo-wire-format.json",
        "valid--Like--offset-starttime.json",
        "valid--Like--integration-repo-inbox.json",
    ] {
        let like: Activity = forgejo(file);
        assert_eq!(like.kind, "Like", "{file}");
        assert!(like.id.is_none() && like.context_ld.is_none(), "{file}");
        assert!(
            like.start_time.is_some() && like.object_id().is_some(),
            "{file}"
        );
    }
    let undo: Activity = forgejo("valid--Undo-Like--forgejo-wire-format.json");
    let like: Activity = undo.object_as().unwrap();
    assert_eq!(like.kind, "Like");
    assert!(like.id.is_none());
    assert_eq!(like.actor_id(), undo.actor_id());

    let create: Activity = forgejo("valid--Create-Note--user-activity.json");
    assert!(create.is_public());
    let note: Object = create.object_as().unwrap();
    assert!(note.has_type("Note") && note.id.is_none());
    assert!(note.extra_field("url").is_some());
}

#[test]
fn tickets_and_objects() {
    let mr: Ticket = spec("Ticket--Ticket-2.json");
    let offer = mr.merge_request().unwrap();
    let origin: Branch =
        serde_json::from_value(offer.extra_field("origin").unwrap().clone()).unwrap();
    assert_eq!(origin.head_name(), Some("fix-title-bug"));
    let issue: Ticket = spec("Ticket--Ticket.json");
    assert_eq!(issue.is_resolved, Some(true));
    assert_eq!(issue.resolved_by, Some(url("https://code.example/martin")));

    let edit: Activity = spec("Edit--vocab-Edit.json");
    let edited = edit.object.as_ref().and_then(ObjectRef::as_object).unwrap();
    assert!(edited.kind.is_none());
    assert_eq!(edited.source, Some(serde_json::json!("Hello world")));

    let note: Object = spec("Note--Comment.json");
    assert_eq!(
        note.in_reply_to.as_ref().and_then(ObjectRef::id),
        Some(&url("https://dev.example/aviva/comments/E9AGE"))
    );
    assert!(note.source_object().is_some());

    let dep: Object = spec("Relationship-TicketDependency--vocab-TicketDependency.json");
    assert!(dep.has_type("Relationship") && dep.has_type("TicketDependency"));

    let offer: Activity = spec("Offer-Ticket--opening-issue.json");
    let ticket: Ticket = offer.object_as().unwrap();
    assert!(ticket.id.is_none());
    assert_eq!(
        ticket.source.map(|s| s.content),
        Some("Just testing".to_owned())
    );
}

#[test]
fn nodeinfo_documents() {
    let links: NodeInfoLinks = forgejo("peer--nodeinfo-wellknown.json");
    assert_eq!(
        links.nodeinfo_2_1_href(),
        Some("https://distant.example/api/v1/nodeinfo")
    );
    let info: NodeInfo = forgejo("peer--nodeinfo-2.1.json");
    assert_eq!(info.software.name, "forgejo");
    assert!(info.open_registrations);
    assert_eq!(info.usage.users.total, 14);
    assert_eq!(info.usage.users.active_halfyear, Some(2));
    assert_eq!(info.usage.users.active_month, None);
    assert_eq!(info.services.outbound, vec!["rss2.0".to_owned()]);
}
