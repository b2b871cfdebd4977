//! The benchmarks' repository: a git bundle (or a repository path) pushed over SSH to a
//! repository of the in-process instance, and its size.

use crate::forge::Forge;
use crate::measure::sh;
use std::path::Path;

/// Pushes the bundle's HEAD as `main`, and its branches, of `bundle` to the repository at `path` over SSH.
pub fn push_bundle(f: &Forge, root: &Path, bundle: &str, path: &str) {
    let src = root.join("src.git");
    sh(
        root,
        "git",
        &["clone", "-q", "--mirror", bundle, src.to_str().unwrap()],
    );
    let started = std::time::Instant::now();
    let out = std::process::Command::new("git")
        .current_dir(&src)
        .env("GIT_SSH_COMMAND", f.ssh_command(""))
        .args(["push", "-q", &f.ssh_url(path), "HEAD:refs/heads/main"])
        .output()
        .expect("git push");
    assert!(
        out.status.success(),
        "push: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!(
        "pushed the bundle over SSH in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

pub fn count(bare: &Path) -> String {
    sh(bare, "git", &["rev-list", "--all", "--count"])
        .trim()
        .to_string()
}
