//! The README at the root of a revision, as sanitized HTML: Markdown rendered by pulldown-cmark
//! (CommonMark with tables, strikethrough and footnotes), then cleaned by ammonia (its default
//! safe list: no raw `<script>`, `<iframe>`, `<style>`, event handlers, `style` attributes or
//! `javascript:` URLs; links get `rel="noopener noreferrer"`). Any other README is escaped and
//! wrapped in `<pre>`.

use super::revision::{check_ref, resolve_commit};
use crate::base::error::{ActorError, Result};
use crate::git::git_err;
use serde::Serialize;

/// README names in the order they are preferred, compared without case; among names equal
/// but for case, the first in tree order (upper case sorts first) wins.
pub const NAMES: [&str; 9] = [
    "readme.md",
    "readme.markdown",
    "readme.mdown",
    "readme.mkd",
    "readme",
    "readme.txt",
    "readme.rst",
    "readme.adoc",
    "readme.org",
];

/// The first `MAX_README` bytes of a longer README are shown (`truncated`).
pub const MAX_README: usize = 1024 * 1024;

/// A rendered README.
#[derive(Debug, Clone, Serialize)]
pub struct Readme {
    pub path: String,
    /// The revision as named, or the default branch when none was.
    #[serde(rename = "ref")]
    pub rev: String,
    pub commit: String,
    pub html: String,
    pub truncated: bool,
}

/// The README of `rev` (the default branch when None) in `repo`.
pub fn readme(repo: &gix::Repository, rev: Option<&str>) -> Result<Readme> {
    let rev = match rev {
        Some(r) => {
            check_ref(r)?;
            r.to_string()
        }
        None => default_branch(repo)?,
    };
    let commit = resolve_commit(repo, &rev)?;
    let tree = repo
        .find_commit(commit)
        .map_err(git_err)?
        .tree()
        .map_err(git_err)?;
    let mut best: Option<(usize, String, gix::ObjectId)> = None;
    for entry in tree.iter() {
        let entry = entry.map_err(git_err)?;
        if !entry.mode().is_blob() {
            continue;
        }
        let name = entry.filename().to_string();
        let Some(rank) = NAMES.iter().position(|n| n.eq_ignore_ascii_case(&name)) else {
            continue;
        };
        if best.as_ref().is_none_or(|(r, _, _)| rank < *r) {
            best = Some((rank, name, entry.object_id()));
        }
    }
    let (rank, path, id) =
        best.ok_or_else(|| ActorError::NotFound(format!("a README at the root of {rev}")))?;
    let data = repo.find_blob(id).map_err(git_err)?.take_data();
    let truncated = data.len() > MAX_README;
    let text = String::from_utf8_lossy(&data[..data.len().min(MAX_README)]).into_owned();
    let html = if rank < 4 {
        markdown(&text)
    } else {
        preformatted(&text)
    };
    Ok(Readme {
        path,
        rev,
        commit: commit.to_string(),
        html,
        truncated,
    })
}

fn default_branch(repo: &gix::Repository) -> Result<String> {
    let head = repo.head_name().map_err(git_err)?;
    let name = head.ok_or_else(|| ActorError::NotFound("a default branch".into()))?;
    Ok(name.shorten().to_string())
}

/// Markdown to HTML, sanitized.
pub fn markdown(text: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut raw = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(text, options));
    ammonia::clean(&raw)
}

/// HTML from elsewhere (a ticket's or a comment's `content`), sanitized the same way.
pub fn clean_html(html: &str) -> String {
    ammonia::clean(html)
}

/// Plain text, escaped, in `<pre>`.
pub fn preformatted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 11);
    out.push_str("<pre>");
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out.push_str("</pre>");
    out
}

#[cfg(test)]
#[path = "readme_tests.rs"]
mod tests;
