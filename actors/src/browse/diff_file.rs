//! One file of a diff: its status, modes, binary test, hunks within the limits, and git's text.

use super::diff_header::{header, mode_string, HeaderFacts, Side};
use super::hunks::{is_binary, line_diff, Hunk};
use crate::base::error::Result;
use crate::git::git_err;
use serde::Serialize;

/// Bounds on one diff answer. Past `max_files` files are left out; a file whose hunks pass
/// `max_file_bytes` (or the rest of `max_total_bytes`) keeps only the hunks that fit; blobs over
/// `max_blob_bytes` are not read at all. Each cut sets `truncated`.
#[derive(Debug, Clone, Copy)]
pub struct DiffLimits {
    pub max_files: usize,
    pub max_file_bytes: usize,
    pub max_total_bytes: usize,
    pub max_blob_bytes: u64,
}

impl Default for DiffLimits {
    /// 300 files, 256 KiB of hunks per file, 2 MiB in all, blobs up to 8 MiB.
    fn default() -> Self {
        DiffLimits {
            max_files: 300,
            max_file_bytes: 256 * 1024,
            max_total_bytes: 2 * 1024 * 1024,
            max_blob_bytes: 8 * 1024 * 1024,
        }
    }
}

/// What happened to a file.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Added,
    Deleted,
    Modified,
    Renamed,
    Copied,
    TypeChanged,
}

/// One file of a diff. `header` + every hunk's `text` is git's text for the file (for a type
/// change, `header` also holds git's deletion half, as git prints a type change as two).
#[derive(Debug, Clone, Serialize)]
pub struct FileDiff {
    pub old_path: Option<String>,
    pub new_path: Option<String>,
    pub status: FileStatus,
    pub old_mode: Option<String>,
    pub new_mode: Option<String>,
    pub old_id: Option<String>,
    pub new_id: Option<String>,
    /// Percent, for renames and copies.
    pub similarity: Option<u8>,
    pub binary: bool,
    /// Lines added and removed; absent for binary files and files not diffed (limits).
    pub additions: Option<u32>,
    pub deletions: Option<u32>,
    pub truncated: bool,
    pub header: String,
    pub hunks: Vec<Hunk>,
}

impl FileDiff {
    /// Git's text for this file.
    pub fn text(&self) -> String {
        let mut out = self.header.clone();
        for hunk in &self.hunks {
            out.push_str(&hunk.text);
        }
        out
    }

    pub(crate) fn size(&self) -> usize {
        self.header.len() + self.hunks.iter().map(|h| h.text.len()).sum::<usize>()
    }
}

/// A change between the trees, both sides blobs, links or submodules (trees are left out).
pub(crate) struct Pair {
    pub old: Option<Side>,
    pub new: Option<Side>,
    /// `(similarity percent, is_copy)`.
    pub rewrite: Option<(u8, bool)>,
}

fn status(pair: &Pair) -> FileStatus {
    match (&pair.old, &pair.new, pair.rewrite) {
        (None, _, _) => FileStatus::Added,
        (_, None, _) => FileStatus::Deleted,
        (_, _, Some((_, true))) => FileStatus::Copied,
        (_, _, Some((_, false))) => FileStatus::Renamed,
        (Some(o), Some(n), None) if type_changed(o, n) => FileStatus::TypeChanged,
        _ => FileStatus::Modified,
    }
}

/// Blob, link and submodule are types; the executable bit is only a mode change.
fn type_changed(old: &Side, new: &Side) -> bool {
    let kind = |s: &Side| (s.mode.is_link(), s.mode.is_commit());
    kind(old) != kind(new)
}

/// The header and hunks of one old/new pair, within `room` bytes of hunks.
struct Part {
    header: String,
    hunks: Vec<Hunk>,
    binary: bool,
    counts: Option<(u32, u32)>,
    truncated: bool,
}

impl Part {
    fn text_len(&self) -> usize {
        self.header.len() + self.hunks.iter().map(|h| h.text.len()).sum::<usize>()
    }
}

