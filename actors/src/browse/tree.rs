//! Trees: the entry a path names inside a commit's tree (walked one component at a time, so a
//! path through a file or a submodule is simply absent) and the listing of one directory, in
//! git's own order (the order `git ls-tree` prints; directories are not moved first).

use crate::base::error::{ActorError, Result};
use crate::git::git_err;
use gix::objs::tree::EntryKind;
use gix::ObjectId;
use serde::Serialize;

/// The entry a path names: its mode and object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub mode: gix::objs::tree::EntryMode,
    pub id: ObjectId,
}

/// What an entry is.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Tree,
    Blob,
    Symlink,
    Submodule,
}

impl Kind {
    pub fn of(mode: gix::objs::tree::EntryMode) -> Kind {
        match mode.kind() {
            EntryKind::Tree => Kind::Tree,
            EntryKind::Blob | EntryKind::BlobExecutable => Kind::Blob,
            EntryKind::Link => Kind::Symlink,
            EntryKind::Commit => Kind::Submodule,
        }
    }

    /// The word the API uses (`tree`, `blob`, `symlink`, `submodule`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Tree => "tree",
            Kind::Blob => "blob",
            Kind::Symlink => "symlink",
            Kind::Submodule => "submodule",
        }
    }
}

/// One entry of a directory listing.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub name: String,
    /// The full path from the root of the tree.
    pub path: String,
    pub kind: Kind,
    /// Git's octal mode (`100644`, `100755`, `120000`, `040000`, `160000`).
    pub mode: String,
    /// Bytes, for blobs and symlinks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    pub id: String,
}

/// What `GET /api/v1/repos/{id}/tree/{ref}/{path}` answers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Listing {
    pub commit: String,
    pub path: String,
    pub id: String,
    pub entries: Vec<Entry>,
}

/// The mode string git prints for `mode`.
pub fn mode_string(mode: gix::objs::tree::EntryMode) -> String {
    format!("{:06o}", mode.value())
}

/// The tree of commit `commit`.
pub fn commit_tree(repo: &gix::Repository, commit: ObjectId) -> Result<ObjectId> {
    let commit = repo.find_commit(commit).map_err(git_err)?;
    Ok(commit.tree_id().map_err(git_err)?.detach())
}

/// The entry `parts` names under `tree`; the root itself for no parts. `None` when any
/// component is missing or a component before the last is not a directory.
pub fn entry_at(repo: &gix::Repository, tree: ObjectId, parts: &[&str]) -> Result<Option<Found>> {
    let mut found = Found {
        mode: EntryKind::Tree.into(),
        id: tree,
    };
    for part in parts {
        if !found.mode.is_tree() {
            return Ok(None);
        }
        let tree = repo.find_tree(found.id).map_err(git_err)?;
        let Some(entry) = tree.find_entry(*part) else {
            return Ok(None);
        };
        found = Found {
            mode: entry.mode(),
            id: entry.object_id(),
        };
    }
    Ok(Some(found))
}

/// The entry `parts` names in `commit`, 404 naming the path and the ref when there is none.
pub fn find(repo: &gix::Repository, commit: ObjectId, parts: &[&str], rev: &str) -> Result<Found> {
    let tree = commit_tree(repo, commit)?;
    entry_at(repo, tree, parts)?
        .ok_or_else(|| ActorError::NotFound(format!("path {:?} at {rev}", parts.join("/"))))
}

/// The directory `parts` names in `commit`; 404 when it is missing or is not a directory.
pub fn list(
    repo: &gix::Repository,
    commit: ObjectId,
    parts: &[&str],
    rev: &str,
) -> Result<Listing> {
    let found = find(repo, commit, parts, rev)?;
    let path = parts.join("/");
    if !found.mode.is_tree() {
        return Err(ActorError::NotFound(format!(
            "directory {path:?} at {rev} (it is a {}; read it with /blob/)",
            Kind::of(found.mode).name()
        )));
    }
    let tree = repo.find_tree(found.id).map_err(git_err)?;
    let mut entries = Vec::new();
    for entry in tree.iter() {
        let entry = entry.map_err(git_err)?;
        let name = entry.filename().to_string();
        let kind = Kind::of(entry.mode());
        let size = match kind {
            Kind::Blob | Kind::Symlink => {
                Some(repo.find_header(entry.object_id()).map_err(git_err)?.size())
            }
            Kind::Tree | Kind::Submodule => None,
        };
        let full = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}/{name}")
        };
        entries.push(Entry {
            name,
            path: full,
            kind,
            mode: mode_string(entry.mode()),
            size,
            id: entry.object_id().to_hex().to_string(),
        });
    }
    Ok(Listing {
        commit: commit.to_hex().to_string(),
        path,
        id: found.id.to_hex().to_string(),
        entries,
    })
}
