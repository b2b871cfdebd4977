//! Test repositories for the browsing code's unit tests, made with the real `git` command line
//! (the reference the browsing code must agree with): files written, committed, branched, tagged.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A repository with a work tree in a temporary directory; `git_dir` is what the server reads.
pub struct TestRepo {
    _dir: tempfile::TempDir,
    pub work: PathBuf,
}

impl TestRepo {
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("w");
        std::fs::create_dir(&work).unwrap();
        let repo = TestRepo { _dir: dir, work };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// The `.git` directory.
    pub fn git_dir(&self) -> PathBuf {
        self.work.join(".git")
    }

    /// Runs git in the work tree with a fixed identity and dates; its trimmed stdout.
    pub fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=Tess Ter",
                "-c",
                "user.email=tess@example.org",
            ])
            .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
            .args(args)
            .current_dir(&self.work)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &self.work)
            .env("GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z")
            .env("GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Writes (Some) or deletes (None) each file, then commits everything; the new commit's hash.
    pub fn commit(&self, files: &[(&str, Option<&[u8]>)], message: &str) -> String {
        for (path, content) in files {
            let full = self.work.join(path);
            match content {
                Some(bytes) => write(&full, bytes),
                None => std::fs::remove_file(&full).unwrap(),
            }
        }
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }
}

impl Default for TestRepo {
    fn default() -> Self {
        TestRepo::new()
    }
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}
