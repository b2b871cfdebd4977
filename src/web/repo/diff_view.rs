//! A diff as the commit page shows it: per file its paths, status and counts, and its hunks cut
//! into lines, each with its old and new line numbers and a class (`add`, `del`, `ctx`,
//! `hunk`, `note`) that static/repo.css colours. Made from `actors::browse::diff`.

use actors::browse::diff::{FileDiff, FileStatus, TreeDiff};

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffLine {
    pub class: &'static str,
    pub old: Option<u32>,
    pub new: Option<u32>,
    pub text: String,
}

/// One file of a diff.
#[derive(Debug, Clone, PartialEq)]
pub struct FileView {
    /// The path shown (`old → new` for renames and copies).
    pub title: String,
    /// An anchor for the file (`file-3`).
    pub anchor: String,
    pub status: &'static str,
    pub additions: u32,
    pub deletions: u32,
    pub binary: bool,
    pub truncated: bool,
    pub lines: Vec<DiffLine>,
}

/// The files of a diff and whether it was cut.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiffView {
    pub files: Vec<FileView>,
    pub files_total: usize,
    pub truncated: bool,
    pub additions: u32,
    pub deletions: u32,
}

fn status_word(s: FileStatus) -> &'static str {
    match s {
        FileStatus::Added => "added",
        FileStatus::Deleted => "deleted",
        FileStatus::Modified => "modified",
        FileStatus::Renamed => "renamed",
        FileStatus::Copied => "copied",
        FileStatus::TypeChanged => "type changed",
    }
}

fn title(f: &FileDiff) -> String {
    match (&f.old_path, &f.new_path) {
        (Some(old), Some(new)) if old != new => format!("{old} → {new}"),
        (_, Some(p)) | (Some(p), None) => p.clone(),
        (None, None) => String::new(),
    }
}

/// The lines of one hunk's text (its `@@` header first), numbered from its starts.
pub fn hunk_lines(text: &str, old_start: u32, new_start: u32) -> Vec<DiffLine> {
    let (mut old, mut new) = (old_start, new_start);
    let mut out = Vec::new();
    for line in text.lines() {
        let (class, o, n) = match line.as_bytes().first() {
            Some(b'@') => ("hunk", None, None),
            Some(b'+') => {
                new += 1;
                ("add", None, Some(new - 1))
            }
            Some(b'-') => {
                old += 1;
                ("del", Some(old - 1), None)
            }
            Some(b'\\') => ("note", None, None),
            _ => {
                (old, new) = (old + 1, new + 1);
                ("ctx", Some(old - 1), Some(new - 1))
            }
        };
        out.push(DiffLine {
            class,
            old: o,
            new: n,
            text: line.to_string(),
        });
    }
    out
}

/// The view of `diff`.
pub fn diff_view(diff: &TreeDiff) -> DiffView {
    let files: Vec<FileView> = (diff.files.iter().enumerate())
        .map(|(i, f)| FileView {
            title: title(f),
            anchor: format!("file-{}", i + 1),
            status: status_word(f.status),
            additions: f.additions.unwrap_or(0),
            deletions: f.deletions.unwrap_or(0),
            binary: f.binary,
            truncated: f.truncated,
            lines: (f.hunks.iter())
                .flat_map(|h| hunk_lines(&h.text, h.old_start, h.new_start))
                .collect(),
        })
        .collect();
    DiffView {
        additions: files.iter().map(|f| f.additions).sum(),
        deletions: files.iter().map(|f| f.deletions).sum(),
        files,
        files_total: diff.files_total,
        truncated: diff.truncated,
    }
}

#[cfg(test)]
#[path = "diff_view_tests.rs"]
mod tests;
