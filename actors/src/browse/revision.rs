//! What a client names in a repository, checked before anything is read: a ref or commit
//! (`main`, `feature/x`, `v1.0`, `refs/heads/main`, a full hex hash, `HEAD`) and a path inside a
//! tree. A malformed name is `ActorError::Invalid` (400); a well-formed one the repository does
//! not hold is `ActorError::NotFound` (404) naming what is missing. No rev-parse syntax
//! (`~`, `^`, `@{}`, `:/regex`) is accepted: every lookup is a ref or an object id.

use crate::base::error::{ActorError, Result};
use std::path::Path;

/// A read of what a ref names at a path: (repository, commit, path components, the ref as
/// named), as `tree::list`, `blob::view` and `blob::raw` are.
pub type ReadAt<T> = fn(&gix::Repository, gix::ObjectId, &[&str], &str) -> Result<T>;

/// Longest ref name or path accepted.
pub const MAX_NAME: usize = 1024;

/// Bytes of objects (commits, trees) each open repository keeps: a log with a path filter or a
/// diff reads the same trees again and again.
const OBJECT_CACHE_BYTES: usize = 8 * 1024 * 1024;
/// Bytes of delta bases each open repository keeps (objects of a pack are mostly deltas).
const PACK_CACHE_BYTES: usize = 8 * 1024 * 1024;

/// Opens a bare repository for reading, ignoring the system's and the user's git configuration,
/// with an object cache and a delta-base cache of bounded size.
pub fn open(dir: &Path) -> Result<gix::Repository> {
    let mut repo = gix::open_opts(dir, gix::open::Options::isolated())
        .map_err(|e| ActorError::NotFound(format!("repository at {}: {e}", dir.display())))?;
    repo.object_cache_size(OBJECT_CACHE_BYTES);
    repo.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            PACK_CACHE_BYTES,
        ))
    });
    Ok(repo)
}

fn invalid(what: &str, name: &str, why: impl std::fmt::Display) -> ActorError {
    let shown: String = name.chars().take(80).collect();
    ActorError::Invalid(format!("{what} {shown:?} is not valid: {why}"))
}

/// Checks a ref name as a client writes it (`main`, `refs/tags/v1`), git's rules.
pub fn check_ref(name: &str) -> Result<()> {
    if name.len() > MAX_NAME {
        return Err(invalid("ref", name, "too long"));
    }
    if name == "HEAD" {
        return Ok(());
    }
    gix::validate::reference::name_partial(name.into())
        .map(|_| ())
        .map_err(|e| invalid("ref", name, e))
}

/// The components of a path inside a tree (`src/main.rs`); an empty path (or `/`) is the root.
/// Refused: `.` and `..` components, empty components (`a//b`), NUL, over `MAX_NAME` bytes.
pub fn check_path(path: &str) -> Result<Vec<&str>> {
    if path.len() > MAX_NAME {
        return Err(invalid("path", path, "too long"));
    }
    let trimmed = path.trim_start_matches('/').trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(Vec::new());
    }
    let parts: Vec<&str> = trimmed.split('/').collect();
    for part in &parts {
        let why = match *part {
            "" => Some("empty component"),
            "." | ".." => Some("`.` and `..` are not allowed"),
            p if p.contains('\0') => Some("NUL is not allowed"),
            _ => None,
        };
        if let Some(why) = why {
            return Err(invalid("path", path, why));
        }
    }
    Ok(parts)
}

fn is_full_hash(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The commit `rev` names: `HEAD` (the default branch), a branch, a tag (peeled to its
/// commit), a full ref name, or a full hex commit hash. Branches win over tags of the same name.
pub fn resolve_commit(repo: &gix::Repository, rev: &str) -> Result<gix::ObjectId> {
    check_ref(rev)?;
    let candidates: Vec<String> = if rev == "HEAD" || rev.starts_with("refs/") {
        vec![rev.to_string()]
    } else {
        vec![format!("refs/heads/{rev}"), format!("refs/tags/{rev}")]
    };
    for name in &candidates {
        if let Ok(Some(mut reference)) = repo.try_find_reference(name.as_str()) {
            let id = reference
                .peel_to_commit()
                .map_err(|e| ActorError::NotFound(format!("ref {rev} points to no commit ({e})")))?
                .id;
            return Ok(id);
        }
    }
    if is_full_hash(rev) {
        let id = gix::ObjectId::from_hex(rev.as_bytes()).map_err(|e| invalid("hash", rev, e))?;
        let is_commit = repo
            .find_object(id)
            .ok()
            .is_some_and(|o| o.kind == gix::object::Kind::Commit);
        if is_commit {
            return Ok(id);
        }
        return Err(ActorError::NotFound(format!("commit {rev}")));
    }
    Err(ActorError::NotFound(format!("ref {rev}")))
}

/// Splits `{ref}/{path...}` (a ref may itself hold `/`): the longest leading run of components
/// that names a ref or commit of `repo`, and the rest as a path. 404 when no prefix resolves.
pub fn split_spec<'a>(
    repo: &gix::Repository,
    spec: &'a str,
) -> Result<(gix::ObjectId, &'a str, &'a str)> {
    if spec.len() > MAX_NAME {
        return Err(invalid("ref and path", spec, "too long"));
    }
    let cuts: Vec<usize> = spec
        .match_indices('/')
        .map(|(i, _)| i)
        .chain(std::iter::once(spec.len()))
        .collect();
    let mut shortest_error = None;
    for &cut in cuts.iter().rev() {
        let (rev, rest) = (&spec[..cut], spec[cut..].trim_start_matches('/'));
        if check_ref(rev).is_err() {
            continue;
        }
        match resolve_commit(repo, rev) {
            Ok(id) => {
                check_path(rest)?;
                return Ok((id, rev, rest));
            }
            Err(e) => shortest_error = Some(e),
        }
    }
    let first = spec.split('/').next().unwrap_or(spec);
    Err(shortest_error.unwrap_or_else(|| match check_ref(first) {
        Err(e) => e,
        Ok(()) => ActorError::NotFound(format!("ref {first}")),
    }))
}

#[cfg(test)]
#[path = "revision_tests.rs"]
mod tests;
