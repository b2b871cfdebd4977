//! The IRIs of merge request reviews (`routes::MR_REVIEW*`, `MR_THREAD*`, `MR_APPROVAL*`):
//! `Urls` builds and parses them here, beside `scheme.rs`, and `tracker_of_review_part` reads
//! the Orchard shape of a review thread or an approval IRI on any instance (the door of the
//! PatchTracker's activities tells a review thread from a merge request by it).

use crate::base::kind::{is_valid_local_id, ActorKind, ActorRef};
use crate::urls::pattern::captures;
use crate::urls::routes;
use crate::urls::scheme::Urls;
use url::Url;

/// A review thread: review `r` of merge request `n`, thread `t` of that review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadId {
    pub n: u64,
    pub r: u64,
    pub t: u64,
}

/// The numbered placeholders of a route, as strings.
fn numbers(values: &[(&'static str, u64)]) -> Vec<(&'static str, String)> {
    values.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

/// The value of placeholder `name` as a number from 1.
fn number(caps: &[(&str, &str)], name: &str) -> Option<u64> {
    let (_, v) = caps.iter().find(|(n, _)| *n == name)?;
    let n: u64 = v.parse().ok()?;
    (n > 0 && v.bytes().all(|b| b.is_ascii_digit())).then_some(n)
}

impl Urls {
    /// The IRI of `pattern` under a local patch tracker, with numbered placeholders.
    fn of_tracker(&self, pattern: &str, tracker: &ActorRef, values: &[(&'static str, u64)]) -> Url {
        let strings = numbers(values);
        let mut all = vec![("id", tracker.id.as_str())];
        all.extend(strings.iter().map(|(k, v)| (*k, v.as_str())));
        self.route(pattern, &all)
    }

    /// The reviews collection of merge request `n`.
    pub fn mr_reviews(&self, tracker: &ActorRef, n: u64) -> Url {
        self.of_tracker(routes::MR_REVIEWS, tracker, &[("n", n)])
    }

    /// Review `r` of merge request `n`.
    pub fn mr_review(&self, tracker: &ActorRef, n: u64, r: u64) -> Url {
        self.of_tracker(routes::MR_REVIEW, tracker, &[("n", n), ("r", r)])
    }

    /// A review thread.
    pub fn mr_thread(&self, tracker: &ActorRef, id: ThreadId) -> Url {
        let values = [("n", id.n), ("r", id.r), ("t", id.t)];
        self.of_tracker(routes::MR_THREAD, tracker, &values)
    }

    /// The comments of a review thread.
    pub fn mr_thread_replies(&self, tracker: &ActorRef, id: ThreadId) -> Url {
        let values = [("n", id.n), ("r", id.r), ("t", id.t)];
        self.of_tracker(routes::MR_THREAD_REPLIES, tracker, &values)
    }

    /// Comment `seq` of a review thread (a Note sent without an id).
    pub fn mr_thread_comment(&self, tracker: &ActorRef, id: ThreadId, seq: u64) -> Url {
        let values = [("n", id.n), ("r", id.r), ("t", id.t), ("seq", seq)];
        self.of_tracker(routes::MR_THREAD_COMMENT, tracker, &values)
    }

    /// The `individualApprovals` collection of merge request `n`.
    pub fn mr_approvals(&self, tracker: &ActorRef, n: u64) -> Url {
        self.of_tracker(routes::MR_APPROVALS, tracker, &[("n", n)])
    }

    /// Approval `a` of merge request `n`.
    pub fn mr_approval(&self, tracker: &ActorRef, n: u64, a: u64) -> Url {
        self.of_tracker(routes::MR_APPROVAL, tracker, &[("n", n), ("a", a)])
    }

    /// The patch tracker and placeholders of a local IRI of `pattern`.
    fn tracker_route<'a>(
        &self,
        pattern: &'a str,
        iri: &'a Url,
    ) -> Option<(ActorRef, Vec<(&'a str, &'a str)>)> {
        if !self.is_local(iri) || iri.query().is_some() || iri.fragment().is_some() {
            return None;
        }
        let base = self.base().path().trim_end_matches('/');
        let caps = captures(pattern, iri.path().strip_prefix(base)?)?;
        let (_, id) = caps.iter().find(|(n, _)| *n == "id")?;
        is_valid_local_id(id).then_some(())?;
        Some((ActorRef::new(ActorKind::PatchTracker, *id), caps))
    }

    /// The tracker and merge request number of one of this instance's review IRIs, and the review's.
    pub fn parse_mr_review(&self, iri: &Url) -> Option<(ActorRef, u64, u64)> {
        let (tracker, caps) = self.tracker_route(routes::MR_REVIEW, iri)?;
        let (n, r) = (number(&caps, "n")?, number(&caps, "r")?);
        (self.mr_review(&tracker, n, r) == *iri).then_some((tracker, n, r))
    }

    /// The tracker and thread of one of this instance's review thread IRIs.
    pub fn parse_mr_thread(&self, iri: &Url) -> Option<(ActorRef, ThreadId)> {
        let (tracker, caps) = self.tracker_route(routes::MR_THREAD, iri)?;
        let id = ThreadId {
            n: number(&caps, "n")?,
            r: number(&caps, "r")?,
            t: number(&caps, "t")?,
        };
        (self.mr_thread(&tracker, id) == *iri).then_some((tracker, id))
    }

    /// The tracker, merge request and approval number of one of this instance's Approval IRIs.
    pub fn parse_mr_approval(&self, iri: &Url) -> Option<(ActorRef, u64, u64)> {
        let (tracker, caps) = self.tracker_route(routes::MR_APPROVAL, iri)?;
        let (n, a) = (number(&caps, "n")?, number(&caps, "a")?);
        (self.mr_approval(&tracker, n, a) == *iri).then_some((tracker, n, a))
    }
}

/// What an Orchard-shaped review IRI on any instance names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewPart {
    Thread,
    Approval,
}

/// The patch tracker of an Orchard review thread IRI
/// (`<tracker>/merge-requests/<n>/reviews/<r>/threads/<t>`) or Approval IRI
/// (`<tracker>/merge-requests/<n>/approvals/<a>`) on any instance, and which of the two it is;
/// None for any other IRI.
pub fn tracker_of_review_part(iri: &Url) -> Option<(Url, ReviewPart)> {
    if iri.query().is_some() || iri.fragment().is_some() {
        return None;
    }
    let segments: Vec<&str> = iri.path().split('/').collect();
    let shapes = [
        (routes::MR_THREAD, ReviewPart::Thread),
        (routes::MR_APPROVAL, ReviewPart::Approval),
    ];
    shapes.into_iter().find_map(|(pattern, part)| {
        // The route after the tracker (`/merge-requests/{n}/...`), at the end of the path.
        let tail = pattern.split_once("{id}")?.1;
        let depth = tail.split('/').count() - 1;
        let cut = segments.len().checked_sub(depth).filter(|c| *c >= 2)?;
        let rest = format!("/{}", segments[cut..].join("/"));
        let caps = captures(tail, &rest)?;
        let numbered = caps
            .iter()
            .all(|(_, v)| v.bytes().all(|b| b.is_ascii_digit()));
        numbered.then_some(())?;
        let mut tracker = iri.clone();
        tracker.set_path(&segments[..cut].join("/"));
        Some((tracker, part))
    })
}

#[cfg(test)]
#[path = "review_iris_tests.rs"]
mod tests;
