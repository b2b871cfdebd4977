//! Files: a blob's metadata and, when it is text (valid UTF-8 with no NUL in its first 8000
//! bytes, git's own test for binary), its content inlined up to `TEXT_LIMIT`; and a blob's raw
//! bytes with the Content-Type it may be served with (`content_type`).

use super::content_type::content_type;
use super::tree::{find, mode_string, Kind};
use crate::base::error::{ActorError, Result};
use crate::git::git_err;
use gix::ObjectId;
use serde::Serialize;

/// Largest blob whose text the blob route inlines (1 MiB); larger ones are only described.
pub const TEXT_LIMIT: u64 = 1024 * 1024;

/// How many leading bytes are searched for NUL (as git does).
const SNIFF: usize = 8000;

/// What `GET /api/v1/repos/{id}/blob/{ref}/{path}` answers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BlobView {
    pub commit: String,
    pub path: String,
    pub kind: Kind,
    pub mode: String,
    pub size: u64,
    pub id: String,
    /// `None` when the blob is over `TEXT_LIMIT` and was not read.
    pub binary: Option<bool>,
    /// The content, when it is text and not over the limit.
    pub text: Option<String>,
    /// True when the blob is over `TEXT_LIMIT` (its content is then neither read nor inlined;
    /// the raw route serves it).
    pub too_large: bool,
}

/// A blob's bytes and the Content-Type to serve them with.
pub struct Raw {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

/// True when `bytes` are not text: a NUL in the first 8000 bytes, or not valid UTF-8.
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(SNIFF).any(|b| *b == 0) || std::str::from_utf8(bytes).is_err()
}

fn file_at(
    repo: &gix::Repository,
    commit: ObjectId,
    parts: &[&str],
    rev: &str,
) -> Result<(super::tree::Found, Kind)> {
    let found = find(repo, commit, parts, rev)?;
    let kind = Kind::of(found.mode);
    if matches!(kind, Kind::Tree | Kind::Submodule) {
        return Err(ActorError::NotFound(format!(
            "file {:?} at {rev} (it is a {}; list it with /tree/)",
            parts.join("/"),
            kind.name()
        )));
    }
    Ok((found, kind))
}

/// The blob `parts` names in `commit` (a symlink is shown as the blob of its target path).
pub fn view(
    repo: &gix::Repository,
    commit: ObjectId,
    parts: &[&str],
    rev: &str,
) -> Result<BlobView> {
    let (found, kind) = file_at(repo, commit, parts, rev)?;
    let size = repo.find_header(found.id).map_err(git_err)?.size();
    let (binary, text) = if size > TEXT_LIMIT {
        (None, None)
    } else {
        let blob = repo.find_blob(found.id).map_err(git_err)?;
        let binary = is_binary(&blob.data);
        let text = (!binary).then(|| String::from_utf8_lossy(&blob.data).into_owned());
        (Some(binary), text)
    };
    Ok(BlobView {
        commit: commit.to_hex().to_string(),
        path: parts.join("/"),
        kind,
        mode: mode_string(found.mode),
        size,
        id: found.id.to_hex().to_string(),
        binary,
        text,
        too_large: size > TEXT_LIMIT,
    })
}

/// The bytes of the blob `parts` names in `commit`, and their Content-Type.
pub fn raw(repo: &gix::Repository, commit: ObjectId, parts: &[&str], rev: &str) -> Result<Raw> {
    let (found, _) = file_at(repo, commit, parts, rev)?;
    let bytes = repo.find_blob(found.id).map_err(git_err)?.detach().data;
    let name = parts.last().copied().unwrap_or_default();
    let content_type = content_type(name, is_binary(&bytes));
    Ok(Raw {
        bytes,
        content_type,
    })
}
