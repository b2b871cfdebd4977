//! The push benchmark's set-up: its sizes (from the environment), the client's key and the local
//! repository, Orchard (the forge) and a directory of `file://` repositories, warmed up.

use crate::forge::Forge;
use crate::history::{self, build, init_bare, pack_bytes, timed, Plan};
use crate::util::env_usize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The sizes of a run (see the crate doc).
pub struct Sizes {
    pub mb: usize,
    pub commits: usize,
    pub reps: usize,
    pub conc: usize,
    pub branch_kb: usize,
    pub conc_reps: usize,
    pub ciphers: Vec<String>,
}

impl Sizes {
    pub fn from_env() -> Sizes {
        Sizes {
            mb: env_usize("ORCHARD_BENCH_PUSH_MB", 10),
            commits: env_usize("ORCHARD_BENCH_PUSH_COMMITS", 50),
            reps: env_usize("ORCHARD_BENCH_REPS", 7).max(1),
            conc: env_usize("ORCHARD_BENCH_CONCURRENCY", 20).max(1),
            branch_kb: env_usize("ORCHARD_BENCH_BRANCH_KB", 512),
            conc_reps: env_usize("ORCHARD_BENCH_CONC_REPS", 3).max(1),
            ciphers: std::env::var("ORCHARD_BENCH_CIPHERS")
                .unwrap_or_else(|_| "aes256-gcm@openssh.com".into())
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().to_string())
                .collect(),
        }
    }
}

/// What every section pushes with: the local repository, Orchard and its SSH command, the
/// `file://` repositories' directory, and the warm-up repository.
pub struct Bench {
    pub local: PathBuf,
    pub forge: Forge,
    pub ssh: String,
    pub files: PathBuf,
    pub warm: String,
}

/// Makes the client's key and the local repository under `root`, starts Orchard, and warms up.
pub async fn set_up(root: &Path, z: &Sizes) -> Bench {
    let key = root.join("id_ed25519");
    history::ok(
        "ssh-keygen",
        std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f"])
            .arg(&key)
            .output()
            .unwrap(),
    );
    let local = root.join("local");
    let t = Instant::now();
    let (commits, mb, conc, branch_kb) = (z.commits, z.mb, z.conc, z.branch_kb);
    build(
        &local,
        &Plan {
            main_commits: commits,
            main_bytes: mb * 1024 * 1024,
            branches: conc,
            branch_bytes: branch_kb * 1024,
        },
    );
    println!(
        "local repository: main = {commits} commits / {mb} MiB of incompressible blobs; base + {conc} \
         branches of {branch_kb} KiB; packed {:.1} MiB (built in {:.1} s)",
        pack_bytes(&local) as f64 / 1048576.0,
        t.elapsed().as_secs_f64()
    );

    let forge = Forge::start(&root.join("orchard"), &key).await;
    let ssh = forge.ssh_command("");
    let files = root.join("file");
    std::fs::create_dir_all(&files).unwrap();
    let warm = warm_up(&local, &forge, &ssh, &files).await;
    Bench {
        local,
        forge,
        ssh,
        files,
        warm,
    }
}

/// Warm-up (page cache, binaries): one push each way, not counted. Answers Orchard's warm-up
/// repository.
async fn warm_up(local: &Path, forge: &Forge, ssh: &str, files: &Path) -> String {
    let warm = forge.create_repo("warm").await;
    init_bare(&files.join("warm.git"));
    timed(
        local,
        &[
            "push",
            "-q",
            &format!("file://{}", files.join("warm.git").display()),
            "main",
        ],
        None,
    );
    timed(
        local,
        &["push", "-q", &forge.ssh_url(&warm), "main"],
        Some(ssh),
    );

    if let Ok(secs) = std::env::var("ORCHARD_BENCH_HOLD") {
        // For probing by hand: keep the instance up.
        println!(
            "HOLD: GIT_SSH_COMMAND='{ssh}' git ls-remote {}",
            forge.ssh_url(&warm)
        );
        println!("HOLD: local repository {}", local.display());
        tokio::time::sleep(Duration::from_secs(secs.parse().unwrap_or(600))).await;
    }
    warm
}
