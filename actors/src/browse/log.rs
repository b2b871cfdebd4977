//! Commit logs: the commits reachable from a tip, newest first by committer time (git log's
//! order), a page at a time, optionally only those that touch a path. A cursor names the tip
//! the first page started from and the last commit shown, so it stays valid when the branch
//! moves; the next page walks again from that tip past that commit (commit headers only) and
//! stops as soon as it has one commit more than a page. The walk is lazy: nothing beyond the
//! page is read.
//!
//! Path filter: a commit with one parent (or none) is listed when the path's entry (its blob or
//! tree id) differs from its parent's (for a root commit: when the path exists), which is what
//! `git log -- <path>` lists for linear history. Every parent of a merge is walked (as
//! `git log --full-history`), and a merge itself is listed only when the path differs from every
//! one of its parents (the merge made a change of its own, such as a conflict resolution).

use super::commit_view::{view, CommitView};
use super::tree::{entry_at, Found};
use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorRef;
use crate::git::git_err;
use crate::urls::Urls;
use gix::ObjectId;
use serde::Serialize;
use std::collections::HashMap;

/// Commits per page unless the client asks for another number.
pub const DEFAULT_LIMIT: usize = 50;
/// Most commits per page.
pub const MAX_LIMIT: usize = 100;

/// Where a page starts: the tip walked from, and the last commit of the previous page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub tip: ObjectId,
    pub after: ObjectId,
}

fn parse_hash(s: &str) -> Option<ObjectId> {
    let ok = s.len() == 40 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    ok.then(|| ObjectId::from_hex(s.as_bytes()).ok()).flatten()
}

impl Cursor {
    /// Reads a cursor as `to_string` writes it (`{tip}.{after}`); 400 when it is malformed.
    pub fn parse(s: &str) -> Result<Cursor> {
        let parsed = s
            .split_once('.')
            .and_then(|(tip, after)| Some((parse_hash(tip)?, parse_hash(after)?)));
        let (tip, after) = parsed.ok_or_else(|| {
            let shown: String = s.chars().take(100).collect();
            ActorError::Invalid(format!(
                "cursor {shown:?} is malformed: use the `next` of a page"
            ))
        })?;
        Ok(Cursor { tip, after })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.tip.to_hex(), self.after.to_hex())
    }
}

/// What `GET /api/v1/repos/{id}/commits` answers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LogPage {
    pub commits: Vec<CommitView>,
    /// The cursor of the next page; `None` on the last page.
    pub next: Option<String>,
}

/// What a log is asked for.
pub struct LogQuery<'a> {
    pub tip: ObjectId,
    pub after: Option<ObjectId>,
    /// The path filter's components (none: every commit).
    pub path: &'a [&'a str],
    pub limit: usize,
}

/// The path's entry in each commit already looked at (a parent is usually the next commit).
struct PathCache<'r> {
    repo: &'r gix::Repository,
    seen: HashMap<ObjectId, Option<Found>>,
}

impl PathCache<'_> {
    const MAX: usize = 4096;

    fn entry(&mut self, commit: ObjectId, path: &[&str]) -> Result<Option<Found>> {
        if let Some(found) = self.seen.get(&commit) {
            return Ok(*found);
        }
        let tree = super::tree::commit_tree(self.repo, commit)?;
        let found = entry_at(self.repo, tree, path)?;
        if self.seen.len() >= Self::MAX {
            self.seen.clear();
        }
        self.seen.insert(commit, found);
        Ok(found)
    }

    /// True when `commit` (with `parents`) is listed under the path filter.
    fn touches(&mut self, commit: ObjectId, parents: &[ObjectId], path: &[&str]) -> Result<bool> {
        let mine = self.entry(commit, path)?;
        if parents.is_empty() {
            return Ok(mine.is_some());
        }
        for parent in parents {
            if self.entry(*parent, path)? == mine {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// One page of the log `q` asks for, the commits described for repository `r`.
pub fn page(
    repo: &gix::Repository,
    urls: &Urls,
    r: &ActorRef,
    q: &LogQuery<'_>,
) -> Result<LogPage> {
    let limit = q.limit.clamp(1, MAX_LIMIT);
    let walk = repo
        .rev_walk([q.tip])
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            Default::default(),
        ))
        .all()
        .map_err(git_err)?;
    let mut cache = PathCache {
        repo,
        seen: HashMap::new(),
    };
    let mut skipping = q.after.is_some();
    let mut ids: Vec<ObjectId> = Vec::new();
    for info in walk {
        let info = info.map_err(git_err)?;
        if skipping {
            skipping = Some(info.id) != q.after;
            continue;
        }
        let parents: Vec<ObjectId> = info.parent_ids.iter().copied().collect();
        if q.path.is_empty() || cache.touches(info.id, &parents, q.path)? {
            ids.push(info.id);
            if ids.len() > limit {
                break;
            }
        }
    }
    if skipping {
        return Err(ActorError::Invalid(
            "cursor names a commit that is not in this log".to_string(),
        ));
    }
    let next = (ids.len() > limit).then(|| {
        ids.truncate(limit);
        let after = ids[limit - 1];
        Cursor { tip: q.tip, after }.to_string()
    });
    let commits = ids
        .iter()
        .map(|id| view(urls, r, &repo.find_commit(*id).map_err(git_err)?))
        .collect::<Result<Vec<_>>>()?;
    Ok(LogPage { commits, next })
}

#[cfg(test)]
#[path = "log_tests.rs"]
mod tests;
