//! Authenticated SSH connections over real OpenSSH: one person holds at most
//! `[ssh] max_sessions_per_user` at once (a further one is disconnected with a message naming
//! the setting) while another person still gets in; a connection that runs no git command is
//! disconnected after `[ssh] idle_without_command_secs`, one running git is not.

mod common;

use common::forge::with_repo_in;
use common::git::{ok, GitUser};
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PER_USER: usize = 2;
const IDLE: Duration = Duration::from_secs(3);

fn limits() -> String {
    format!(
        "[ssh]\nmax_sessions_per_user = {PER_USER}\nidle_without_command_secs = {}\n",
        IDLE.as_secs()
    )
}

/// A fetch that has authenticated, read the advertisement's first bytes and now waits.
fn held_fetch(user: &GitUser, path: &str) -> Child {
    let mut session = user.ssh_spawn(&format!("git-upload-pack '{path}'"));
    let mut first = [0u8; 4];
    session
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .expect("the session gets the advertisement");
    session
}

/// Ends a held fetch (EOF on its input) and waits for it.
fn finish(mut session: Child) {
    drop(session.stdin.take());
    let _ = session.wait();
}

/// Waits for `child` to exit, at most `wait`; answers whether it did.
fn exited_within(child: &mut Child, wait: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < wait {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_holding_the_cap_cannot_open_another_connection_but_others_can() {
    let (w, alice, repo) = with_repo_in("Busy", &limits()).await;
    let path = url::Url::parse(&repo).unwrap().path().to_string();
    w.a.register("bob").await;
    let bob_token = w.a.login("bob").await;
    let bob = GitUser::register(&w.a, &bob_token).await;

    let held: Vec<Child> = (0..PER_USER).map(|_| held_fetch(&alice, &path)).collect();
    // One more from alice is disconnected right after authentication, with the reason.
    let out = alice.ssh(&format!("git-upload-pack '{path}'"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "a connection beyond the cap was served"
    );
    assert!(
        stderr.contains("too many SSH connections for this account")
            && stderr.contains("max_sessions_per_user"),
        "the refusal names the limit: {stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing was served beyond the cap: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    // bob still clones while alice holds her cap.
    let tmp = tempfile::tempdir().unwrap();
    ok(bob.git(tmp.path(), &["clone", "-q", &bob.url(&path), "bobs"]));

    // Running git, alice's held connections outlive the idle timeout.
    std::thread::sleep(IDLE + Duration::from_secs(2));
    let mut held = held;
    for session in held.iter_mut() {
        assert!(
            session.try_wait().unwrap().is_none(),
            "a connection running git was closed as idle"
        );
    }
    // Once one ends, alice gets a connection again.
    let mut held = held.into_iter();
    finish(held.next().unwrap());
    ok(alice.git(tmp.path(), &["clone", "-q", &alice.url(&path), "alices"]));
    held.for_each(finish);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_authenticated_connection_running_no_git_command_is_closed_when_idle() {
    let (_w, alice, _repo) = with_repo_in("Idle", &limits()).await;
    // `ssh -N`: authenticates and runs no command; keepalives every second do not help.
    let ssh = alice.ssh_command();
    let mut words = ssh.split_whitespace();
    let mut idle = Command::new(words.next().unwrap())
        .args(words)
        .args(["-N", "-o", "ServerAliveInterval=1", "git@127.0.0.1"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ssh starts");
    let started = Instant::now();
    assert!(
        exited_within(&mut idle, IDLE + Duration::from_secs(30)),
        "an idle authenticated connection stayed open"
    );
    assert!(
        started.elapsed() >= IDLE - Duration::from_millis(500),
        "closed before the idle timeout: {:?}",
        started.elapsed()
    );
    let mut stderr = String::new();
    idle.stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("idle_without_command_secs"),
        "the client is told why: {stderr}"
    );
}
