//! The error box (issue 18, item 4) on real instances over real HTTP: a person of instance B asks
//! A's Factory for a repository without a capability; the Factory Rejects it, and the Factory's
//! admin (and A's instance admin) read why in its error box, over the API and on the web page;
//! nobody else does. A fake remote's POSTs show the other stages: a bad signature is
//! `unverified` (in memory only: gone after a restart), a signed activity without an object
//! `malformed`, a Follow of someone else `failed`, an unknown activity about the person
//! `ignored` (one not about them is not recorded), and a delivery refused for good
//! `undelivered`.

mod access;
#[path = "../common/mod.rs"]
mod common;
mod setup;
mod stages;
#[allow(dead_code)]
#[path = "../web/visitor.rs"]
mod visitor;

use common::forge::create_via_factory;
use setup::{entries, host, two, wait_for_entry};

#[tokio::test]
async fn a_remote_persons_rejected_create_shows_in_the_factorys_error_box() {
    let t = two().await;
    // bob (on B) asks A's Factory for a repository, with no capability: Rejected.
    let answer = create_via_factory(&t.b, "bob", &t.factory, "Repository", "mine", None).await;
    assert_eq!(answer["type"], "Reject", "{answer}");
    let create_id = answer["object"]["id"]
        .as_str()
        .expect("the Create")
        .to_string();

    // "Why did my Create not work?": the Factory's admin reads the reason.
    let admin = t.a.login("admin").await;
    let e = wait_for_entry(&t.a, &t.factory, &admin, |e| e["activity"] == create_id).await;
    assert_eq!(e["stage"], "rejected", "{e}");
    assert_eq!(e["activityType"], "Create");
    assert_eq!(e["actor"], t.bob);
    assert_eq!(e["recipient"], t.factory);
    assert_eq!(e["host"], host(&t.b));
    let reason = e["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("capability"), "{reason}");
    assert_eq!(answer["summary"], reason, "the reason the Reject gave");
    assert!(e["time"].as_str().is_some_and(|s| s.contains('T')));

    // The instance admin reads it in the Factory's box and in the instance's.
    let root = t.a.login("root").await;
    assert!(entries(&t.a, &t.factory, &root)
        .await
        .iter()
        .any(|x| x["activity"] == create_id));
    let (s, all) = setup::get(&t.a.at("/api/v1/admin/errors"), Some(&root)).await;
    assert_eq!(s, 200, "{all}");
    let items = all["entries"].as_array().cloned().unwrap_or_default();
    assert!(items.iter().any(|x| x["activity"] == create_id), "{all}");

    access::others_are_refused(&t).await;
    access::the_page_shows_the_box_to_its_admins(&t, &create_id).await;
}
