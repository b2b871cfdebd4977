// SPDX-License-Identifier: AGPL-3.0-or-later
//! The ForgeFed `CodeQuote`: the piece of a merge request's diff a review thread is about (a
//! file, one line, or a range of lines, each on the old or the new side), and `DiffSide`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::context::FORGEFED_NS;

/// Which version of a file a line number refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiffSide {
    /// `diffSideOld`: the original version.
    Old,
    /// `diffSideNew`: the modified version.
    New,
}

impl DiffSide {
    /// The JSON-LD term.
    pub fn as_str(self) -> &'static str {
        match self {
            DiffSide::Old => "diffSideOld",
            DiffSide::New => "diffSideNew",
        }
    }
}

impl fmt::Display for DiffSide {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The term of a ForgeFed value given as a term, a compact `forge:` IRI or a full IRI.
pub(crate) fn forgefed_term(s: &str) -> &str {
    s.strip_prefix(FORGEFED_NS)
        .or_else(|| s.strip_prefix("forge:"))
        .unwrap_or(s)
}

impl FromStr for DiffSide {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match forgefed_term(s) {
            "diffSideOld" => Ok(DiffSide::Old),
            "diffSideNew" => Ok(DiffSide::New),
            _ => Err(format!(
                "{s:?} is not a DiffSide (diffSideOld or diffSideNew)"
            )),
        }
    }
}

impl Serialize for DiffSide {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DiffSide {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A `CodeQuote` as sent: every field optional, so that `anchor` can say what is wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeQuote {
    /// `"CodeQuote"`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The path of the file, relative to the repository's root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cq_file: Option<String>,
    /// A diff hunk holding the quoted lines (the tracker fills it in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cq_hunk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cq_line: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cq_side: Option<DiffSide>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cq_start: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cq_end: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cq_start_side: Option<DiffSide>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cq_end_side: Option<DiffSide>,
    /// Whether a later version of the merge request changed these lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cq_outdated: Option<bool>,
    /// Every other key.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What a well-formed CodeQuote is about: the spec's three options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The whole file (only `cqFile`).
    File,
    /// One line (`cqLine`, `cqSide`).
    Line { line: u64, side: DiffSide },
    /// A range (`cqStart`, `cqStartSide`, `cqEnd`, `cqEndSide`).
    Range {
        start: u64,
        start_side: DiffSide,
        end: u64,
        end_side: DiffSide,
    },
}

/// Whether `path` is a plain path relative to a repository's root (no `/` at either end, no
/// empty, `.` or `..` segment, no NUL), as git names the files of a tree.
pub fn is_repository_path(path: &str) -> bool {
    !path.is_empty()
        && path.len() <= 4096
        && !path.contains('\0')
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
}

impl CodeQuote {
    /// Parses a CodeQuote; the error says which field is malformed.
    pub fn parse(value: &Value) -> Result<CodeQuote, String> {
        let quote =
            CodeQuote::deserialize(value).map_err(|e| format!("malformed CodeQuote: {e}"))?;
        if quote.kind.as_deref() != Some("CodeQuote") {
            return Err("the target of a ReviewThread must be of type CodeQuote".into());
        }
        Ok(quote)
    }

    /// The file, checked to be a repository path.
    pub fn file(&self) -> Result<&str, String> {
        let file = self
            .cq_file
            .as_deref()
            .ok_or("the CodeQuote has no cqFile")?;
        if !is_repository_path(file) {
            return Err(format!(
                "cqFile {file:?} is not a path relative to the repository's root"
            ));
        }
        Ok(file)
    }

    /// What the quote is about, or why it is none of the spec's three options.
    pub fn anchor(&self) -> Result<Anchor, String> {
        self.file()?;
        let line = (self.cq_line, self.cq_side);
        let range = [self.cq_start, self.cq_end];
        let range_sides = [self.cq_start_side, self.cq_end_side];
        let any_range =
            range.iter().any(Option::is_some) || range_sides.iter().any(Option::is_some);
        match (line, any_range) {
            ((None, None), false) => Ok(Anchor::File),
            ((Some(_), _) | (_, Some(_)), true) => {
                Err("a CodeQuote gives either cqLine and cqSide or a range, not both".into())
            }
            ((Some(line), Some(side)), false) => {
                positive(line, "cqLine")?;
                Ok(Anchor::Line { line, side })
            }
            ((_, _), false) => Err("cqLine and cqSide go together".into()),
            ((None, None), true) => self.range(),
        }
    }

    fn range(&self) -> Result<Anchor, String> {
        let (Some(start), Some(end), Some(start_side), Some(end_side)) = (
            self.cq_start,
            self.cq_end,
            self.cq_start_side,
            self.cq_end_side,
        ) else {
            return Err("a range needs cqStart, cqEnd, cqStartSide and cqEndSide".into());
        };
        positive(start, "cqStart")?;
        positive(end, "cqEnd")?;
        if start_side == end_side && start > end {
            return Err(format!("cqStart {start} is after cqEnd {end}"));
        }
        Ok(Anchor::Range {
            start,
            start_side,
            end,
            end_side,
        })
    }
}

fn positive(n: u64, name: &str) -> Result<(), String> {
    match n {
        0 => Err(format!("{name} counts from 1")),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[path = "code_quote_tests.rs"]
mod tests;
