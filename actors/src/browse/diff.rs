//! The diff of two trees as `git diff -M` shows it: per file its paths, status (added, deleted,
//! modified, renamed, copied, type changed), modes, binary flag, line counts, git's header and
//! hunks. Renames are tracked (exact ones by gix, then at least 50% similar ones by `renames`);
//! blobs are read by gix. Bounded by `DiffLimits`: past them files lose hunks (`truncated`).

use super::diff_file::{file_diff, Pair};
pub use super::diff_file::{DiffLimits, FileDiff, FileStatus};
use super::diff_header::Side;
use crate::base::error::Result;
use crate::git::git_err;
use serde::Serialize;

/// The files of a diff, in git's order (by path), and how many there were before `max_files`.
#[derive(Debug, Clone, Serialize)]
pub struct TreeDiff {
    pub files: Vec<FileDiff>,
    pub files_total: usize,
    pub truncated: bool,
}

impl TreeDiff {
    /// The whole diff as git prints it.
    pub fn text(&self) -> String {
        self.files.iter().map(FileDiff::text).collect()
    }
}

/// The diff from tree `old` (the empty tree when None) to tree `new`.
pub fn diff_trees(
    repo: &gix::Repository,
    old: Option<gix::ObjectId>,
    new: gix::ObjectId,
    limits: &DiffLimits,
) -> Result<TreeDiff> {
    let pairs = pairs(repo, old, new)?;
    let mut budget = limits.max_total_bytes;
    let mut files = Vec::new();
    for pair in pairs.iter().take(limits.max_files) {
        let file = file_diff(repo, pair, limits, budget)?;
        budget = budget.saturating_sub(file.size());
        files.push(file);
    }
    let truncated = pairs.len() > files.len() || files.iter().any(|f| f.truncated);
    Ok(TreeDiff {
        files,
        files_total: pairs.len(),
        truncated,
    })
}

fn side(
    repo: &gix::Repository,
    path: &gix::bstr::BStr,
    mode: gix::objs::tree::EntryMode,
    id: gix::ObjectId,
) -> Option<Side> {
    if mode.is_tree() {
        return None;
    }
    let short = if mode.is_commit() {
        id.to_hex_with_len(7).to_string()
    } else {
        gix::prelude::ObjectIdExt::attach(id, repo)
            .shorten_or_id()
            .to_string()
    };
    Some(Side {
        path: path.to_owned(),
        mode,
        id,
        short,
    })
}

fn pairs(
    repo: &gix::Repository,
    old: Option<gix::ObjectId>,
    new: gix::ObjectId,
) -> Result<Vec<Pair>> {
    let old_tree = old
        .map(|id| repo.find_tree(id))
        .transpose()
        .map_err(git_err)?;
    let new_tree = repo.find_tree(new).map_err(git_err)?;
    // gix finds the exact renames (same blob) while walking; `renames` the similar ones.
    let exact = gix::diff::Rewrites {
        percentage: None,
        ..Default::default()
    };
    let options = gix::diff::Options::default().with_rewrites(Some(exact));
    let changes = repo
        .diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), options)
        .map_err(git_err)?;
    let pairs: Vec<Pair> = changes
        .into_iter()
        .map(|c| pair_of(repo, c))
        .filter(|p| p.old.is_some() || p.new.is_some())
        .collect();
    let mut pairs = super::renames::track(repo, pairs)?;
    let key = |p: &Pair| p.new.as_ref().or(p.old.as_ref()).map(|s| s.path.clone());
    pairs.sort_by_key(key);
    Ok(pairs)
}

/// A change as old and new sides (a side that is a tree is None).
fn pair_of(repo: &gix::Repository, change: gix::object::tree::diff::ChangeDetached) -> Pair {
    use gix::object::tree::diff::ChangeDetached as C;
    match change {
        C::Addition {
            location,
            entry_mode,
            id,
            ..
        } => Pair {
            old: None,
            new: side(repo, location.as_ref(), entry_mode, id),
            rewrite: None,
        },
        C::Deletion {
            location,
            entry_mode,
            id,
            ..
        } => Pair {
            old: side(repo, location.as_ref(), entry_mode, id),
            new: None,
            rewrite: None,
        },
        C::Modification {
            location,
            previous_entry_mode,
            previous_id,
            entry_mode,
            id,
        } => Pair {
            old: side(repo, location.as_ref(), previous_entry_mode, previous_id),
            new: side(repo, location.as_ref(), entry_mode, id),
            rewrite: None,
        },
        C::Rewrite {
            source_location,
            source_entry_mode,
            source_id,
            diff,
            entry_mode,
            id,
            location,
            copy,
            ..
        } => Pair {
            old: side(repo, source_location.as_ref(), source_entry_mode, source_id),
            new: side(repo, location.as_ref(), entry_mode, id),
            rewrite: Some((
                diff.map_or(100, |d| (d.similarity * 100.0).floor() as u8),
                copy,
            )),
        },
    }
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
