//! A copy of a repository's bare git directory for a backup (`Snapshot`), taken in the
//! Repository actor's mailbox: every push (`ReceivePack`) and merge holds the mailbox until its
//! refs are updated and logged, so the copy holds no push half in. `copy_bare` is the copy
//! itself (also used directly on a stopped instance).
//!
//! The copy takes the object files first (hard links where the filesystem allows: pack and loose
//! object files never change once written), then the loose refs, then `packed-refs`, then the
//! rest (`HEAD`, `config`, ...): a `git pack-refs` or `git gc` git may run on its own at the end
//! of a push writes `packed-refs` before removing loose refs and a new pack before removing old
//! files, so this order misses nothing; an object file removed under the copy starts it again.
//! Lock files and push quarantines are left out.

use crate::base::error::{ActorError, Result};
use crate::kinds::repository::Repository;
use actix::prelude::*;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// Copy this repository's bare directory to `to` (which must not exist); answers the number
/// of files copied.
#[derive(Message)]
#[rtype(result = "Result<u64>")]
pub struct Snapshot {
    pub to: PathBuf,
}

impl Handler<Snapshot> for Repository {
    type Result = AtomicResponse<Self, Result<u64>>;

    fn handle(&mut self, msg: Snapshot, _: &mut Self::Context) -> Self::Result {
        let from = self.git_dir();
        let work = async move {
            tokio::task::spawn_blocking(move || copy_bare(&from, &msg.to))
                .await
                .map_err(|e| ActorError::Task(format!("the repository copy stopped: {e}")))?
        };
        AtomicResponse::new(Box::pin(work.into_actor(self)))
    }
}

/// How many times a copy starts again when an object file disappears under it.
const ATTEMPTS: usize = 3;

fn io(e: std::io::Error, path: &Path) -> ActorError {
    ActorError::Storage(std::io::Error::new(
        e.kind(),
        format!("{}: {e}", path.display()),
    ))
}

/// Copies the bare repository `from` to `to` (created; must not exist). Blocking.
pub fn copy_bare(from: &Path, to: &Path) -> Result<u64> {
    if !from.join("HEAD").is_file() {
        return Err(ActorError::NotFound(format!(
            "{} is not a bare git repository",
            from.display()
        )));
    }
    let mut attempt = 0;
    loop {
        attempt += 1;
        match copy_once(from, to) {
            Err(ActorError::Storage(e))
                if e.kind() == ErrorKind::NotFound && attempt < ATTEMPTS =>
            {
                let _ = std::fs::remove_dir_all(to);
            }
            other => return other,
        }
    }
}

fn copy_once(from: &Path, to: &Path) -> Result<u64> {
    std::fs::create_dir_all(to).map_err(|e| io(e, to))?;
    let mut files = 0;
    let objects = from.join("objects");
    if objects.is_dir() {
        files += copy_tree(&objects, &to.join("objects"), true)?;
    }
    let refs = from.join("refs");
    if refs.is_dir() {
        files += copy_tree(&refs, &to.join("refs"), false)?;
    }
    files += copy_top_files(from, to, true)?;
    files += copy_top_files(from, to, false)?;
    for dir in ["info", "hooks"] {
        if from.join(dir).is_dir() {
            files += copy_tree(&from.join(dir), &to.join(dir), false)?;
        }
    }
    Ok(files)
}

/// Lock files and quarantines of a push in progress (none under the mailbox, but a crash may
/// leave them).
fn left_out(name: &str) -> bool {
    name.ends_with(".lock") || name.starts_with("incoming-") || name.starts_with("tmp_objdir")
}

/// The files at the top of the repository: `packed-refs` alone (`packed`), or every other one.
fn copy_top_files(from: &Path, to: &Path, packed: bool) -> Result<u64> {
    let mut files = 0;
    for entry in std::fs::read_dir(from).map_err(|e| io(e, from))? {
        let entry = entry.map_err(|e| io(e, from))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().map_err(|e| io(e, from))?.is_file();
        if !is_file || left_out(&name) || (name == "packed-refs") != packed {
            continue;
        }
        copy_file(&entry.path(), &to.join(&name), false)?;
        files += 1;
    }
    Ok(files)
}

fn copy_tree(from: &Path, to: &Path, link: bool) -> Result<u64> {
    std::fs::create_dir_all(to).map_err(|e| io(e, to))?;
    let mut files = 0;
    for entry in std::fs::read_dir(from).map_err(|e| io(e, from))? {
        let entry = entry.map_err(|e| io(e, from))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if left_out(&name) {
            continue;
        }
        let kind = entry.file_type().map_err(|e| io(e, from))?;
        if kind.is_dir() {
            files += copy_tree(&entry.path(), &to.join(&name), link)?;
        } else if kind.is_file() {
            copy_file(&entry.path(), &to.join(&name), link)?;
            files += 1;
        }
    }
    Ok(files)
}

fn copy_file(from: &Path, to: &Path, link: bool) -> Result<()> {
    if link && std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to).map(|_| ()).map_err(|e| io(e, from))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) -> String {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .output()
            .unwrap();
        assert!(out.status.success(), "{:?}", out);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn a_copy_has_the_same_refs_and_passes_fsck() {
        let tmp = tempfile::tempdir().unwrap();
        let (work, bare) = (tmp.path().join("w"), tmp.path().join("r.git"));
        std::fs::create_dir(&work).unwrap();
        git(&work, &["init", "-q", "-b", "main"]);
        std::fs::write(work.join("f"), "x").unwrap();
        git(&work, &["add", "f"]);
        git(&work, &["commit", "-q", "-m", "one"]);
        git(tmp.path(), &["clone", "-q", "--bare", "w", "r.git"]);
        git(&bare, &["pack-refs", "--all"]);
        std::fs::write(bare.join("packed-refs.lock"), "").unwrap();
        let copy = tmp.path().join("copy.git");
        assert!(copy_bare(&bare, &copy).unwrap() > 3);
        assert!(!copy.join("packed-refs.lock").exists());
        let refs = |d: &Path| git(d, &["for-each-ref"]);
        assert_eq!(refs(&copy), refs(&bare));
        git(&copy, &["fsck", "--no-progress"]);
        assert!(copy_bare(&tmp.path().join("w/nothing"), &copy).is_err());
    }
}
