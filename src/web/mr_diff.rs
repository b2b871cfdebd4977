//! The changes of one version of a merge request as its page shows them: the comparison
//! `<target branch>...refs/merge-requests/{n}/v{v}` in the local target repository (through
//! `http::compare::kept_comparison`), its diff cut into rows as the commit page's
//! (`repo::diff_view`), each row of a changed or context line keyed by its side and number
//! (`n12`: line 12 of the new side, `o5`: line 5 of the old), with the review threads quoting
//! it and, on the latest version, whether the line-comment form opens under it.

use super::mr_reviews::ThreadView;
use super::repo::diff_view::{diff_view, DiffLine, FileView};
use crate::error::{Error, Result};
use crate::http::compare::kept_comparison;
use crate::http::repo_access::read_repo;
use crate::http::state::AppState;
use actix_web::HttpRequest;
use actors::browse::compare::Comparison;
use actors::browse::diff::TreeDiff;
use actors::ActorRef;
use serde_json::Value;

/// One row of a file's diff.
pub struct Row {
    pub line: DiffLine,
    /// `n12`, `o5`, or "" for a hunk header or a note.
    pub key: String,
    /// The quoted side and line a comment on this row gives (`diffSideNew`, 12).
    pub side: &'static str,
    pub number: u32,
    pub threads: Vec<ThreadView>,
    /// Whether the line-comment form is open under this row.
    pub form: bool,
}

/// One file of the diff: the commit page's view of it, its path, its rows.
pub struct MrFile {
    pub view: FileView,
    /// The path a CodeQuote names (the new one; the old one for a deleted file).
    pub path: String,
    /// Its number (from 1), for the `?line=` of its rows.
    pub index: usize,
    pub rows: Vec<Row>,
}

/// The rows of every file, the threads that quote no row shown.
pub struct MrDiff {
    pub files: Vec<MrFile>,
    pub files_total: usize,
    pub truncated: bool,
    pub additions: u32,
    pub deletions: u32,
    pub elsewhere: Vec<ThreadView>,
}

/// The comparison of version `v` of merge request `n` (the document `doc`) in its local target
/// repository, and that repository.
pub async fn comparison(
    state: &AppState,
    req: &HttpRequest,
    doc: &Value,
    n: u64,
    v: u64,
) -> Result<(ActorRef, Comparison)> {
    let target = &doc["attachment"]["target"];
    let repo = target["context"]
        .as_str()
        .or(target.as_str())
        .unwrap_or_default();
    let r = (url::Url::parse(repo).ok())
        .and_then(|u| state.urls.parse_actor(&u))
        .ok_or_else(|| Error::NotFound("the target repository is not here".into()))?;
    let opened = super::repo::access::open_ref(state, req, r.clone()).await?;
    let base = target["name"].as_str().unwrap_or("HEAD").to_string();
    let head = format!("refs/merge-requests/{n}/v{v}");
    let answers = state.repos.answers();
    let dir = opened.readable.dir.clone();
    let place = dir.display().to_string();
    let c = read_repo(state, dir, move |repo| {
        kept_comparison(repo, &answers, &place, (&base, &head))
    })
    .await?;
    Ok((r, c))
}

/// A row of `line`, with the threads of `file` quoting it taken out of `threads`.
fn row(line: DiffLine, threads: &mut Vec<ThreadView>, file: &str, open: &str) -> Row {
    let (key, side, number) = match (line.class, line.old, line.new) {
        ("del", Some(o), _) => (format!("o{o}"), "diffSideOld", o),
        ("add" | "ctx", _, Some(n)) => (format!("n{n}"), "diffSideNew", n),
        _ => (String::new(), "", 0),
    };
    let mut mine = Vec::new();
    if !key.is_empty() {
        let (here, rest) = std::mem::take(threads)
            .into_iter()
            .partition(|t| t.file == file && t.key == key);
        (mine, *threads) = (here, rest);
    }
    Row {
        form: !key.is_empty() && key == open,
        line,
        key,
        side,
        number,
        threads: mine,
    }
}

/// The diff of `diff` with `threads` beside their rows; `open` is the `?line=` asked
/// (`{file index}:{key}`), "" for none.
pub fn build(diff: &TreeDiff, mut threads: Vec<ThreadView>, open: &str) -> MrDiff {
    let view = diff_view(diff);
    let mut files = Vec::new();
    for (i, (mut f, d)) in view.files.into_iter().zip(&diff.files).enumerate() {
        let path = d
            .new_path
            .clone()
            .or(d.old_path.clone())
            .unwrap_or_default();
        let prefix = format!("{}:", i + 1);
        let open_key = open.strip_prefix(&prefix).unwrap_or_default();
        let rows = std::mem::take(&mut f.lines)
            .into_iter()
            .map(|l| row(l, &mut threads, &path, open_key))
            .collect();
        files.push(MrFile {
            view: f,
            path,
            index: i + 1,
            rows,
        });
    }
    MrDiff {
        files,
        files_total: view.files_total,
        truncated: view.truncated,
        additions: view.additions,
        deletions: view.deletions,
        elsewhere: threads,
    }
}

/// An empty diff holding only `threads` (a version whose changes cannot be shown).
pub fn none(threads: Vec<ThreadView>) -> MrDiff {
    MrDiff {
        files: Vec::new(),
        files_total: 0,
        truncated: false,
        additions: 0,
        deletions: 0,
        elsewhere: threads,
    }
}

#[cfg(test)]
#[path = "mr_diff_tests.rs"]
mod tests;
