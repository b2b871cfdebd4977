//! Comparing two revisions with three-dot semantics (as GitHub and Forgejo show a merge
//! request): the commits of `head` that `base` lacks, newest first and capped, their merge base,
//! and the diff from the merge base to `head` (`git diff -M base...head`), within `DiffLimits`.

use super::diff::{diff_trees, DiffLimits, TreeDiff};
use super::revision::{check_ref, resolve_commit};
use crate::base::error::{ActorError, Result};
use crate::git::{git_err, rfc3339};
use serde::Serialize;

/// The most commits a comparison lists (`commits_truncated` says there were more).
pub const MAX_COMMITS: usize = 250;

/// One commit of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct CommitSummary {
    pub hash: String,
    pub summary: String,
    pub author: String,
    pub author_email: String,
    /// Author time, RFC 3339.
    pub created: String,
}

/// What a comparison of `base...head` shows.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The revisions as the client named them.
    pub base: String,
    pub head: String,
    pub base_commit: String,
    pub head_commit: String,
    pub merge_base: String,
    /// In `head` and not in `base`, newest first, at most `MAX_COMMITS`.
    pub commits: Vec<CommitSummary>,
    pub commits_truncated: bool,
    /// From the merge base to `head`.
    #[serde(flatten)]
    pub diff: TreeDiff,
}

/// `base...head` split in two; 400 without `...` or with a side that is no valid ref name.
pub fn parse_range(range: &str) -> Result<(&str, &str)> {
    let Some((base, head)) = range.split_once("...") else {
        return Err(ActorError::Invalid(
            "a comparison is written base...head (three dots)".into(),
        ));
    };
    check_ref(base)?;
    check_ref(head)?;
    Ok((base, head))
}

/// Compares `base...head` in `repo`: the entry point for merge requests.
/// Malformed names are `Invalid` (400); a name the repository lacks, or two histories without a
/// common ancestor, `NotFound` (404) saying which.
pub fn compare(
    repo: &gix::Repository,
    base: &str,
    head: &str,
    limits: &DiffLimits,
) -> Result<Comparison> {
    check_ref(base)?;
    check_ref(head)?;
    let base_commit = resolve_commit(repo, base)?;
    let head_commit = resolve_commit(repo, head)?;
    let merge_base = repo
        .merge_base(base_commit, head_commit)
        .map_err(git_err)?
        .map(|id| id.detach())
        .ok_or_else(|| ActorError::NotFound(format!("a common ancestor of {base} and {head}")))?;
    let (commits, commits_truncated) = commits_between(repo, merge_base, head_commit)?;
    let tree = |id: gix::ObjectId| -> Result<gix::ObjectId> {
        let commit = repo.find_commit(id).map_err(git_err)?;
        Ok(commit.tree_id().map_err(git_err)?.detach())
    };
    let diff = diff_trees(repo, Some(tree(merge_base)?), tree(head_commit)?, limits)?;
    Ok(Comparison {
        base: base.to_string(),
        head: head.to_string(),
        base_commit: base_commit.to_string(),
        head_commit: head_commit.to_string(),
        merge_base: merge_base.to_string(),
        commits,
        commits_truncated,
        diff,
    })
}

/// The commits reachable from `head` and not from `base`, newest first, at most `MAX_COMMITS`.
fn commits_between(
    repo: &gix::Repository,
    base: gix::ObjectId,
    head: gix::ObjectId,
) -> Result<(Vec<CommitSummary>, bool)> {
    let walk = repo
        .rev_walk([head])
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            Default::default(),
        ))
        .with_hidden([base])
        .all()
        .map_err(git_err)?;
    let mut commits = Vec::new();
    for info in walk {
        let info = info.map_err(git_err)?;
        if commits.len() == MAX_COMMITS {
            return Ok((commits, true));
        }
        commits.push(summary(&repo.find_commit(info.id).map_err(git_err)?)?);
    }
    Ok((commits, false))
}

fn summary(commit: &gix::Commit<'_>) -> Result<CommitSummary> {
    let message = commit.message_raw().map_err(git_err)?;
    let author = commit.author().map_err(git_err)?;
    Ok(CommitSummary {
        hash: commit.id.to_string(),
        summary: message
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
        author: author.name.to_string(),
        author_email: author.email.to_string(),
        created: rfc3339(author.time().map_err(git_err)?.seconds),
    })
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
