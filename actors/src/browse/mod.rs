//! Reading code: what the repository browsing API and the ForgeFed Commit/Branch objects show of
//! a bare repository, read with gix on the calling (blocking) thread, never by a `git` process.
//! `revision` checks and resolves what a client names (refs, commits, paths).

pub mod revision;
pub mod hunks;
pub mod diff_header;
pub mod diff_file;
pub mod diff;
pub mod compare;
pub mod patch;

#[cfg(test)]
pub mod test_repo;
