//! The verification after the last restart, seen from Orchard: every Follow answered 2xx is
//! stored once in its person's inbox, has its follower entry, and has exactly one Accept in the
//! outbox. The fleet's side (deliveries) is in `deliveries`; `verify` runs both, in order.

use crate::deliveries::{accepts_by_id, print_by_epoch};
use crate::harness::{Crash, Findings};
use crate::reading::{all_items, login, some};
use crate::senders::{person_name, Sent};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

impl Crash {
    /// Checks, after the last restart, that every Follow answered 2xx is stored once, that every
    /// stored Follow was processed once (one follower entry, one Accept in the outbox, one
    /// Accept delivered) and that no Accept went out twice (beyond the in-flight rule).
    pub async fn verify(&self) -> Findings {
        let by_id: HashMap<String, Sent> = self
            .sent
            .iter()
            .map(|s| (s.id.clone(), s.clone()))
            .collect();
        assert_eq!(by_id.len(), self.sent.len(), "Follow ids are unique");
        self.print_outcomes();
        let mut problems: Vec<String> = Vec::new();
        let mut tokens = Vec::new();
        for p in 0..self.people {
            tokens.push(login(&self.client, &self.url(), &person_name(p)).await);
        }
        let stored = self.stored_once(&by_id, &tokens, &mut problems).await;
        self.followers_present(&tokens, &mut problems).await;
        let posts = self.wait_for_accepts(&stored, &mut problems).await;
        let accepts_ok = accepts_by_id(&by_id, &posts, &mut problems);
        self.redelivered(&accepts_ok, &mut problems);
        let outbox = self.outbox_accepts(&tokens).await;
        outbox_once(&by_id, &outbox, &stored, &accepts_ok, &mut problems);
        print_by_epoch(&posts);
        self.write_evidence(&stored, &posts);
        Findings {
            problems,
            accepts_ok,
        }
    }

    /// Prints how many Follows were sent, by outcome.
    fn print_outcomes(&self) {
        let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
        for s in &self.sent {
            let key = match &s.outcome {
                Ok(code) => code.to_string(),
                Err(e) if e.contains("Connect") => "connection refused".into(),
                Err(_) => "no answer (transport error)".into(),
            };
            *outcomes.entry(key).or_default() += 1;
        }
        eprintln!("sent {} Follows: {outcomes:?}", self.sent.len());
    }

    /// Stored exactly once: every 2xx Follow is in its person's inbox, once. Answers the stored
    /// Follows (id -> person).
    async fn stored_once(
        &self,
        by_id: &HashMap<String, Sent>,
        tokens: &[String],
        problems: &mut Vec<String>,
    ) -> HashMap<String, usize> {
        let orchard = self.url();
        let mut stored: HashMap<String, usize> = HashMap::new(); // Follow id -> person
        let mut twice_in_inbox = Vec::new();
        let mut foreign = Vec::new();
        for (p, token) in tokens.iter().enumerate() {
            let url = format!("{orchard}/people/{}/inbox", person_name(p));
            for item in all_items(&self.client, &url, token).await {
                let id = item["id"].as_str().unwrap_or_default().to_string();
                match by_id.get(&id) {
                    Some(s) if s.person == p => {
                        if stored.insert(id.clone(), p).is_some() {
                            twice_in_inbox.push(id);
                        }
                    }
                    _ => foreign.push(format!("{id} in {}", person_name(p))),
                }
            }
        }
        self.report_stored(&stored, problems);
        if !twice_in_inbox.is_empty() {
            problems.push(format!(
                "STORED TWICE: {} Follows appear twice in an inbox: {}",
                twice_in_inbox.len(),
                some(&twice_in_inbox, 10)
            ));
        }
        if !foreign.is_empty() {
            problems.push(format!(
                "inbox items nobody sent to that person: {}",
                some(&foreign, 10)
            ));
        }
        stored
    }

