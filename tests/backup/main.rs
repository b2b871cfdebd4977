//! Backup, restore and check of a whole instance: a backup taken while pushes and signed POSTs
//! run, restored into a new directory, serves the same documents, collections, refs and logins
//! from a server started on it, with everything acknowledged before its snapshot time; a damaged
//! or cut archive and a non-empty target are refused before anything is written; `orchard check`
//! names a broken record and a damaged repository.

mod cli;
#[path = "../common/mod.rs"]
mod common;
mod load;
mod setup;

use common::remote::Sign;
use common::Instance;
use orchard::backup::create::{create, Repos};
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_load_restores_everything_acknowledged_before_its_snapshot() {
    let mut site = setup::site().await;
    let before = setup::seen(&site, &site.w.a).await;
    let load = load::Load::start(&site);
    while load.counts().0 < 2 || load.counts().1 < 3 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Those acknowledgements are now strictly before the snapshot's millisecond.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("a.tar.gz");
    let registry = site.w.a.server().registry.clone();
    let url = url::Url::parse(&site.w.a.url).unwrap();
    let manifest = create(registry.store(), Repos::Live(&registry), &url, &file)
        .await
        .expect("the backup is written while the load runs");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let acked = load.stop().await;
    acked.report(manifest.snapshot_ms);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the archive holds private keys");
    assert!(!out.path().join("a.tar.gz.partial").exists());
    assert!(!out.path().join("a.tar.gz.staging").exists());
    assert_eq!(manifest.public_url, url.to_string());
    assert_eq!(
        (manifest.counts.repositories, manifest.counts.accounts),
        (1, 2)
    );

    let restored = tempfile::tempdir().unwrap();
    let r = orchard::backup::restore::restore(&file, restored.path()).expect("restored");
    assert!(r.check.problems.is_empty(), "{:?}", r.check.problems);
    assert_eq!(r.check.repositories, 1);
    assert_eq!(r.manifest, manifest);

    let extra = site.w.a.extra_settings.clone();
    let (port, ssh_port) = (site.w.a.port, site.w.a.ssh_port);
    site.w.a.stop().await;
    let b = Instance::start_on("a-restored", &extra, restored, port, ssh_port).await;
    let after = setup::seen(&site, &b).await;
    assert_eq!(after.documents, before.documents);
    assert_eq!(after.collections, before.collections);
    assert_eq!(
        after.refs.get("refs/heads/main"),
        before.refs.get("refs/heads/main")
    );
    acknowledged_before_are_in(&site, &b, &acked, manifest.snapshot_ms, &after.refs).await;
    logins_work(&site, &b).await;
}

/// Every push and POST acknowledged before the snapshot time is in the restored instance; every
/// pushed branch it has is at the commit that push sent (no push half in).
async fn acknowledged_before_are_in(
    site: &setup::Site,
    b: &Instance,
    acked: &load::Acked,
    snapshot_ms: u64,
    refs: &BTreeMap<String, String>,
) {
    let pushed: Vec<_> = acked
        .pushes
        .iter()
        .filter(|(_, at)| *at < snapshot_ms)
        .collect();
    assert!(
        pushed.len() >= 2,
        "pushes were acknowledged before the snapshot"
    );
    for ((name, sha), _) in &pushed {
        assert_eq!(
            refs.get(name),
            Some(sha),
            "{name} was pushed before the snapshot"
        );
    }
    for ((name, sha), _) in &acked.pushes {
        if let Some(got) = refs.get(name) {
            assert_eq!(got, sha, "{name} is whole");
        }
    }
    let posted: Vec<_> = acked
        .posts
        .iter()
        .filter(|(_, at)| *at < snapshot_ms)
        .collect();
    assert!(
        posted.len() >= 3,
        "POSTs were acknowledged before the snapshot"
    );
    let inbox = format!("{}/inbox", b.at("/people/alice"));
    for (body, _) in posted {
        let (s, answer) = site.remote.post(&inbox, body, &Sign::by("eve")).await;
        assert_eq!(s, 202, "{answer}");
        assert_eq!(
            answer["duplicates"], 1,
            "stored before the snapshot: {answer}"
        );
    }
}

/// The password and the token from before the backup both work on the restored instance.
async fn logins_work(site: &setup::Site, b: &Instance) {
    let (s, body) = b.try_login("alice", "correct horse").await;
    assert_eq!(s, 200, "{body}");
    let (s, _) = b.try_login("alice", "wrong horse").await;
    assert_eq!(s, 401);
    let inbox = format!("{}/inbox", b.at("/people/alice"));
    let res = |token: String| {
        let inbox = inbox.clone();
        async move {
            common::client()
                .get(inbox)
                .bearer_auth(token)
                .header("Accept", "application/activity+json")
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        res(site.alice_token.clone()).await,
        200,
        "the old token works"
    );
    assert_eq!(res("not-a-token".into()).await, 401);
}
