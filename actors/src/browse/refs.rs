//! The refs a repository shows: its default branch (what `HEAD` points to), its branches and
//! its tags with their target commits (an annotated tag names the tag object and the commit it
//! peels to), each list sorted by name as `git for-each-ref` sorts it.

use crate::base::error::Result;
use crate::git::git_err;
use serde::Serialize;

/// A branch and the commit it points to.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Branch {
    /// Short name (`main`, `feature/x`).
    pub name: String,
    pub commit: String,
}

/// A tag: the object it points to, and the commit that object peels to (the same hash for a
/// lightweight tag; `None` when it peels to no commit, e.g. a tag of a tree or a blob).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tag {
    pub name: String,
    pub target: String,
    pub annotated: bool,
    pub commit: Option<String>,
}

/// What `GET /api/v1/repos/{id}/refs` answers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RefList {
    /// The branch `HEAD` names (`None` when `HEAD` is detached).
    pub default_branch: Option<String>,
    /// The commit `HEAD` resolves to (`None` in an empty repository).
    pub head: Option<String>,
    pub branches: Vec<Branch>,
    pub tags: Vec<Tag>,
}

/// The refs of `repo`.
pub fn list(repo: &gix::Repository) -> Result<RefList> {
    let head = repo.head().map_err(git_err)?;
    let default_branch = head.referent_name().map(|n| n.shorten().to_string());
    let head_commit = repo
        .head_id()
        .ok()
        .map(|id| id.detach().to_hex().to_string());
    let platform = repo.references().map_err(git_err)?;
    let mut branches = Vec::new();
    for reference in platform.local_branches().map_err(git_err)? {
        let mut reference = reference.map_err(git_err)?;
        let name = reference.name().shorten().to_string();
        if let Ok(commit) = reference.peel_to_commit() {
            let commit = commit.id.to_hex().to_string();
            branches.push(Branch { name, commit });
        }
    }
    let mut tags = Vec::new();
    for reference in platform.tags().map_err(git_err)? {
        let mut reference = reference.map_err(git_err)?;
        let name = reference.name().shorten().to_string();
        let Some(target) = reference.target().try_id().map(|id| id.to_owned()) else {
            continue;
        };
        let annotated = repo
            .find_header(target)
            .is_ok_and(|h| h.kind() == gix::object::Kind::Tag);
        let commit = reference
            .peel_to_commit()
            .ok()
            .map(|c| c.id.to_hex().to_string());
        let target = target.to_hex().to_string();
        tags.push(Tag {
            name,
            target,
            annotated,
            commit,
        });
    }
    Ok(RefList {
        default_branch,
        head: head_commit,
        branches,
        tags,
    })
}
