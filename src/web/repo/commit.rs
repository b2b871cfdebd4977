//! The commit page, the HTML face of `/repos/{id}/commits/{hash}` (`http::commits` calls
//! [`show`] when the request wants HTML): the message, author and committer, parents, and the
//! commit's own diff against its first parent (`actors::browse::commit_diff`, within the
//! default diff limits), file by file with numbered, classed lines. A commit never changes: its
//! view and diff are kept by repository and hash ([`Commits`]), once the commit is found in the
//! repository.

use super::access::{open, Header};
use super::cache::{Kept, Weight};
use super::diff_view::{diff_view, DiffView};
use super::views::day;
use crate::error::{Error, Result};
use crate::http::repo_access::read_repo;
use crate::http::state::AppState;
use crate::web::page::{chrome, render, Chrome};
use actix_web::{HttpRequest, HttpResponse};
use actors::browse::commit_diff::first_parent_diff;
use actors::browse::commit_view::{view, CommitView};
use actors::browse::diff::DiffLimits;
use actors::browse::revision;
use askama::Template;

#[derive(Template)]
#[template(path = "repo/commit.html")]
struct CommitPage<'a> {
    chrome: Chrome,
    header: Header,
    tab: &'static str,
    commit: &'a CommitView,
    day: String,
    parents: Vec<(String, String)>,
    patch: String,
    tree: String,
    diff: &'a DiffView,
}

/// Commit pages' contents made so far (registered as app data at start-up).
pub type Commits = Kept<(CommitView, DiffView)>;

/// Bytes of commit pages' contents kept.
pub const MAX_COMMITS_KEPT: usize = 32 * 1024 * 1024;

impl Weight for (CommitView, DiffView) {
    fn weight(&self) -> usize {
        let lines = self.1.files.iter().flat_map(|f| &f.lines);
        let text: usize = lines.map(|l| l.text.len() + 16).sum();
        text + self.0.description.as_ref().map_or(0, String::len) + 512
    }
}

fn is_full_hash(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The page of commit `hash` of the repository `id`.
pub async fn show(
    state: &AppState,
    req: &HttpRequest,
    id: &str,
    hash: &str,
) -> Result<HttpResponse> {
    let opened = open(state, req, id).await?;
    if !is_full_hash(hash) {
        return Err(Error::NotFound(format!("no commit {hash:?} in {id}")));
    }
    let kept = req.app_data::<actix_web::web::Data<Commits>>().cloned();
    let (dir, r, urls, wanted) = (
        opened.readable.dir.clone(),
        opened.readable.r.clone(),
        state.urls.clone(),
        hash.to_string(),
    );
    let shown = read_repo(state, dir, move |repo| {
        let id = revision::resolve_commit(repo, &wanted)?;
        let key = format!("{} {wanted}", r.id);
        if let Some(shown) = kept.as_ref().and_then(|k| k.get(&key)) {
            return Ok(shown);
        }
        let commit = repo
            .find_commit(id)
            .map_err(|e| actors::ActorError::NotFound(format!("commit {wanted}: {e}")))?;
        let made = (
            view(&urls, &r, &commit)?,
            diff_view(&first_parent_diff(repo, id, &DiffLimits::default())?),
        );
        Ok(match &kept {
            Some(k) => k.put(key, made),
            None => std::sync::Arc::new(made),
        })
    })
    .await?;
    let (commit, diff) = (&shown.0, &shown.1);
    let header = opened.header;
    let parents = (commit.parents.iter())
        .map(|p| {
            (
                p.chars().take(10).collect(),
                format!("{}/commits/{p}", header.base),
            )
        })
        .collect();
    render(&CommitPage {
        chrome: chrome(state, req)?,
        tab: "log",
        day: day(&commit.author.time).to_string(),
        parents,
        patch: format!("{}/commits/{}.patch", header.base, commit.hash),
        tree: super::views::link(&header.base, "tree", &commit.hash, ""),
        diff,
        commit,
        header,
    })
}
