//! The git side of a merge (`kinds::repository_merge`), with the git command line in the bare
//! repository, blocking (run it off the actor thread): `plan` checks the commit and the branch
//! and writes the merge commit if one is needed (`git merge-tree --write-tree`, then `git
//! commit-tree`), changing no ref; `apply` moves the branch with a compare-and-swap (`git
//! update-ref <ref> <new> <old>`). No network: the commit to merge is already in the repository.
//! git runs without the system's and the user's configuration.

use crate::base::error::{ActorError, Result};
use std::path::Path;
use std::process::{Command, Stdio};

/// Longest merge commit message accepted, in bytes.
pub const MAX_MESSAGE: usize = 64 * 1024;

/// A git identity (author or committer), already safe for git (no `<`, `>` or newlines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub email: String,
}

/// What to merge: the commit `head` into the branch `branch` (its short name).
#[derive(Debug, Clone)]
pub struct MergeSpec {
    pub head: String,
    pub branch: String,
    pub message: String,
    pub fast_forward_only: bool,
    pub author: Ident,
    pub committer: Ident,
}

/// A merge ready to be written: the branch's ref moves from `before` to `after` (`head` itself
/// for a fast-forward, else a new merge commit with the parents `before` and `head`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub reference: String,
    pub before: String,
    pub after: String,
    pub fast_forward: bool,
}

/// What `plan` found: a merge to write, or the paths that conflict (nothing was changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    Write(Planned),
    Conflict(Vec<String>),
}

/// A full commit id: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits.
pub fn check_head(head: &str) -> Result<()> {
    let hex = head
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if (head.len() == 40 || head.len() == 64) && hex {
        return Ok(());
    }
    let shown: String = head.chars().take(80).collect();
    Err(ActorError::Invalid(format!(
        "{shown:?} is not a commit id (40 or 64 lowercase hex digits)"
    )))
}

/// The full ref of a branch named `main` or `refs/heads/main`, checked with git's ref rules.
pub fn branch_ref(branch: &str) -> Result<String> {
    let name = branch.strip_prefix("refs/heads/").unwrap_or(branch);
    if name.is_empty() || name == "HEAD" || name.starts_with("refs/") {
        return Err(ActorError::Invalid(format!(
            "{branch:?} is not a branch name"
        )));
    }
    crate::browse::revision::check_ref(name)?;
    Ok(format!("refs/heads/{name}"))
}

/// Checks `head` and the branch, then finds what the merge would write; changes no ref.
pub fn plan(dir: &Path, spec: &MergeSpec) -> Result<Plan> {
    let (reference, before) = located(dir, spec)?;
    let head = spec.head.as_str();
    if before == head || is_ancestor(dir, head, &before)? {
        return Err(ActorError::Conflict(format!(
            "nothing to merge: {head} is already in branch {} (at {before}); nothing was changed",
            spec.branch
        )));
    }
    let mut planned = Planned {
        reference,
        before,
        after: head.to_string(),
        fast_forward: true,
    };
    if is_ancestor(dir, &planned.before, head)? {
        return Ok(Plan::Write(planned));
    }
    if spec.fast_forward_only {
        return Err(ActorError::Conflict(format!(
            "branch {} and {head} have diverged and only a fast-forward was asked; nothing was \
             changed",
            spec.branch
        )));
    }
    match merge_tree(dir, &planned.before, head)? {
        Ok(tree) => planned.after = commit_tree(dir, &tree, &planned.before, spec)?,
        Err(paths) => return Ok(Plan::Conflict(paths)),
    }
    planned.fast_forward = false;
    Ok(Plan::Write(planned))
}

/// Checks the spec; the branch's full ref and its commit, once `head` is known to be a commit
/// of this repository and the branch to exist.
fn located(dir: &Path, spec: &MergeSpec) -> Result<(String, String)> {
    check_head(&spec.head)?;
    let reference = branch_ref(&spec.branch)?;
    if spec.message.len() > MAX_MESSAGE || spec.message.contains('\0') {
        return Err(ActorError::Invalid(format!(
            "a merge message has at most {MAX_MESSAGE} bytes and no NUL"
        )));
    }
    let head = spec.head.as_str();
    let kind = git(dir, &["cat-file", "-t", head], &[])?;
    if kind.code != 0 {
        return Err(ActorError::NotFound(format!(
            "commit {head} in this repository"
        )));
    }
    if kind.text() != "commit" {
        let what = kind.text();
        return Err(ActorError::Invalid(format!(
            "{head} is a {what}, not a commit"
        )));
    }
    let found = git(dir, &["rev-parse", "--verify", "--quiet", &reference], &[])?;
    if found.code != 0 {
        return Err(ActorError::NotFound(format!("branch {}", spec.branch)));
    }
    Ok((reference, found.text()))
}

