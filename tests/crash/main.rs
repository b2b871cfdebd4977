//! Crash test (issue 9): `kill -9` the server while ten remote senders post signed activities.
//! After a restart, every activity that was answered 2xx is stored and processed exactly once,
//! and the deliveries queued before the kill go out after the restart, none twice.
//!
//! Orchard runs as a real child process (`orchard serve`, see `common::process`). Ten fake
//! remote servers (one actor `s<i>` each, on ten ports of one in-process HTTP server) send signed
//! `Follow`s of local people. A Follow has countable effects per activity: one inbox item, a
//! follower entry, and one `Accept` (with its own id, embedding the Follow) published in the
//! person's outbox and delivered back to the sender.
//!
//! - `kill_9_under_load_loses_and_duplicates_nothing`: the scenario. Three senders'
//!   inboxes answer 503 until after the restart, so their Accepts sit in the delivery queue,
//!   with retries, when the server is killed in the middle of the load.
//! - `kill_9_right_after_accepts_went_out`: kills the server three times, each time just after
//!   Accepts were delivered (before sled's periodic flush).
//!
//! Nothing may be POSTed twice within one run of the server. Across a kill, an Accept whose POST
//! was in flight (answered by the remote, the answer not yet recorded by Orchard) is sent again
//! with the same id after the restart: that is at-least-once delivery, which receivers absorb by
//! activity id, and it is tolerated (and printed) when Orchard had not logged the delivery or
//! had logged it less than COMPLETION_GRACE before the kill.
//!
//! On failure the data directory is kept (logs of each boot, `sent.tsv`, `remote-posts.tsv`);
//! ORCHARD_KEEP_CRASH_DIR=1 keeps it on success too; ORCHARD_TEST_LOG sets the server's RUST_LOG.

#[path = "../common/mod.rs"]
mod common;
mod deliveries;
mod fleet;
mod harness;
mod plan;
mod reading;
mod senders;
mod verify;

use harness::{Crash, Findings};
use plan::{BLOCKED, LOAD, PEOPLE, SENDERS};
use senders::{send_follow, sender_loop};
use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The two tests share the machine's two cores badly: run them one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The scenario: ten senders post as fast as they can; `kill -9` in the middle of it;
/// Accepts to three senders are queued (refused with 503) before the kill.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_under_load_loses_and_duplicates_nothing() {
    let _serial = SERIAL.lock().await;
    let mut t = Crash::start(PEOPLE).await;
    let queued_accepts = queue_accepts(&mut t).await;
    load_and_kill(&mut t).await;

    // Restart on the same data directory and ports; then let the blocked senders accept.
    t.server.restart().await;
    t.fleet.set_blocked([]);
    let answered = t.sent.iter().filter(|s| s.ok()).count();
    assert!(
        answered >= 50,
        "the load was real: only {answered} Follows answered 2xx"
    );

    let Findings {
        mut problems,
        accepts_ok,
    } = t.verify().await;

    // The deliveries queued (and refused) well before the kill went out after it, once.
    for (accept, follow) in &queued_accepts {
        let posts = accepts_ok
            .get(accept)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if posts.len() != 1 || posts.iter().any(|p| p.epoch != 1) {
            problems.push(format!(
                "QUEUED DELIVERY: Accept {accept} (of {follow}), queued before the kill, was delivered {} times after the restart (expected once)",
                posts.len()
            ));
        }
    }
    t.finish(problems);
}

/// Phase 1: the blocked senders' Accepts are refused (503) and stay queued, with retries.
/// Answers the queued Accepts (Accept id -> Follow id).
async fn queue_accepts(t: &mut Crash) -> BTreeMap<String, String> {
    let orchard = t.url();
    let blocked: Vec<usize> = (0..BLOCKED).collect();
    t.fleet.set_blocked(blocked.clone());
    for &i in &blocked {
        for k in 0..2 {
            let person = (i + k * 10) % PEOPLE;
            let s = send_follow(&t.fleet, &orchard, &t.client, i, k, person, "queued-").await;
            assert_eq!(s.outcome, Ok(202), "queued Follow {}", s.id);
            t.sent.push(s);
        }
    }
    let queued_follows: Vec<String> = t.sent.iter().map(|s| s.id.clone()).collect();
    let attempted = common::eventually(15, || async {
        let posts = t.fleet.posts();
        queued_follows
            .iter()
            .all(|f| posts.iter().any(|p| &p.object_id == f && p.status == 503))
    })
    .await;
    assert!(
        attempted,
        "each queued Follow's Accept was attempted (and refused) before the kill"
    );
    // Well past sled's periodic flush (500 ms): these jobs are on disk at the kill.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let queued_accepts: BTreeMap<String, String> = t
        .fleet
        .posts()
        .iter()
        .filter(|p| p.status == 503 && queued_follows.contains(&p.object_id))
        .map(|p| (p.id.clone(), p.object_id.clone()))
        .collect();
    assert_eq!(
        queued_accepts.len(),
        queued_follows.len(),
        "one Accept per queued Follow: {queued_accepts:?}"
    );
    queued_accepts
}

/// Phase 2: ten senders post as fast as they can; kill -9 in the middle of it.
async fn load_and_kill(t: &mut Crash) {
    let orchard = t.url();
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = (0..SENDERS)
        .map(|i| {
            tokio::spawn(sender_loop(
                t.fleet.clone(),
                orchard.clone(),
                i,
                stop.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(LOAD).await;
    t.kill();
    stop.store(true, Ordering::SeqCst);
    for task in tasks {
        t.sent.extend(task.await.expect("sender"));
    }
}

/// Kills the server right after Accepts went out, before sled's periodic flush (500 ms), a few
/// times in a row: what was answered 2xx must survive, and nothing may be processed twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_right_after_accepts_went_out() {
    let _serial = SERIAL.lock().await;
    const ROUNDS: usize = 3;
    const FOLLOWED: usize = 2;
    let mut t = Crash::start(FOLLOWED).await;
    for round in 0..ROUNDS {
        let orchard = t.url();
        let fleet = t.fleet.clone();
        let client = t.client.clone();
        let tag = format!("quick{round}-");
        let sends = (0..SENDERS).map(|i| {
            let (fleet, orchard, client, tag) =
                (fleet.clone(), orchard.clone(), client.clone(), tag.clone());
            async move { send_follow(&fleet, &orchard, &client, i, 0, i % FOLLOWED, &tag).await }
        });
        let sent = futures_util::future::join_all(sends).await;
        for s in &sent {
            assert_eq!(s.outcome, Ok(202), "Follow {}", s.id);
        }
        let ids: HashSet<String> = sent.iter().map(|s| s.id.clone()).collect();
        t.sent.extend(sent);
        let went_out = common::eventually(10, || async {
            fleet
                .posts()
                .iter()
                .any(|p| p.status == 202 && ids.contains(&p.object_id))
        })
        .await;
        assert!(went_out, "an Accept of round {round} went out");
        t.kill();
        t.server.restart().await;
    }
    let Findings { problems, .. } = t.verify().await;
    t.finish(problems);
}
