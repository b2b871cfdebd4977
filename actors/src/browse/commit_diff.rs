//! A commit's own change: the diff of its tree against its first parent's (the empty tree for a
//! root commit; a merge is shown against its first parent, as `git format-patch` shows it).
//! Used by the `.patch` route and by the commit page.

use super::diff::{diff_trees, DiffLimits, TreeDiff};
use crate::base::error::Result;
use crate::git::git_err;

/// The diff of commit `id` against its first parent, within `limits`.
pub fn first_parent_diff(
    repo: &gix::Repository,
    id: gix::ObjectId,
    limits: &DiffLimits,
) -> Result<TreeDiff> {
    let commit = repo.find_commit(id).map_err(git_err)?;
    let parent = commit.parent_ids().next().map(|p| p.detach());
    let tree_of = |id: gix::ObjectId| -> Result<gix::ObjectId> {
        let c = repo.find_commit(id).map_err(git_err)?;
        Ok(c.tree_id().map_err(git_err)?.detach())
    };
    let old = parent.map(tree_of).transpose()?;
    diff_trees(repo, old, tree_of(id)?, limits)
}