/// Moves the branch from `before` to `after`, only if it is still at `before`.
pub fn apply(dir: &Path, p: &Planned) -> Result<()> {
    let args = ["update-ref", p.reference.as_str(), &p.after, &p.before];
    let ran = git(dir, &args, &[])?;
    if ran.code != 0 {
        return Err(ActorError::Conflict(format!(
            "{} moved while the merge was made (it is no longer {}): nothing was changed ({})",
            p.reference,
            p.before,
            ran.stderr.trim()
        )));
    }
    Ok(())
}

/// Whether `a` is an ancestor of `b` (or is `b`). Blocking.
pub fn is_ancestor(dir: &Path, a: &str, b: &str) -> Result<bool> {
    let ran = git(dir, &["merge-base", "--is-ancestor", a, b], &[])?;
    match ran.code {
        0 => Ok(true),
        1 => Ok(false),
        _ => Err(ran.failed("merge-base")),
    }
}

/// The merged tree of two commits (`Ok`), or the conflicting paths (`Err`).
fn merge_tree(
    dir: &Path,
    ours: &str,
    theirs: &str,
) -> Result<std::result::Result<String, Vec<String>>> {
    let args = [
        "merge-tree",
        "--write-tree",
        "--name-only",
        "--no-messages",
        "-z",
        ours,
        theirs,
    ];
    let ran = git(dir, &args, &[])?;
    let out = String::from_utf8_lossy(&ran.stdout).into_owned();
    let mut fields = out.split('\0').filter(|f| !f.is_empty());
    let tree = fields.next().unwrap_or_default().to_string();
    match ran.code {
        0 => Ok(Ok(tree)),
        1 => {
            let mut paths: Vec<String> = fields.map(str::to_string).collect();
            paths.dedup();
            Ok(Err(paths))
        }
        _ => Err(ActorError::Invalid(format!(
            "git cannot merge these: {}",
            ran.stderr.trim()
        ))),
    }
}

/// Writes the merge commit of `tree` with the parents `before` and the spec's head.
fn commit_tree(dir: &Path, tree: &str, before: &str, spec: &MergeSpec) -> Result<String> {
    let message = if spec.message.trim().is_empty() {
        format!("Merge {} into {}", spec.head, spec.branch)
    } else {
        spec.message.clone()
    };
    let args = [
        "commit-tree",
        "--no-gpg-sign",
        tree,
        "-p",
        before,
        "-p",
        &spec.head,
        "-m",
        &message,
    ];
    let (a, c) = (&spec.author, &spec.committer);
    let env = [
        ("GIT_AUTHOR_NAME", a.name.as_str()),
        ("GIT_AUTHOR_EMAIL", a.email.as_str()),
        ("GIT_COMMITTER_NAME", c.name.as_str()),
        ("GIT_COMMITTER_EMAIL", c.email.as_str()),
    ];
    let ran = git(dir, &args, &env)?;
    if ran.code != 0 {
        return Err(ran.failed("commit-tree"));
    }
    Ok(ran.text())
}

/// What a git command did.
struct Ran {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Ran {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).trim().to_string()
    }

    fn failed(&self, what: &str) -> ActorError {
        ActorError::Task(format!("git {what} failed: {}", self.stderr.trim()))
    }
}

/// Runs `git <args>` in the bare repository `dir`, isolated from the system's and the user's
/// configuration, with `env` added.
fn git(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<Ran> {
    let out = Command::new("git")
        .arg("--git-dir")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_ALTERNATE_OBJECT_DIRECTORIES")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_NAMESPACE")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| ActorError::Task(format!("cannot run git: {e}")))?;
    Ok(Ran {
        code: out.status.code().unwrap_or(128),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}
