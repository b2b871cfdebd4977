//! The harness: one Orchard process, the fleet, what was sent, and the kills; and, on failure,
//! the evidence kept in the data directory.

use crate::common;
use crate::common::process::OrchardProcess;
use crate::fleet::{Fleet, Post};
use crate::plan::SETTINGS;
use crate::senders::{person_name, Sent};
use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One `kill -9`.
pub struct Kill {
    pub at: Instant,
    pub wall: time::OffsetDateTime,
}

/// The scenario under way: the data directory, the fleet, the Orchard process, the people,
/// the Follows sent and the kills.
pub struct Crash {
    pub dir: tempfile::TempDir,
    pub fleet: Arc<Fleet>,
    pub server: OrchardProcess,
    pub client: reqwest::Client,
    pub people: usize,
    pub sent: Vec<Sent>,
    pub kills: Vec<Kill>,
}

/// What `verify` found.
pub struct Findings {
    pub problems: Vec<String>,
    /// Every 2xx-answered POST of an Accept, by Accept id.
    pub accepts_ok: HashMap<String, Vec<Post>>,
}

impl Crash {
    /// Starts the fleet and Orchard, and registers `people` people.
    pub async fn start(people: usize) -> Crash {
        let dir = tempfile::Builder::new()
            .prefix("orchard-crash-")
            .tempdir()
            .expect("tempdir");
        let fleet = Arc::new(Fleet::start().await);
        let server = OrchardProcess::start(dir.path(), SETTINGS).await;
        let client = common::client();
        eprintln!(
            "orchard pid {:?} at {}, data in {}",
            server.pid(),
            server.url,
            dir.path().display()
        );
        for p in 0..people {
            let res = client
                .post(format!("{}/api/v1/register", server.url))
                .json(&json!({"username": person_name(p), "password": "correct horse"}))
                .send()
                .await
                .expect("register");
            assert_eq!(res.status(), 201, "register {}", person_name(p));
        }
        Crash {
            dir,
            fleet,
            server,
            client,
            people,
            sent: Vec::new(),
            kills: Vec::new(),
        }
    }

    pub fn url(&self) -> String {
        self.server.url.clone()
    }

    /// `kill -9` the server; what the fleet receives from now on belongs to the next epoch.
    pub fn kill(&mut self) {
        let pid = self.server.pid();
        self.server.kill();
        self.kills.push(Kill {
            at: Instant::now(),
            wall: time::OffsetDateTime::now_utc(),
        });
        self.fleet
            .state
            .epoch
            .store(self.kills.len() as u8, Ordering::SeqCst);
        eprintln!(
            "killed pid {pid:?} with SIGKILL (kill {})",
            self.kills.len()
        );
    }

    /// "answered N ms before/after kill K" for a time.
    pub fn when(&self, at: Instant, epoch: u8) -> String {
        match self.kills.get(epoch as usize) {
            Some(k) => format!(
                "{} ms before kill {}",
                k.at.duration_since(at).as_millis(),
                epoch + 1
            ),
            None => match epoch
                .checked_sub(1)
                .and_then(|e| self.kills.get(e as usize))
            {
                Some(k) => format!(
                    "{} ms after kill {epoch}",
                    at.duration_since(k.at).as_millis()
                ),
                None => "before any kill".into(),
            },
        }
    }

    /// How long before kill `epoch + 1` the Orchard of that epoch logged `accept` delivered;
    /// None if it did not.
    pub fn logged_delivered(&self, accept: &str, epoch: u8) -> Option<Duration> {
        let kill = self.kills.get(epoch as usize)?;
        let log = self.server.log(u32::from(epoch) + 1);
        let suffix = format!("activity={accept}");
        let line = log
            .lines()
            .find(|l| l.contains("delivered inbox=") && l.ends_with(&suffix))?;
        let stamp = line.split_whitespace().next()?;
        let at = time::OffsetDateTime::parse(stamp, &time::format_description::well_known::Rfc3339)
            .ok()?;
        Some((kill.wall - at).try_into().unwrap_or(Duration::ZERO))
    }

    /// Writes what was sent and what the fleet received into the data directory.
    pub fn write_evidence(&self, stored: &HashMap<String, usize>, posts: &[Post]) {
        let mut sent = String::from("follow\tsender\tperson\toutcome\tstored\n");
        for s in &self.sent {
            sent.push_str(&format!(
                "{}\ts{}\t{}\t{:?}\t{}\n",
                s.id,
                s.sender,
                person_name(s.person),
                s.outcome,
                stored.contains_key(&s.id)
            ));
        }
        let mut received = String::from("epoch\twhen\tsender\tstatus\tkind\tid\tobject\n");
        for p in posts {
            received.push_str(&format!(
                "{}\t{}\ts{}\t{}\t{}\t{}\t{}\n",
                p.epoch,
                self.when(p.at, p.epoch),
                p.sender,
                p.status,
                p.kind,
                p.id,
                p.object_id
            ));
        }
        let _ = std::fs::write(self.dir.path().join("sent.tsv"), sent);
        let _ = std::fs::write(self.dir.path().join("remote-posts.tsv"), received);
    }

    /// Passes, or keeps the data directory and fails with every problem.
    pub fn finish(self, problems: Vec<String>) {
        let Crash { dir, server, .. } = self;
        drop(server);
        if problems.is_empty() {
            if std::env::var_os("ORCHARD_KEEP_CRASH_DIR").is_some() {
                eprintln!("data and logs kept in {}", dir.keep().display());
            }
            return;
        }
        let kept = dir.keep();
        panic!(
            "crash test failed ({} problems); data and logs kept in {} (orchard-N.log: boot N; \
             sent.tsv; remote-posts.tsv):\n- {}",
            problems.len(),
            kept.display(),
            problems.join("\n- ")
        );
    }
}
