//! The repository page, the HTML face of `/repos/{id}`: its header, the clone URLs (HTTP and
//! SSH) with the exact `git clone` commands, star and follow buttons with their counts, the
//! branches, the root of the default branch and its README (rendered and sanitized by
//! `actors::browse::readme`, kept by commit in [`Readmes`]). An empty repository shows how to
//! push to it.

use super::access::{open_ref, Header};
use super::cache::{Kept, Weight};
use super::views::{entry_rows, link, EntryRow};
use crate::error::Result;
use crate::http::repo_access::read_repo;
use crate::http::state::AppState;
use crate::web::page::{chrome, render, Chrome};
use actix_web::{HttpRequest, HttpResponse};
use actors::browse::{readme, refs, revision, tree};
use actors::messages::GetCollection;
use actors::ActorRef;
use askama::Template;

#[derive(Template)]
#[template(path = "repo/show.html")]
struct RepoPage {
    chrome: Chrome,
    header: Header,
    tab: &'static str,
    clone_http: String,
    clone_ssh: Option<String>,
    stars: u64,
    followers: u64,
    branches: Vec<(String, String)>,
    tags: usize,
    /// The ref the root listing is of (the default branch).
    rev: String,
    entries: Vec<EntryRow>,
    empty: bool,
    readme: Option<readme::Readme>,
}

/// READMEs rendered so far, by commit (registered as app data at start-up).
pub type Readmes = Kept<Option<readme::Readme>>;

/// Bytes of rendered READMEs kept.
pub const MAX_README_KEPT: usize = 16 * 1024 * 1024;

impl Weight for Option<readme::Readme> {
    fn weight(&self) -> usize {
        self.as_ref()
            .map_or(0, |r| r.html.len() + r.path.len() + r.rev.len())
            + 64
    }
}

/// What the page reads from git, in one blocking read.
struct Code {
    refs: refs::RefList,
    listing: Option<tree::Listing>,
    readme: Option<std::sync::Arc<Option<readme::Readme>>>,
}

fn read_code(repo: &gix::Repository, kept: Option<&Readmes>) -> actors::error::Result<Code> {
    let refs = refs::list(repo)?;
    let Some(head) = refs.head.as_deref() else {
        return Ok(Code {
            refs,
            listing: None,
            readme: None,
        });
    };
    let commit = revision::resolve_commit(repo, head)?;
    let listing = tree::list(repo, commit, &[], "HEAD")?;
    let key = commit.to_string();
    let readme = match kept.and_then(|k| k.get(&key)) {
        Some(r) => r,
        None => {
            let r = match readme::readme(repo, None) {
                Ok(r) => Some(r),
                Err(actors::ActorError::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
            match kept {
                Some(k) => k.put(key, r),
                None => std::sync::Arc::new(r),
            }
        }
    };
    let readme = Some(readme);
    Ok(Code {
        refs,
        listing: Some(listing),
        readme,
    })
}

/// The size of the collection `name` of `r`.
pub async fn count(state: &AppState, r: &ActorRef, name: &str) -> Result<u64> {
    let msg = GetCollection {
        name: name.into(),
        page: None,
        reader: actors::audience::Reader::Anonymous,
    };
    let doc = state.registry.send(r, msg).await?;
    Ok(doc["totalItems"].as_u64().unwrap_or(0))
}

/// The page of the stored local repository `r`.
pub async fn show(state: &AppState, req: &HttpRequest, r: &ActorRef) -> Result<HttpResponse> {
    let opened = open_ref(state, req, r.clone()).await?;
    let dir = opened.readable.dir.clone();
    let kept = req.app_data::<actix_web::web::Data<Readmes>>().cloned();
    let code = read_repo(state, dir, move |repo| {
        read_code(repo, kept.as_ref().map(|k| k.get_ref()))
    })
    .await?;
    let header = opened.header;
    let rev = (code.refs.default_branch.clone()).unwrap_or_else(|| "HEAD".into());
    let entries = (code.listing.as_ref())
        .map(|l| entry_rows(&header.base, &rev, &l.entries))
        .unwrap_or_default();
    let extra = |k: &str| opened.doc.extra.get(k).and_then(|v| v.as_str());
    let clone_http = extra("cloneUri")
        .map(str::to_string)
        .unwrap_or_else(|| state.urls.actor(r).to_string());
    let branches = (code.refs.branches.iter())
        .map(|b| (b.name.clone(), link(&header.base, "tree", &b.name, "")))
        .collect();
    render(&RepoPage {
        chrome: chrome(state, req)?,
        tab: "code",
        clone_http,
        clone_ssh: extra("pushUri").map(str::to_string),
        stars: count(state, r, "likes").await?,
        followers: count(state, r, "followers").await?,
        branches,
        tags: code.refs.tags.len(),
        empty: code.listing.is_none(),
        rev,
        entries,
        readme: code.readme.and_then(|r| (*r).clone()),
        header,
    })
}
