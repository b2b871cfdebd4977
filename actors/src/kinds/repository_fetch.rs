//! The Repository's side of the git jobs (`flows::git_jobs`): `ReadableDir`, its bare git
//! directory for a reader who may read it (a source of a fork or a merge request), and `Fetch`,
//! `git fetch` into it (a fork's copy, a merge request's revision). A fetch holds the mailbox
//! (`AtomicResponse`), so it never interleaves with a push; it publishes nothing. A fork keeps
//! the outcome of its copy (`copy` in its record's `extra`, shown as `originCopy`).

use crate::actor::git_jobs::{GitJobDone, GitOutcome};
use crate::base::error::{ActorError, Result};
use crate::git_fetch::{self, Remote};
use crate::kinds::repository::Repository;
use crate::publish::audience::Reader;
use actix::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;
use url::Url;

/// The record field (and document property, Orchard context) of a fork's copy: `"copied"`,
/// or `"failed: <reason>"`; absent while the copy runs and on a repository that is no fork.
pub const COPY: &str = "originCopy";

/// The tag of a fork's copy job (`GitJob::tag`; the rest is the Create's id).
pub const COPY_TAG: &str = "fork-copy ";

/// Where a fetch reads from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchFrom {
    /// Another bare repository of this instance (from `ReadableDir`).
    Dir(PathBuf),
    /// A remote repository's `cloneUri` (smart HTTP).
    Url(Url),
}

/// `git fetch --no-tags <source> <refspecs>` into this repository; answers the refs written
/// (ref -> commit).
#[derive(Debug, Message)]
#[rtype(result = "Result<BTreeMap<String, String>>")]
pub struct Fetch {
    pub source: FetchFrom,
    pub refspecs: Vec<String>,
}

/// This repository's git directory, if `reader` may read it; NotFound otherwise (as a clone
/// by that reader would be).
#[derive(Debug, Message)]
#[rtype(result = "Result<PathBuf>")]
pub struct ReadableDir {
    pub reader: Url,
}

impl Handler<ReadableDir> for Repository {
    type Result = Result<PathBuf>;

    fn handle(&mut self, msg: ReadableDir, _: &mut Self::Context) -> Self::Result {
        let reader = Reader::Actor(msg.reader);
        if !crate::kinds::repository_visibility::may_read(&self.core, &reader) {
            return Err(ActorError::NotFound(format!(
                "repository {}",
                self.core.r.id
            )));
        }
        Ok(self.git_dir())
    }
}

impl Handler<Fetch> for Repository {
    type Result = AtomicResponse<Self, Result<BTreeMap<String, String>>>;

    fn handle(&mut self, msg: Fetch, _: &mut Self::Context) -> Self::Result {
        let dir = self.git_dir();
        let timeout = self.core.env.push_timeout;
        let r = self.core.r.clone();
        let work = async move {
            let remote = match &msg.source {
                FetchFrom::Dir(d) => Remote::Dir(d),
                FetchFrom::Url(u) => Remote::Url(u),
            };
            let fetched = git_fetch::fetch(&dir, &remote, &msg.refspecs, timeout).await;
            match &fetched {
                Ok(refs) => tracing::info!(repo = %r, refs = refs.len(), "fetched"),
                Err(e) => tracing::warn!(repo = %r, error = %e, "fetch failed"),
            }
            fetched
        };
        AtomicResponse::new(Box::pin(work.into_actor(self)))
    }
}

impl Repository {
    /// The answer to this fork's copy: kept in the record (`COPY`).
    pub(crate) fn copy_done(&mut self, done: GitJobDone) -> Result<()> {
        if !done.tag.starts_with(COPY_TAG) {
            tracing::debug!(repo = %self.core.r, tag = %done.tag, "git job answer ignored");
            return Ok(());
        }
        let state = match &done.outcome {
            GitOutcome::Fetched { refs } => {
                tracing::info!(repo = %self.core.r, refs = refs.len(), "fork copied");
                "copied".to_string()
            }
            GitOutcome::Refused(why) => format!("failed: {why}"),
            other => format!("failed: unexpected answer {other:?}"),
        };
        self.core
            .record
            .extra
            .insert(COPY.into(), serde_json::Value::from(state));
        self.core.save_record()
    }

    /// Adds `origin` and `originCopy` to the document of a fork.
    pub(crate) fn describe_origin(&self, doc: &mut schema::Actor) {
        for field in [crate::kinds::creation::ORIGIN, COPY] {
            if let Some(v) = self.core.record.extra.get(field) {
                doc.extra.insert(field.into(), v.clone());
            }
        }
    }
}
