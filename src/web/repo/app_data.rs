//! What the repository pages hold across requests, made once at start-up and shared by every
//! worker (`server::http_app` registers it): the highlighter with its kept files, the kept
//! READMEs and the kept commit pages.

use super::cache::Kept;
use super::commit::{Commits, MAX_COMMITS_KEPT};
use super::highlight::Highlighter;
use super::show::{Readmes, MAX_README_KEPT};
use actix_web::web;

/// The repository pages' shared state.
#[derive(Clone)]
pub struct PageData {
    highlighter: web::Data<Highlighter>,
    readmes: web::Data<Readmes>,
    commits: web::Data<Commits>,
}

impl Default for PageData {
    fn default() -> Self {
        Self::new()
    }
}

impl PageData {
    /// Loads the grammars; empty caches.
    pub fn new() -> PageData {
        PageData {
            highlighter: web::Data::new(Highlighter::new()),
            readmes: web::Data::new(Kept::new(MAX_README_KEPT)),
            commits: web::Data::new(Kept::new(MAX_COMMITS_KEPT)),
        }
    }

    /// Registers it as app data of a worker's app.
    pub fn register(&self, cfg: &mut web::ServiceConfig) {
        cfg.app_data(self.highlighter.clone())
            .app_data(self.readmes.clone())
            .app_data(self.commits.clone());
    }
}