    /// Prints what the inboxes hold, and records the Follows answered 2xx that none holds.
    fn report_stored(&self, stored: &HashMap<String, usize>, problems: &mut Vec<String>) {
        let lost: Vec<&str> = self
            .sent
            .iter()
            .filter(|s| s.ok() && !stored.contains_key(&s.id))
            .map(|s| s.id.as_str())
            .collect();
        let stored_unanswered = self
            .sent
            .iter()
            .filter(|s| !s.ok() && stored.contains_key(&s.id))
            .count();
        eprintln!(
            "inboxes hold {} Follows: {} answered 2xx, {stored_unanswered} not answered 2xx but stored (allowed)",
            stored.len(),
            stored.len() - stored_unanswered,
        );
        if !lost.is_empty() {
            problems.push(format!(
                "LOST: {} Follows answered 2xx are in no inbox after the restart: {}",
                lost.len(),
                some(&lost, 10)
            ));
        }
    }

    /// A follower entry for every 2xx Follow.
    async fn followers_present(&self, tokens: &[String], problems: &mut Vec<String>) {
        let orchard = self.url();
        for (p, token) in tokens.iter().enumerate() {
            let url = format!("{orchard}/people/{}/followers", person_name(p));
            let followers: HashSet<String> = all_items(&self.client, &url, token)
                .await
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let missing: BTreeSet<String> = self
                .sent
                .iter()
                .filter(|s| s.ok() && s.person == p)
                .map(|s| self.fleet.actor(s.sender))
                .filter(|a| !followers.contains(a))
                .collect();
            if !missing.is_empty() {
                problems.push(format!(
                    "{} lacks followers whose Follow was answered 2xx: {missing:?}",
                    person_name(p)
                ));
            }
        }
    }

    /// Processed once, seen from Orchard: the Accepts in the outboxes, by Follow id.
    async fn outbox_accepts(&self, tokens: &[String]) -> HashMap<String, Vec<String>> {
        let orchard = self.url();
        let mut outbox_accepts: HashMap<String, Vec<String>> = HashMap::new();
        for (p, token) in tokens.iter().enumerate() {
            let url = format!("{orchard}/people/{}/outbox", person_name(p));
            for item in all_items(&self.client, &url, token).await {
                if item["type"] == "Accept" {
                    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
                    outbox_accepts
                        .entry(text(&item["object"]["id"]))
                        .or_default()
                        .push(text(&item["id"]));
                }
            }
        }
        outbox_accepts
    }
}

/// One Accept per stored Follow in the outboxes (`outbox_accepts`, by Follow id): none twice,
/// none missing.
fn outbox_once(
    by_id: &HashMap<String, Sent>,
    outbox_accepts: &HashMap<String, Vec<String>>,
    stored: &HashMap<String, usize>,
    accepts_ok: &HashMap<String, Vec<crate::fleet::Post>>,
    problems: &mut Vec<String>,
) {
    let mut outbox_twice: Vec<String> = outbox_accepts
        .iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(f, ids)| {
            let answered = by_id.get(f).is_some_and(Sent::ok);
            let fates: Vec<String> = ids
                .iter()
                .map(|a| {
                    let n = accepts_ok.get(a).map_or(0, Vec::len);
                    format!("{a} (delivered {n}x)")
                })
                .collect();
            format!(
                "{f} (answered 2xx: {answered}) -> {} Accepts: {}",
                ids.len(),
                fates.join(", ")
            )
        })
        .collect();
    outbox_twice.sort();
    if !outbox_twice.is_empty() {
        problems.push(format!(
            "PROCESSED TWICE: {} Follows have more than one Accept in the outbox: {}",
            outbox_twice.len(),
            some(&outbox_twice, 10)
        ));
    }
    let outbox_missing: Vec<&String> = stored
        .keys()
        .filter(|f| !outbox_accepts.contains_key(*f))
        .collect();
    if !outbox_missing.is_empty() {
        problems.push(format!(
            "NOT PROCESSED: {} stored Follows have no Accept in the outbox: {}",
            outbox_missing.len(),
            some(&outbox_missing, 10)
        ));
    }
}
