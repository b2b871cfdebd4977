//! The verification after the last restart, seen from the fleet: every stored Follow's Accept
//! reaches its sender, at the right sender, one Accept per Follow, and no Accept POSTed twice
//! beyond the in-flight rule (see the crate doc).

use crate::fleet::Post;
use crate::harness::Crash;
use crate::plan::{COMPLETION_GRACE, DELIVERY_WAIT, SETTLE};
use crate::reading::some;
use crate::senders::Sent;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

impl Crash {
    /// Processed and delivered: waits until every stored Follow's Accept reached its sender
    /// (2xx), then a quiet time in which a duplicate would show up. Answers every POST the fleet
    /// received.
    pub async fn wait_for_accepts(
        &self,
        stored: &HashMap<String, usize>,
        problems: &mut Vec<String>,
    ) -> Vec<Post> {
        let delivered = |posts: &[Post], follow: &str| {
            posts
                .iter()
                .any(|p| p.kind == "Accept" && p.status == 202 && p.object_id == follow)
        };
        let deadline = Instant::now() + DELIVERY_WAIT;
        loop {
            let posts = self.fleet.posts();
            if stored.keys().all(|f| delivered(&posts, f)) || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        tokio::time::sleep(SETTLE).await;
        let posts = self.fleet.posts();
        let undelivered: Vec<&String> = stored.keys().filter(|f| !delivered(&posts, f)).collect();
        if !undelivered.is_empty() {
            problems.push(format!(
                "NOT PROCESSED OR NOT DELIVERED: {} stored Follows have no Accept at their sender after {DELIVERY_WAIT:?}: {}",
                undelivered.len(),
                some(&undelivered, 10)
            ));
        }
        posts
    }

    /// One Accept POSTed (and answered 2xx) more than once. Within one run of the server
    /// nothing may go twice. Across a kill, an Accept whose POST was in flight (answered by
    /// the remote, the answer not yet seen by Orchard) is necessarily sent again: that is
    /// at-least-once delivery, which receivers absorb by activity id. So is one Orchard saw
    /// delivered less than COMPLETION_GRACE before the kill. One it saw delivered longer
    /// before the kill, and sent again after it, is a lost completion.
    pub fn redelivered(&self, accepts_ok: &HashMap<String, Vec<Post>>, problems: &mut Vec<String>) {
        let mut redelivered: Vec<String> = Vec::new();
        let mut in_flight: Vec<String> = Vec::new();
        let mut ids: Vec<&String> = accepts_ok.keys().collect();
        ids.sort();
        for id in ids {
            let ps = &accepts_ok[id];
            if ps.len() < 2 {
                continue;
            }
            let (tolerated, text) = self.story(id, ps);
            if tolerated {
                in_flight.push(text);
            } else {
                redelivered.push(text);
            }
        }
        if !in_flight.is_empty() {
            eprintln!(
                "note: {} Accepts in flight at a kill were sent again after the restart (at-least-once, same id): {}",
                in_flight.len(),
                some(&in_flight, 10)
            );
        }
        if !redelivered.is_empty() {
            problems.push(format!(
                "DELIVERED TWICE: {} Accepts were POSTed and answered 2xx more than once: {}",
                redelivered.len(),
                some(&redelivered, 10)
            ));
        }
    }

    /// The story of Accept `id`, POSTed and answered 2xx as `ps`: whether each repeat is
    /// tolerated (sent again after a kill, its delivery not logged or logged within
    /// COMPLETION_GRACE of the kill), and the text telling it.
    fn story(&self, id: &str, ps: &[Post]) -> (bool, String) {
        let mut tolerated = true;
        let mut story = Vec::new();
        for (j, p) in ps.iter().enumerate() {
            let mut s = format!("answered {}", self.when(p.at, p.epoch));
            if let Some(next) = ps.get(j + 1) {
                let logged = self.logged_delivered(id, p.epoch);
                s.push_str(&match logged {
                    Some(age) => format!(
                        " (Orchard logged it delivered {} ms before the kill)",
                        age.as_millis()
                    ),
                    None => " (Orchard never logged it delivered)".into(),
                });
                tolerated &=
                    next.epoch > p.epoch && logged.is_none_or(|age| age <= COMPLETION_GRACE);
            }
            story.push(s);
        }
        let text = format!("{id} POSTed {} times: {}", ps.len(), story.join(", "));
        (tolerated, text)
    }
}

/// Every 2xx POST of an Accept, by Accept id; records Accepts at the wrong sender (or of unknown
/// Follows) and Follows answered by two different Accepts (processed twice).
pub fn accepts_by_id(
    by_id: &HashMap<String, Sent>,
    posts: &[Post],
    problems: &mut Vec<String>,
) -> HashMap<String, Vec<Post>> {
    let mut ids_by_follow: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    let mut accepts_ok: HashMap<String, Vec<Post>> = HashMap::new();
    let mut misdirected = Vec::new();
    for p in posts.iter().filter(|p| p.kind == "Accept") {
        if p.status == 202 {
            ids_by_follow.entry(&p.object_id).or_default().insert(&p.id);
            accepts_ok.entry(p.id.clone()).or_default().push(p.clone());
        }
        match by_id.get(&p.object_id) {
            Some(s) if s.sender == p.sender => {}
            _ => misdirected.push(format!("{} (of {}) at s{}", p.id, p.object_id, p.sender)),
        }
    }
    if !misdirected.is_empty() {
        problems.push(format!(
            "Accepts at the wrong sender or of unknown Follows: {}",
            some(&misdirected, 10)
        ));
    }
    // A Follow answered by two different Accepts was processed twice.
    let mut reprocessed: Vec<String> = ids_by_follow
        .iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(f, ids)| {
            let answered = by_id.get(*f).is_some_and(Sent::ok);
            format!("{f} (answered 2xx: {answered}) -> Accepts {ids:?}")
        })
        .collect();
    reprocessed.sort();
    if !reprocessed.is_empty() {
        problems.push(format!(
            "PROCESSED TWICE: {} Follows were answered by more than one Accept (distinct ids) at their sender: {}",
            reprocessed.len(),
            some(&reprocessed, 10)
        ));
    }
    accepts_ok
}

/// Prints the Accept POSTs by epoch (kills before) and status.
pub fn print_by_epoch(posts: &[Post]) {
    let mut by_epoch: BTreeMap<(u8, u16), usize> = BTreeMap::new();
    for p in posts.iter().filter(|p| p.kind == "Accept") {
        *by_epoch.entry((p.epoch, p.status)).or_default() += 1;
    }
    eprintln!("Accept POSTs by (epoch = kills before, status): {by_epoch:?}");
}
