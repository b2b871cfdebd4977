//! The real `git`, `ssh` and `ssh-keygen` binaries: one ed25519 key per person in the run
//! directory, git with a fixed identity and no user or system configuration, and pushes over
//! SSH through `GIT_SSH_COMMAND`. Every command has a timeout.

use crate::http::chain;
use crate::report::{Failure, Outcome};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::process::Command;

/// Longest a git or ssh-keygen command may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// What a command printed and whether it succeeded.
pub struct Ran {
    pub ok: bool,
    pub status: String,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// The command's output, for a failure message.
    pub fn output(&self) -> String {
        format!(
            "{}; stdout: {:?}; stderr: {:?}",
            self.status,
            self.stdout.trim(),
            self.stderr.trim()
        )
    }
}

async fn run_command(what: &str, mut cmd: Command) -> Outcome<Ran> {
    cmd.kill_on_drop(true).stdin(std::process::Stdio::null());
    let out = tokio::time::timeout(COMMAND_TIMEOUT, cmd.output())
        .await
        .map_err(|_| {
            Failure::new(
                what,
                format!("to finish within {} s", COMMAND_TIMEOUT.as_secs()),
                "it was still running: stopped",
            )
        })?
        .map_err(|e| Failure::new(what, "to start", chain(&e)))?;
    Ok(Ran {
        ok: out.status.success(),
        status: out.status.to_string(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// Fails unless the command succeeded; answers its stdout.
pub fn succeeded(what: &str, ran: Ran) -> Outcome<String> {
    if ran.ok {
        Ok(ran.stdout)
    } else {
        Err(Failure::new(what, "exit status 0", ran.output()))
    }
}

/// A person at a keyboard: a name for commits, an SSH key, and a home for git.
pub struct GitUser {
    pub name: String,
    pub email: String,
    pub key: PathBuf,
    home: PathBuf,
}

impl GitUser {
    /// Makes `<run>/keys/<name>_ed25519` (and `.pub`) with ssh-keygen.
    pub async fn new(run: &Path, name: &str, host: &str) -> Outcome<GitUser> {
        let (keys, home) = (run.join("keys"), run.join("home").join(name));
        for dir in [&keys, &home] {
            std::fs::create_dir_all(dir)
                .map_err(|e| Failure::new(format!("create {}", dir.display()), "a directory", e))?;
        }
        let key = keys.join(format!("{name}_ed25519"));
        let email = format!("{name}@{host}");
        let mut cmd = Command::new("ssh-keygen");
        cmd.args(["-q", "-t", "ed25519", "-N", "", "-C", &email, "-f"])
            .arg(&key);
        succeeded(
            &format!("ssh-keygen for {name}"),
            run_command("ssh-keygen", cmd).await?,
        )?;
        Ok(GitUser {
            name: name.to_string(),
            email,
            key,
            home,
        })
    }

    /// The public key line, for POST /api/v1/ssh-keys.
    pub fn public_key(&self) -> Outcome<String> {
        let path = self.key.with_extension("pub");
        std::fs::read_to_string(&path)
            .map(|k| k.trim().to_string())
            .map_err(|e| Failure::new(format!("read {}", path.display()), "a public key", e))
    }

    /// `GIT_SSH_COMMAND` with this person's key for an SSH server on `port`.
    pub fn ssh_command(&self, port: u16) -> String {
        format!(
            "ssh -i '{}' -p {port} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \
             -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR",
            self.key.display()
        )
    }

    /// Runs `git <args>` in `cwd` as this person (over SSH to `ssh_port` when given).
    pub async fn git(&self, cwd: &Path, args: &[&str], ssh_port: Option<u16>) -> Outcome<Ran> {
        let mut cmd = Command::new("git");
        cmd.current_dir(cwd)
            .args(args)
            .env("HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", &self.name)
            .env("GIT_AUTHOR_EMAIL", &self.email)
            .env("GIT_COMMITTER_NAME", &self.name)
            .env("GIT_COMMITTER_EMAIL", &self.email)
            .env("GIT_TERMINAL_PROMPT", "0");
        if let Some(port) = ssh_port {
            cmd.env("GIT_SSH_COMMAND", self.ssh_command(port));
        }
        run_command(&format!("git {}", args.join(" ")), cmd).await
    }

    /// Like [`GitUser::git`], failing unless git succeeded; answers stdout.
    pub async fn git_ok(
        &self,
        cwd: &Path,
        args: &[&str],
        ssh_port: Option<u16>,
    ) -> Outcome<String> {
        let what = format!("{} runs git {}", self.name, args.join(" "));
        succeeded(&what, self.git(cwd, args, ssh_port).await?)
    }

    /// Writes `file` in the work tree `dir` and commits it with `message`.
    pub async fn commit(&self, dir: &Path, file: &str, text: &str, message: &str) -> Outcome<()> {
        let path = dir.join(file);
        std::fs::write(&path, text)
            .map_err(|e| Failure::new(format!("write {}", path.display()), "a file", e))?;
        self.git_ok(dir, &["add", file], None).await?;
        self.git_ok(dir, &["commit", "-q", "-m", message], None)
            .await?;
        Ok(())
    }

    /// The commit ids of `rev` and its ancestors not in `hide`, newest first.
    pub async fn rev_list(
        &self,
        dir: &Path,
        rev: &str,
        hide: Option<&str>,
    ) -> Outcome<Vec<String>> {
        let not = hide.map(|h| format!("^{h}"));
        let mut args = vec!["rev-list", rev];
        args.extend(not.as_deref());
        let out = self.git_ok(dir, &args, None).await?;
        Ok(out.lines().map(str::to_string).collect())
    }
}
