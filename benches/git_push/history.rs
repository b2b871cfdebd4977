//! Deterministic git histories of incompressible content, built with `git fast-import`, and
//! helpers to run git and time a push.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// xorshift64*: deterministic, incompressible-looking bytes.
struct Rng(u64);

impl Rng {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            let v = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// What to build in the local repository.
pub struct Plan {
    /// `main`: this many commits, each adding one file of `main_bytes / main_commits` bytes.
    pub main_commits: usize,
    pub main_bytes: usize,
    /// `base`: one small root commit; `b0..bN`: one commit each on `base`, adding `branch_bytes`.
    pub branches: usize,
    pub branch_bytes: usize,
}

/// Runs git in `cwd` with a fixed identity and no user or system configuration.
pub fn git(cwd: &Path, args: &[&str], ssh: Option<&str>) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(cwd)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", cwd)
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@example.org")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@example.org")
        .env("GIT_TERMINAL_PROMPT", "0");
    if let Some(s) = ssh {
        cmd.env("GIT_SSH_COMMAND", s);
    }
    cmd
}

/// Asserts success, showing the output otherwise.
pub fn ok(what: &str, out: Output) -> Output {
    assert!(
        out.status.success(),
        "{what} failed\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs a git command to completion and answers its wall time; panics if it fails.
pub fn timed(cwd: &Path, args: &[&str], ssh: Option<&str>) -> Duration {
    let t = Instant::now();
    let out = git(cwd, args, ssh).output().expect("git runs");
    let d = t.elapsed();
    ok(&format!("git {}", args.join(" ")), out);
    d
}

fn blob(stream: &mut Vec<u8>, mark: usize, data: &[u8]) {
    writeln!(stream, "blob\nmark :{mark}\ndata {}", data.len()).unwrap();
    stream.extend_from_slice(data);
    stream.push(b'\n');
}

fn commit(
    stream: &mut Vec<u8>,
    branch: &str,
    mark: usize,
    time: u64,
    msg: &str,
    from: Option<usize>,
    (file, blob): (&str, usize),
) {
    let who = format!("Bench <bench@example.org> {time} +0000");
    writeln!(
        stream,
        "commit refs/heads/{branch}\nmark :{mark}\nauthor {who}\ncommitter {who}"
    )
    .unwrap();
    writeln!(stream, "data {}\n{msg}", msg.len()).unwrap();
    if let Some(f) = from {
        writeln!(stream, "from :{f}").unwrap();
    }
    writeln!(stream, "M 100644 :{blob} {file}\n").unwrap();
}

/// Creates a non-bare repository at `dir` holding the planned branches (no work tree checkout).
pub fn build(dir: &Path, plan: &Plan) {
    std::fs::create_dir_all(dir).unwrap();
    ok(
        "git init",
        git(dir, &["init", "-q", "-b", "main"], None)
            .output()
            .unwrap(),
    );
    let s = fast_import_stream(plan);
    let mut child = git(dir, &["fast-import", "--quiet"], None)
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import");
    child.stdin.take().unwrap().write_all(&s).unwrap();
    assert!(child.wait().unwrap().success(), "git fast-import failed");
    // Pack everything, as a real clone would have it (pushes then read from one pack).
    ok(
        "git repack",
        git(dir, &["repack", "-adq"], None).output().unwrap(),
    );
}

/// The `git fast-import` stream of `plan`: main's commits of random blobs, the base commit, and
/// one branch of its own blob per branch on the base.
fn fast_import_stream(plan: &Plan) -> Vec<u8> {
    let mut s = Vec::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut mark = 0;
    let mut next = || {
        mark += 1;
        mark
    };
    let per = plan.main_bytes / plan.main_commits.max(1);
    let mut prev = None;
    let mut buf = vec![0u8; per.max(plan.branch_bytes)];
    for i in 0..plan.main_commits {
        rng.fill(&mut buf[..per]);
        let b = next();
        blob(&mut s, b, &buf[..per]);
        let c = next();
        let msg = format!("main {i}");
        commit(
            &mut s,
            "main",
            c,
            1_700_000_000 + i as u64,
            &msg,
            prev,
            (&format!("data/{i:04}.bin"), b),
        );
        prev = Some(c);
    }
    let b = next();
    blob(&mut s, b, b"base\n");
    let base = next();
    commit(
        &mut s,
        "base",
        base,
        1_700_100_000,
        "base",
        None,
        ("README", b),
    );
    for i in 0..plan.branches {
        rng.fill(&mut buf[..plan.branch_bytes]);
        let b = next();
        blob(&mut s, b, &buf[..plan.branch_bytes]);
        let c = next();
        let msg = format!("branch {i}");
        commit(
            &mut s,
            &format!("b{i}"),
            c,
            1_700_200_000 + i as u64,
            &msg,
            Some(base),
            (&format!("b{i}.bin"), b),
        );
    }
    s
}

/// A fresh bare repository, as Orchard makes them.
pub fn init_bare(path: &Path) {
    let parent = path.parent().unwrap();
    ok(
        "git init --bare",
        git(
            parent,
            &["init", "-q", "--bare", "--initial-branch=main"],
            None,
        )
        .arg(path)
        .output()
        .unwrap(),
    );
}

/// Size in bytes of the packs of a repository.
pub fn pack_bytes(dir: &Path) -> u64 {
    let packs = dir.join(".git/objects/pack");
    std::fs::read_dir(&packs)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "pack"))
                .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}
