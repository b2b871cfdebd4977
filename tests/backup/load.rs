//! Load while the backup runs: alice pushing a new branch again and again over SSH, and a remote
//! server POSTing signed activities to her inbox; each acknowledged operation with the time its
//! acknowledgement arrived.

use crate::common::git::{commit, ok, rev};
use crate::common::remote::Sign;
use crate::setup::Site;
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Milliseconds since the epoch (the clock the server's snapshot time is on).
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// What the load got acknowledged: (what, acknowledged at ms).
#[derive(Default)]
pub struct Acked {
    /// A branch pushed: (name, commit).
    pub pushes: Vec<((String, String), u64)>,
    /// A signed POST accepted: its body.
    pub posts: Vec<(Vec<u8>, u64)>,
}

impl Acked {
    /// Prints how much of the load came before and after the snapshot.
    pub fn report(&self, snapshot_ms: u64) {
        let after = |list: &[u64]| list.iter().filter(|at| **at >= snapshot_ms).count();
        let pushes: Vec<u64> = self.pushes.iter().map(|(_, at)| *at).collect();
        let posts: Vec<u64> = self.posts.iter().map(|(_, at)| *at).collect();
        eprintln!(
            "load: {} pushes ({} after the snapshot), {} POSTs ({} after)",
            pushes.len(),
            after(&pushes),
            posts.len(),
            after(&posts)
        );
    }
}

/// Runs the load until `stop`; what is acknowledged lands in `acked`.
pub struct Load {
    pub stop: Arc<AtomicBool>,
    pub acked: Arc<Mutex<Acked>>,
    pushes: Option<tokio::task::JoinHandle<()>>,
    posts: Option<tokio::task::JoinHandle<()>>,
}

impl Load {
    pub fn start(site: &Site) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let acked = Arc::new(Mutex::new(Acked::default()));
        let pushes = push_loop(site, stop.clone(), acked.clone());
        let posts = post_loop(site, stop.clone(), acked.clone());
        Load {
            stop,
            acked,
            pushes: Some(pushes),
            posts: Some(posts),
        }
    }

    /// How many pushes and POSTs were acknowledged so far.
    pub fn counts(&self) -> (usize, usize) {
        let a = self.acked.lock().unwrap();
        (a.pushes.len(), a.posts.len())
    }

    /// Stops the load and waits for its last operations.
    pub async fn stop(mut self) -> Acked {
        self.stop.store(true, Ordering::Relaxed);
        for task in [self.pushes.take(), self.posts.take()]
            .into_iter()
            .flatten()
        {
            task.await.expect("the load ran without failing");
        }
        std::mem::take(&mut *self.acked.lock().unwrap())
    }
}

/// alice pushes a new branch, again and again, until `stop`.
fn push_loop(
    site: &Site,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Acked>>,
) -> tokio::task::JoinHandle<()> {
    let (ssh, url, tree) = (site.alice.ssh_command(), site.ssh_url(), site.tree.clone());
    tokio::task::spawn_blocking(move || {
        let mut n = 0;
        while !stop.load(Ordering::Relaxed) {
            n += 1;
            let branch = format!("load-{n}");
            ok(crate::common::git::git_in(
                &tree,
                &["checkout", "-q", "-b", &branch, "main"],
                None,
            ));
            commit(&tree, &format!("load{n}.txt"), &format!("load {n}"));
            let sha = rev(&tree, "HEAD");
            let spec = format!("{branch}:refs/heads/{branch}");
            ok(crate::common::git::git_in(
                &tree,
                &["push", "-q", &url, &spec],
                Some(&ssh),
            ));
            let at = now_ms();
            acked
                .lock()
                .unwrap()
                .pushes
                .push(((format!("refs/heads/{branch}"), sha), at));
        }
    })
}

/// A remote server POSTs signed activities to alice's inbox until `stop`.
fn post_loop(
    site: &Site,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Acked>>,
) -> tokio::task::JoinHandle<()> {
    let remote_actor = site.remote.actor("eve");
    let inbox = format!("{}/inbox", site.w.a.at("/people/alice"));
    let alice = site.w.a.at("/people/alice");
    let remote = site.remote.clone();
    tokio::spawn(async move {
        let mut n = 0;
        while !stop.load(Ordering::Relaxed) {
            n += 1;
            let body = serde_json::to_vec(&json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{remote_actor}/notes/{n}/create"), "type": "Create",
                "actor": remote_actor, "to": [alice],
                "object": {"type": "Note", "id": format!("{remote_actor}/notes/{n}"),
                           "attributedTo": remote_actor, "to": [alice], "content": "hi"}}))
            .unwrap();
            let (s, answer) = remote.post(&inbox, &body, &Sign::by("eve")).await;
            assert_eq!(s, 202, "{answer}");
            let at = now_ms();
            acked.lock().unwrap().posts.push((body, at));
        }
    })
}
