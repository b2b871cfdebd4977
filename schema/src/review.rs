// SPDX-License-Identifier: AGPL-3.0-or-later
//! The ForgeFed review of a merge request: `Review` (a verdict, a summary Note, the version it
//! was made on, its `ReviewThread`s), `ReviewThread` (a `CodeQuote` and its top Note) and
//! `ReviewStatus` (the verdicts `approve`, `remark`, `revise`, and the statuses of an
//! `Approval`: `awaiting`, `dismissed`, `dismissedAwaiting`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use url::Url;

use crate::code_quote::{forgefed_term, CodeQuote};
use crate::one_or_many::Types;
use crate::reference::ObjectRef;

/// A review's verdict, or an Approval's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewStatus {
    Approve,
    Remark,
    /// Request changes.
    Revise,
    Awaiting,
    Dismissed,
    DismissedAwaiting,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 6] = [
        ReviewStatus::Approve,
        ReviewStatus::Remark,
        ReviewStatus::Revise,
        ReviewStatus::Awaiting,
        ReviewStatus::Dismissed,
        ReviewStatus::DismissedAwaiting,
    ];

    /// The JSON-LD term.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Approve => "approve",
            ReviewStatus::Remark => "remark",
            ReviewStatus::Revise => "revise",
            ReviewStatus::Awaiting => "awaiting",
            ReviewStatus::Dismissed => "dismissed",
            ReviewStatus::DismissedAwaiting => "dismissedAwaiting",
        }
    }

    /// Whether it is a `ReviewVerdict` (what a review may give: approve, remark, revise).
    pub fn is_verdict(self) -> bool {
        matches!(
            self,
            ReviewStatus::Approve | ReviewStatus::Remark | ReviewStatus::Revise
        )
    }
}

impl fmt::Display for ReviewStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReviewStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let term = forgefed_term(s);
        ReviewStatus::ALL
            .into_iter()
            .find(|v| v.as_str() == term)
            .ok_or_else(|| format!("{s:?} is not a ReviewStatus"))
    }
}

impl Serialize for ReviewStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ReviewStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A `Review`, as offered (no `id` yet) or as published. Threads are kept raw so that each can
/// be checked with its own reason (`ReviewThread::parse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context_ld: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Url>,
    /// `"Review"`.
    #[serde(rename = "type")]
    pub kind: Types,
    /// The merge request (a Ticket).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ObjectRef>,
    /// The summary comment (a Note).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<ObjectRef>,
    /// The verdict, as given (see `Review::verdict`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_is_binding: Option<bool>,
    /// The version of the merge request reviewed (its collection of Patches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// One thread or an array of them, as given.
    pub review_threads: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Review {
    /// The verdict, which must be given and be a `ReviewVerdict`.
    pub fn verdict(&self) -> Result<ReviewStatus, String> {
        let given = self.verdict.as_deref().ok_or("the Review has no verdict")?;
        match given.parse::<ReviewStatus>() {
            Ok(v) if v.is_verdict() => Ok(v),
            _ => Err(format!(
                "the verdict {given:?} is not approve, remark or revise"
            )),
        }
    }

    /// The threads, each parsed (the first malformed one is the error).
    pub fn threads(&self) -> Result<Vec<ReviewThread>, String> {
        let threads = match &self.review_threads {
            None => return Ok(Vec::new()),
            Some(Value::Array(all)) => all.as_slice(),
            Some(one) => std::slice::from_ref(one),
        };
        threads
            .iter()
            .enumerate()
            .map(|(i, t)| ReviewThread::parse(t).map_err(|e| format!("reviewThreads[{i}]: {e}")))
            .collect()
    }
}

/// A `ReviewThread`: a CodeQuote (`target`) and the Note that opens the discussion (`object`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewThread {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Url>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Types>,
    /// The Review it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ObjectRef>,
    pub target: CodeQuote,
    /// The top comment.
    pub object: ObjectRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_resolved: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ReviewThread {
    /// Parses a thread: typed `ReviewThread`, with a `CodeQuote` target and an object.
    pub fn parse(value: &Value) -> Result<ReviewThread, String> {
        if value.get("type").and_then(Value::as_str) != Some("ReviewThread") {
            return Err("a review thread must be of type ReviewThread".into());
        }
        let target = value
            .get("target")
            .ok_or("the thread has no target (a CodeQuote)")?;
        CodeQuote::parse(target)?;
        if value.get("object").is_none() {
            return Err("the thread has no object (its top comment)".into());
        }
        ReviewThread::deserialize(value).map_err(|e| format!("malformed ReviewThread: {e}"))
    }
}

#[cfg(test)]
#[path = "review_tests.rs"]
mod tests;
