//! A flood of silent SSH connections over real TCP: beyond `[ssh] max_unauthenticated_per_ip`
//! (and `max_unauthenticated` in all) new connections are closed at once; the ones admitted are
//! closed at the pre-authentication deadline (`auth_timeout_secs`), also when they sent a
//! version line and stalled in key exchange; and a real `git push` from another client address
//! works throughout, also when the flood comes from many addresses and fills the total (the
//! newcomer takes the place of the oldest connection of the client holding the most). The
//! flood comes from 127.0.0.2 and up (any 127.0.0.0/8 source works on Linux), the git user
//! from 127.0.0.1. An authenticated session outlives the deadline.

#[path = "../common/mod.rs"]
mod common;
mod probes;

use common::forge::with_repo_in;
use common::git::{ok, path_of, work_tree};
use probes::{
    admitted, closed_within, connect_from, flood, keep_flooding, keep_flooding_from, limits,
    push_during, DEADLINE, PER_IP, TOTAL,
};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_connections_are_capped_and_closed_at_the_deadline_while_git_push_works() {
    let (w, alice, repo) = with_repo_in("Flooded", &limits()).await;
    let port = w.a.ssh_port;
    let path = path_of(&repo);
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 2);

    let held = one_address_gets_its_share(port).await;
    let (stalled, stalled_at) = a_client_stalls_in_key_exchange(port).await;

    // While 127.0.0.2 keeps flooding, alice pushes from 127.0.0.1.
    let stop = Arc::new(AtomicBool::new(false));
    let flooder = keep_flooding("127.0.0.2", port, stop.clone());
    push_during(&alice, tmp.path(), &src, &path, (stop, flooder), 10).await;

    // The admitted silent connections are closed at the deadline.
    for (mut stream, _) in held.into_iter().chain([(stalled, stalled_at)]) {
        assert!(
            closed_within(&mut stream, DEADLINE + Duration::from_secs(20)).await,
            "a silent connection outlived the pre-authentication deadline"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_connections_filling_the_total_end_at_the_deadline_but_authenticated_sessions_do_not(
) {
    let (w, alice, repo) = with_repo_in("Capped", &limits()).await;
    let port = w.a.ssh_port;
    let path = path_of(&repo);

    // An authenticated session (a fetch that has read the advertisement and waits).
    let mut session = alice.ssh_spawn(&format!("git-upload-pack '{path}'"));
    let mut first = [0u8; 4];
    std::io::Read::read_exact(session.stdout.as_mut().unwrap(), &mut first)
        .expect("the authenticated session gets the advertisement");

    // TOTAL silent connections from two clients fill the unauthenticated cap.
    let (mut held, refused) = flood("127.0.0.4", port, PER_IP).await;
    let (more, refused_too) = flood("127.0.0.5", port, TOTAL - PER_IP).await;
    assert_eq!((held.len() + more.len(), refused + refused_too), (TOTAL, 0));
    held.extend(more);
    for (mut stream, _) in held {
        assert!(closed_within(&mut stream, DEADLINE + Duration::from_secs(20)).await);
    }
    // The deadline ended the silent ones, not the authenticated session.
    assert!(
        session.try_wait().unwrap().is_none(),
        "the authenticated session was ended by the pre-authentication deadline"
    );
    drop(session.stdin.take());
    let _ = session.wait();

    // Once they are gone, new connections are admitted again: a clone works.
    let tmp = tempfile::tempdir().unwrap();
    ok(alice.git(tmp.path(), &["clone", "-q", &alice.url(&path), "after"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_from_many_addresses_filling_the_total_cannot_lock_out_a_git_user() {
    // The review's attack in small: 8 addresses holding the per-client cap fill the total.
    // The deadline is long so that only eviction can close a connection within the test.
    // Each address holds 2 (below the per-address cap of 4, so refusals below come from the
    // total).
    const PER: usize = TOTAL / 8;
    let settings = format!(
        "[ssh]\nauth_timeout_secs = 120\nmax_unauthenticated = {TOTAL}\nmax_unauthenticated_per_ip = {}\n",
        2 * PER
    );
    let (w, alice, repo) = with_repo_in("Crowded", &settings).await;
    let port = w.a.ssh_port;
    let path = path_of(&repo);
    let flooders: Vec<String> = (2..=9).map(|i| format!("127.0.0.{i}")).collect();
    let mut held = fill_the_total(&flooders, port, PER).await;
    let _newcomers = eviction_makes_room(port, &mut held).await;

    // All 8 addresses keep flooding while alice pushes from 127.0.0.1.
    let tmp = tempfile::tempdir().unwrap();
    let src = work_tree(tmp.path(), "src", 2);
    let stop = Arc::new(AtomicBool::new(false));
    let flooder = keep_flooding_from(flooders, port, 2 * PER, stop.clone());
    tokio::time::sleep(Duration::from_millis(300)).await;
    push_during(&alice, tmp.path(), &src, &path, (stop, flooder), 2 * 8).await;
}

/// 600 silent connections from one client: more than the 512 connections the server serves at
/// once. Only PER_IP are admitted; the others are closed at once. Answers the admitted ones.
async fn one_address_gets_its_share(port: u16) -> Vec<(TcpStream, Instant)> {
    let started = Instant::now();
    let (mut held, refused) = flood("127.0.0.2", port, 600).await;
    let took = started.elapsed();
    assert_eq!(
        held.len(),
        PER_IP,
        "admitted from one client address (flood took {took:?})"
    );
    assert_eq!(refused, 600 - PER_IP, "closed at once");
    // Admitted ones stay open until the deadline (checked while it is surely still ahead).
    if held[0].1.elapsed() < DEADLINE - Duration::from_secs(1) {
        for (stream, _) in held.iter_mut() {
            let open = admitted(stream, Duration::from_millis(20)).await.is_none();
            assert!(
                open,
                "an admitted connection was closed before the deadline"
            );
        }
    }
    held
}

/// One more client sends its version line, then stalls in key exchange; answers its
/// connection and when it was opened.
async fn a_client_stalls_in_key_exchange(port: u16) -> (TcpStream, Instant) {
    let mut stalled = connect_from("127.0.0.3", port).await;
    let stalled_at = Instant::now();
    stalled
        .write_all(b"SSH-2.0-stalled_client\r\n")
        .await
        .unwrap();
    assert_eq!(
        admitted(&mut stalled, Duration::from_secs(10)).await,
        Some(true)
    );
    (stalled, stalled_at)
}

/// Each address of `flooders` fills its share (`per`) of the total; answers every connection.
async fn fill_the_total(flooders: &[String], port: u16, per: usize) -> Vec<(TcpStream, Instant)> {
    let mut held = Vec::new();
    for from in flooders {
        let (mine, refused) = flood(from, port, per).await;
        assert_eq!((mine.len(), refused), (per, 0), "{from} fills its share");
        held.extend(mine);
    }
    assert_eq!(held.len(), TOTAL, "the total is full");
    held
}

/// A newcomer from a flooding address (holding as many as any) is closed at once; a newcomer
/// from a fresh address is admitted, and the oldest connection (127.0.0.2's first) is closed
/// promptly, long before the deadline. Answers both newcomers' connections (kept open, as the
/// flood's are, while alice pushes).
async fn eviction_makes_room(port: u16, held: &mut [(TcpStream, Instant)]) -> [TcpStream; 2] {
    let mut again = connect_from("127.0.0.5", port).await;
    assert_eq!(
        admitted(&mut again, Duration::from_secs(10)).await,
        Some(false),
        "a newcomer from a biggest holder was admitted beyond max_unauthenticated"
    );
    // A newcomer from a fresh address is admitted, and the oldest connection (127.0.0.2's
    // first) is closed promptly, long before the deadline.
    let mut fresh = connect_from("127.0.0.10", port).await;
    assert_eq!(
        admitted(&mut fresh, Duration::from_secs(10)).await,
        Some(true),
        "a client holding nothing was refused while the total was full"
    );
    let (oldest, _) = &mut held[0];
    assert!(
        closed_within(oldest, Duration::from_secs(30)).await,
        "the biggest holder's oldest connection was not closed to make room"
    );
    for (stream, _) in held.iter_mut().skip(1) {
        assert!(
            admitted(stream, Duration::from_millis(20)).await.is_none(),
            "a connection other than the oldest was closed"
        );
    }
    [again, fresh]
}
