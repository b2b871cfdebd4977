//! Driving the real `git` and OpenSSH `ssh` binaries against a test instance: a temporary
//! ed25519 key registered through the API, work trees with commits, push, clone and fetch.
#![allow(dead_code)]

use super::client::client;
use super::instance::Instance;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A person's SSH identity for git: a key file registered with the instance.
pub struct GitUser {
    pub dir: tempfile::TempDir,
    pub key: PathBuf,
    pub ssh_port: u16,
}

/// Generates an ed25519 key pair in a temporary directory.
pub fn keygen() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("id_ed25519");
    ssh_keygen(&key, &["-t", "ed25519", "-C", "orchard-test"]);
    (dir, key)
}

/// Runs `ssh-keygen -q -N "" -f key` with `args` (the key type and size); panics on failure.
pub fn ssh_keygen(key: &Path, args: &[&str]) {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-N", ""])
        .args(args)
        .arg("-f")
        .arg(key)
        .output()
        .expect("ssh-keygen runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl GitUser {
    /// A new key registered for `user` (whose token is given) on `inst`.
    pub async fn register(inst: &Instance, token: &str) -> GitUser {
        let (dir, key) = keygen();
        let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
        let res = client()
            .post(inst.at("/api/v1/ssh-keys"))
            .bearer_auth(token)
            .json(&serde_json::json!({ "key": public.trim() }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            201,
            "{}",
            res.text().await.unwrap_or_default()
        );
        GitUser {
            dir,
            key,
            ssh_port: inst.ssh_port,
        }
    }

    /// A key nobody registered.
    pub fn unknown(inst: &Instance) -> GitUser {
        let (dir, key) = keygen();
        GitUser {
            dir,
            key,
            ssh_port: inst.ssh_port,
        }
    }

    /// `GIT_SSH_COMMAND` for this key and the instance's port.
    pub fn ssh_command(&self) -> String {
        format!(
            "ssh -i {} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -p {}",
            self.key.display(),
            self.ssh_port
        )
    }

    /// The SSH URL of a repository path like `/repos/tree-sim`.
    pub fn url(&self, path: &str) -> String {
        format!("ssh://git@127.0.0.1:{}{}", self.ssh_port, path)
    }

    /// Runs git with this identity in `cwd`.
    pub fn git(&self, cwd: &Path, args: &[&str]) -> Output {
        git_in(cwd, args, Some(&self.ssh_command()))
    }

    /// Runs `ssh` with this identity and a raw remote command.
    pub fn ssh(&self, command: &str) -> Output {
        self.ssh_cmd(command).output().expect("ssh runs")
    }

    /// Starts `ssh` with this identity and a raw remote command, its stdin and stdout piped.
    pub fn ssh_spawn(&self, command: &str) -> std::process::Child {
        self.ssh_cmd(command)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("ssh starts")
    }

    fn ssh_cmd(&self, command: &str) -> Command {
        let mut cmd = Command::new("ssh");
        cmd.args(["-i"]).arg(&self.key).args([
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            "-p",
            &self.ssh_port.to_string(),
            "git@127.0.0.1",
            command,
        ]);
        cmd
    }
}

/// Runs git in `cwd` with a fixed identity and no global config.
pub fn git_in(cwd: &Path, args: &[&str], ssh: Option<&str>) -> Output {
    let mut cmd = Command::new("git");
    cmd.current_dir(cwd)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", cwd)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .env("GIT_TERMINAL_PROMPT", "0");
    if let Some(s) = ssh {
        cmd.env("GIT_SSH_COMMAND", s);
    }
    cmd.output().expect("git runs")
}

/// Asserts a command succeeded, showing its output otherwise; answers stdout.
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// A new work tree on branch `main` with `n` commits; answers its path (inside `parent`).
pub fn work_tree(parent: &Path, name: &str, n: usize) -> PathBuf {
    let dir = parent.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    ok(git_in(&dir, &["init", "-q", "-b", "main"], None));
    for i in 0..n {
        commit(
            &dir,
            &format!("file{i}.txt"),
            &format!("commit {i} of {name}"),
        );
    }
    dir
}

/// Adds a file and commits it with `message`.
pub fn commit(dir: &Path, file: &str, message: &str) {
    std::fs::write(dir.join(file), format!("{message}\n")).unwrap();
    ok(git_in(dir, &["add", file], None));
    ok(git_in(dir, &["commit", "-q", "-m", message], None));
}

/// `git rev-parse <rev>` in `dir`.
pub fn rev(dir: &Path, rev: &str) -> String {
    ok(git_in(dir, &["rev-parse", rev], None))
        .trim()
        .to_string()
}

/// The path of a repository IRI: what an SSH URL names (`/repos/<name>`).
pub fn path_of(repo: &str) -> String {
    url::Url::parse(repo).unwrap().path().to_string()
}