fn content(repo: &gix::Repository, side: Option<&Side>) -> Result<Vec<u8>> {
    match side {
        None => Ok(Vec::new()),
        Some(s) if s.mode.is_commit() => Ok(format!("Subproject commit {}\n", s.id).into_bytes()),
        Some(s) => Ok(repo.find_blob(s.id).map_err(git_err)?.take_data()),
    }
}

fn blob_size(repo: &gix::Repository, side: &Side) -> Result<u64> {
    if side.mode.is_commit() {
        return Ok(0);
    }
    Ok(repo.find_header(side.id).map_err(git_err)?.size())
}

fn part(
    repo: &gix::Repository,
    (old, new): (Option<&Side>, Option<&Side>),
    rewrite: Option<(u8, bool)>,
    limits: &DiffLimits,
    room: usize,
) -> Result<Part> {
    let mut facts = HeaderFacts {
        old,
        new,
        rewrite,
        binary: false,
        has_hunks: false,
    };
    let done = |facts: &HeaderFacts<'_>, counts, truncated| Part {
        header: header(facts),
        hunks: Vec::new(),
        binary: facts.binary,
        counts,
        truncated,
    };
    if matches!((old, new), (Some(o), Some(n)) if o.id == n.id) {
        return Ok(done(&facts, Some((0, 0)), false));
    }
    let mut too_big = room == 0;
    for s in [old, new].into_iter().flatten() {
        too_big |= blob_size(repo, s)? > limits.max_blob_bytes;
    }
    if too_big {
        return Ok(done(&facts, None, true));
    }
    let (a, b) = (content(repo, old)?, content(repo, new)?);
    if is_binary(&a) || is_binary(&b) {
        facts.binary = true;
        return Ok(done(&facts, None, false));
    }
    let diff = line_diff(&a, &b);
    let room = room.min(limits.max_file_bytes);
    let (total, mut used, mut hunks) = (diff.hunks.len(), 0, Vec::new());
    for hunk in diff.hunks {
        if used + hunk.text.len() > room {
            break;
        }
        used += hunk.text.len();
        hunks.push(hunk);
    }
    facts.has_hunks = !hunks.is_empty();
    Ok(Part {
        header: header(&facts),
        truncated: hunks.len() < total,
        hunks,
        binary: false,
        counts: Some((diff.additions, diff.deletions)),
    })
}

/// One file of the diff, its hunks within `budget` bytes (and the per-file limit).
pub(crate) fn file_diff(
    repo: &gix::Repository,
    pair: &Pair,
    limits: &DiffLimits,
    budget: usize,
) -> Result<FileDiff> {
    let status = status(pair);
    let (old, new) = (pair.old.as_ref(), pair.new.as_ref());
    let mut main = if status == FileStatus::TypeChanged {
        let gone = part(repo, (old, None), None, limits, budget)?;
        let room = budget.saturating_sub(gone.text_len());
        let mut added = part(repo, (None, new), None, limits, room)?;
        let mut header = gone.header;
        gone.hunks.iter().for_each(|h| header.push_str(&h.text));
        header.push_str(&added.header);
        added.header = header;
        added.binary |= gone.binary;
        added.truncated |= gone.truncated;
        added.counts = gone
            .counts
            .zip(added.counts)
            .map(|(g, a)| (g.0 + a.0, g.1 + a.1));
        added
    } else {
        part(repo, (old, new), pair.rewrite, limits, budget)?
    };
    let path = |s: Option<&Side>| s.map(|s| s.path.to_string());
    Ok(FileDiff {
        old_path: path(old),
        new_path: path(new),
        status,
        old_mode: old.map(|s| mode_string(s.mode)),
        new_mode: new.map(|s| mode_string(s.mode)),
        old_id: old.map(|s| s.id.to_string()),
        new_id: new.map(|s| s.id.to_string()),
        similarity: pair.rewrite.map(|(s, _)| s),
        binary: main.binary,
        additions: main.counts.map(|c| c.0),
        deletions: main.counts.map(|c| c.1),
        truncated: main.truncated,
        header: std::mem::take(&mut main.header),
        hunks: main.hunks,
    })
}
