//! What the repository templates show, made from what `actors::browse` reads: path
//! breadcrumbs, directory rows with their links, commit rows, diff lines with their numbers and
//! classes, sizes and dates for people. No I/O here: plain functions, unit-tested.

use actors::browse::commit_view::CommitView;
use actors::browse::tree::{Entry, Kind};

/// One link of a path's breadcrumbs (`repo / src / web`).
#[derive(Debug, Clone, PartialEq)]
pub struct Crumb {
    pub name: String,
    pub href: String,
}

/// Percent-encodes what a path segment of a link may not hold as is.
pub fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The page of `path` at `rev` in the repository page `base` (`/repos/x`): `tree` or `blob`.
pub fn link(base: &str, view: &str, rev: &str, path: &str) -> String {
    if path.is_empty() {
        format!("{base}/{view}/{}", encode(rev))
    } else {
        format!("{base}/{view}/{}/{}", encode(rev), encode(path))
    }
}

/// The ref of a `{ref}/{path...}` spec whose path was read as `path` (the path is what is left
/// once the ref is split off, without its slashes at either end).
pub fn rev_of(spec: &str, path: &str) -> String {
    let spec = spec.trim_end_matches('/');
    let rev = spec.strip_suffix(path).unwrap_or(spec);
    rev.trim_end_matches('/').to_string()
}

/// The breadcrumbs of `path`: the root, then each directory (all trees, the last one too).
pub fn crumbs(base: &str, rev: &str, path: &str) -> Vec<Crumb> {
    let mut out = vec![Crumb {
        name: "(root)".into(),
        href: link(base, "tree", rev, ""),
    }];
    let mut sofar = String::new();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        if !sofar.is_empty() {
            sofar.push('/');
        }
        sofar.push_str(part);
        out.push(Crumb {
            name: part.to_string(),
            href: link(base, "tree", rev, &sofar),
        });
    }
    out
}

/// A size as people read it (`812 B`, `4.2 KiB`, `1.5 MiB`).
pub fn human_size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KIB {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{:.1} MiB", b / (KIB * KIB))
    }
}

/// One row of a directory listing.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryRow {
    pub name: String,
    pub href: Option<String>,
    /// `tree`, `blob`, `symlink` or `submodule` (also the row's class).
    pub kind: &'static str,
    pub size: String,
}

/// The rows of a listing: directories link to their tree, files and symlinks to their blob,
/// submodules to nothing (they are another repository).
pub fn entry_rows(base: &str, rev: &str, entries: &[Entry]) -> Vec<EntryRow> {
    entries
        .iter()
        .map(|e| EntryRow {
            name: e.name.clone(),
            href: match e.kind {
                Kind::Tree => Some(link(base, "tree", rev, &e.path)),
                Kind::Blob | Kind::Symlink => Some(link(base, "blob", rev, &e.path)),
                Kind::Submodule => None,
            },
            kind: e.kind.name(),
            size: e.size.map(human_size).unwrap_or_default(),
        })
        .collect()
}

/// The date part of an RFC 3339 time (`2026-12-02`).
pub fn day(time: &str) -> &str {
    time.get(..10).unwrap_or(time)
}

/// One commit of a log page.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitRow {
    pub hash: String,
    pub short: String,
    pub summary: String,
    pub author: String,
    pub day: String,
    pub href: String,
}

/// The rows of a log page.
pub fn commit_rows(base: &str, commits: &[CommitView]) -> Vec<CommitRow> {
    commits
        .iter()
        .map(|c| CommitRow {
            hash: c.hash.clone(),
            short: c.hash.chars().take(10).collect(),
            summary: c.summary.clone(),
            author: c.author.name.clone(),
            day: day(&c.author.time).to_string(),
            href: format!("{base}/commits/{}", c.hash),
        })
        .collect()
}

#[cfg(test)]
#[path = "views_tests.rs"]
mod tests;
