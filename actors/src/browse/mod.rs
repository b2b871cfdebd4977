//! Reading code: what the repository browsing API and the ForgeFed Commit/Branch objects show of
//! a bare repository, read with gix on the calling (blocking) thread, never by a `git` process.
//! `revision` checks and resolves what a client names (refs, commits, paths); `refs`, `log`
//! (with `commit_view`), `tree` and `blob` (with `content_type`) read what the browsing API
//! shows; `diff` (with `diff_file`, `diff_header`, `hunks`, `renames`) diffs trees as git does;
//! `commit_diff` is a commit's own change; `compare`, `patch` and `readme` answer the compare,
//! `.patch` and README routes; `pool` keeps open handles between reads.

pub mod binary_patch;
pub mod blob;
pub mod commit_diff;
pub mod commit_view;
pub mod compare;
pub mod content_type;
pub mod diff;
pub mod diff_file;
pub mod diff_header;
pub mod hunks;
pub mod log;
pub mod patch;
pub mod pool;
pub mod readme;
pub mod refs;
pub mod renames;
pub mod revision;
pub mod tree;

#[cfg(test)]
pub mod test_repo;
