//! Running `git fetch` and `git ls-remote` for the git jobs (a fork's copy, a merge request's
//! source): from another bare repository on disk or from a remote repository over smart HTTP,
//! with a time limit. Git is confined: only the `file` transport for a directory, only `http`
//! and `https` for a URL, no redirects, no credential prompts, no system or user config.

use crate::base::error::{ActorError, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

/// Where git reads from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remote<'a> {
    /// A bare repository of this instance.
    Dir(&'a Path),
    /// A smart-HTTP URL (http or https).
    Url(&'a url::Url),
}

impl Remote<'_> {
    fn arg(&self) -> Result<String> {
        match self {
            Remote::Dir(p) if p.is_absolute() => Ok(p.display().to_string()),
            Remote::Dir(_) => Err(ActorError::Invalid(
                "a source directory must be absolute".into(),
            )),
            Remote::Url(u) if matches!(u.scheme(), "http" | "https") => Ok(u.to_string()),
            Remote::Url(_) => Err(ActorError::Invalid(
                "a remote source must be an http(s) URL".into(),
            )),
        }
    }

    fn protocols(&self) -> [&'static str; 2] {
        match self {
            Remote::Dir(_) => ["-c", "protocol.file.allow=always"],
            Remote::Url(_) => ["-c", "protocol.https.allow=always"],
        }
    }
}

fn command(remote: &Remote<'_>) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new("git");
    cmd.env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_ASKPASS", "true")
        .args([
            "-c",
            "protocol.allow=never",
            "-c",
            "http.followRedirects=false",
        ])
        .args(["-c", "credential.helper=", "-c", "core.askPass=true"])
        .args(remote.protocols());
    if matches!(remote, Remote::Url(_)) {
        cmd.args(["-c", "protocol.http.allow=always"]);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

async fn output(mut cmd: tokio::process::Command, timeout: Duration) -> Result<String> {
    let child = cmd.output();
    let out = tokio::time::timeout(timeout, child)
        .await
        .map_err(|_| ActorError::Task("git took too long; stopped".into()))?
        .map_err(|e| ActorError::Task(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(ActorError::Task(format!("git failed: {}", last.trim())));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The refs a source has under `refs/heads/` and `refs/tags/` (ref -> commit; peeled tags left
/// out).
pub async fn ls_remote(remote: &Remote<'_>, timeout: Duration) -> Result<BTreeMap<String, String>> {
    let mut cmd = command(remote);
    cmd.args(["ls-remote", "--heads", "--tags", "--end-of-options"])
        .arg(remote.arg()?);
    Ok(parse_refs(&output(cmd, timeout).await?, '\t'))
}

/// The refs of a bare repository (ref -> object).
pub async fn local_refs(git_dir: &Path, timeout: Duration) -> Result<BTreeMap<String, String>> {
    let mut cmd = tokio::process::Command::new("git");
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .arg("--git-dir")
        .arg(git_dir)
        .args(["for-each-ref", "--format=%(objectname) %(refname)"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    Ok(parse_refs(&output(cmd, timeout).await?, ' '))
}

/// Fetches `refspecs` from `remote` into the bare repository `git_dir` (no tags beyond the
/// refspecs, no FETCH_HEAD); answers the refs it wrote (ref -> commit).
pub async fn fetch(
    git_dir: &Path,
    remote: &Remote<'_>,
    refspecs: &[String],
    timeout: Duration,
) -> Result<BTreeMap<String, String>> {
    if refspecs.is_empty() || refspecs.iter().any(|r| r.starts_with('-') || r.is_empty()) {
        return Err(ActorError::Invalid("invalid refspecs".into()));
    }
    let before = local_refs(git_dir, timeout).await?;
    let mut cmd = command(remote);
    cmd.arg("--git-dir")
        .arg(git_dir)
        .args(["fetch", "--quiet", "--no-tags", "--no-write-fetch-head"])
        .args(["--no-recurse-submodules", "--end-of-options"])
        .arg(remote.arg()?)
        .args(refspecs);
    output(cmd, timeout).await?;
    let after = local_refs(git_dir, timeout).await?;
    Ok(after
        .into_iter()
        .filter(|(name, id)| before.get(name) != Some(id))
        .collect())
}

fn parse_refs(text: &str, sep: char) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once(sep))
        .filter(|(_, name)| !name.ends_with("^{}"))
        .map(|(id, name)| (name.trim().to_string(), id.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parse_refs;

    #[test]
    fn refs_are_parsed_and_peeled_tags_left_out() {
        let text = "aaa\trefs/heads/main\nbbb\trefs/tags/v1\nccc\trefs/tags/v1^{}\n";
        let refs = parse_refs(text, '\t');
        assert_eq!(refs.len(), 2);
        assert_eq!(refs["refs/heads/main"], "aaa");
    }
}
