//! Reading bare git repositories with gix: the refs (before and after a push), the commits a
//! push added to a branch, newest first, and one commit by its hash. Blocking: call from a
//! blocking thread.

use crate::base::error::{ActorError, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// A ref name (`refs/heads/main`) and the object it points to (hex).
pub type Refs = BTreeMap<String, String>;

/// The all-zero hash git uses for "no object".
pub const ZERO: &str = "0000000000000000000000000000000000000000";

/// A gix failure as the crate's error (503: the read may be retried).
pub fn git_err(e: impl std::fmt::Display) -> ActorError {
    ActorError::Task(format!("git: {e}"))
}

/// Every direct ref of the repository and its target.
pub fn read_refs(path: &Path) -> Result<Refs> {
    let repo = gix::open(path).map_err(git_err)?;
    let mut out = Refs::new();
    let platform = repo.references().map_err(git_err)?;
    for reference in platform.all().map_err(git_err)? {
        let reference = reference.map_err(git_err)?;
        if let Some(id) = reference.target().try_id() {
            out.insert(
                reference.name().as_bstr().to_string(),
                id.to_hex().to_string(),
            );
        }
    }
    Ok(out)
}

/// One commit as a Push lists it and its IRI serves it.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    pub hash: String,
    /// The author's and the committer's names, as git records them.
    pub author: String,
    pub committer: String,
    pub summary: String,
    pub description: Option<String>,
    /// Author time, RFC 3339.
    pub created: String,
    /// Committer time, RFC 3339.
    pub committed: String,
}

/// A time in seconds since the epoch as RFC 3339 (UTC).
pub fn rfc3339(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// The commits reachable from `tip` but from none of `hidden`, newest first, at most `limit`
/// of them, and how many there are in all.
pub fn new_commits(
    path: &Path,
    tip: &str,
    hidden: &[String],
    limit: usize,
) -> Result<(Vec<CommitInfo>, usize)> {
    let repo = gix::open(path).map_err(git_err)?;
    let tip = gix::ObjectId::from_hex(tip.as_bytes()).map_err(git_err)?;
    let hidden: Vec<gix::ObjectId> = hidden
        .iter()
        .filter(|h| h.as_str() != ZERO)
        .filter_map(|h| gix::ObjectId::from_hex(h.as_bytes()).ok())
        .filter(|id| repo.find_object(*id).is_ok())
        .collect();
    let walk = repo
        .rev_walk([tip])
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            Default::default(),
        ))
        .with_hidden(hidden)
        .all()
        .map_err(git_err)?;
    let mut commits = Vec::new();
    let mut total = 0;
    for info in walk {
        let info = info.map_err(git_err)?;
        total += 1;
        if commits.len() >= limit {
            continue;
        }
        commits.push(describe(&repo.find_commit(info.id).map_err(git_err)?)?);
    }
    Ok((commits, total))
}

/// The commit `hash` (full hex) of the repository, None when it holds no such commit.
pub fn read_commit(path: &Path, hash: &str) -> Result<Option<CommitInfo>> {
    let repo = gix::open(path).map_err(git_err)?;
    let Ok(id) = gix::ObjectId::from_hex(hash.as_bytes()) else {
        return Ok(None);
    };
    let found = repo
        .find_object(id)
        .ok()
        .and_then(|o| o.try_into_commit().ok());
    let info = match found {
        Some(commit) => Some(describe(&commit)?),
        None => None,
    };
    Ok(info)
}

fn describe(commit: &gix::Commit<'_>) -> Result<CommitInfo> {
    let message = commit.message_raw().map_err(git_err)?.to_string();
    let mut parts = message.trim().splitn(2, '\n');
    let summary = parts.next().unwrap_or_default().trim().to_string();
    let description = parts
        .next()
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    let author = commit.author().map_err(git_err)?;
    let committer = commit.committer().map_err(git_err)?;
    let seconds = |t: gix::date::Time| t.seconds;
    Ok(CommitInfo {
        hash: commit.id.to_hex().to_string(),
        author: author.name.to_string(),
        committer: committer.name.to_string(),
        summary,
        description,
        created: rfc3339(seconds(author.time().map_err(git_err)?)),
        committed: rfc3339(seconds(committer.time().map_err(git_err)?)),
    })
}
