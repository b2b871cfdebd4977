//! Push benchmark (issue 8, item 3). Run: `cargo bench --bench git_push`.
//!
//! 1. `git push` of a ~10 MB history (50 commits of incompressible blobs) over Orchard's SSH
//!    server, against the same push to a `file://` bare repository (git's own receive-pack,
//!    no SSH): medians of interleaved repetitions, each to a fresh repository. Goal <= 1.3x.
//! 2. 20 pushes to ONE repository at once (20 branches, each one commit of its own ~0.5 MB on a
//!    common base already pushed) against the sum of the same 20 pushes done one after another
//!    to another fresh repository. Goal <= 1.2x. For context: the same to 20 different
//!    repositories, and to a `file://` repository.
//!
//! Sizes (env): ORCHARD_BENCH_PUSH_MB (10), ORCHARD_BENCH_PUSH_COMMITS (50), ORCHARD_BENCH_REPS
//! (7), ORCHARD_BENCH_CONCURRENCY (20), ORCHARD_BENCH_BRANCH_KB (512), ORCHARD_BENCH_CONC_REPS
//! (3), ORCHARD_BENCH_CIPHERS (extra client ciphers to compare, comma separated; default
//! "aes256-gcm@openssh.com"; "" for none). Data lives in a temporary directory removed at the end.

#[path = "git_push/forge.rs"]
mod forge;
#[path = "git_push/history.rs"]
mod history;

use forge::Forge;
use history::{build, init_bare, pack_bytes, timed, Plan};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(v: &[Duration]) -> Duration {
    let mut s = v.to_vec();
    s.sort();
    s[s.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn spread(v: &[Duration]) -> String {
    let mut s = v.to_vec();
    s.sort();
    format!("min {:.0} / max {:.0} ms", ms(s[0]), ms(s[s.len() - 1]))
}

/// Pushes `branches` (one process each) to `url(i)`, all at once or one after another.
/// Answers (wall time of the whole, sum of the individual times).
fn push_many(
    local: &Path,
    n: usize,
    url: &(dyn Fn(usize) -> String + Sync),
    ssh: Option<&str>,
    concurrent: bool,
) -> (Duration, Duration) {
    let start = Instant::now();
    let each: Vec<Duration> = if concurrent {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..n)
                .map(|i| {
                    let u = url(i);
                    scope.spawn(move || {
                        timed(
                            local,
                            &["push", "-q", &u, &format!("b{i}:refs/heads/b{i}")],
                            ssh,
                        )
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        })
    } else {
        (0..n)
            .map(|i| {
                timed(
                    local,
                    &["push", "-q", &url(i), &format!("b{i}:refs/heads/b{i}")],
                    ssh,
                )
            })
            .collect()
    };
    (start.elapsed(), each.iter().sum())
}

fn free_gb(path: &Path) -> f64 {
    let out = std::process::Command::new("df")
        .args(["-Pk"])
        .arg(path)
        .output()
        .expect("df");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().nth(1).unwrap_or("");
    let avail: f64 = line
        .split_whitespace()
        .nth(3)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    avail / 1024.0 / 1024.0
}

fn version(cmd: &str, arg: &str) -> String {
    std::process::Command::new(cmd)
        .arg(arg)
        .output()
        .map(|o| {
            let s = if o.stdout.is_empty() {
                o.stderr
            } else {
                o.stdout
            };
            String::from_utf8_lossy(&s).trim().to_string()
        })
        .unwrap_or_else(|_| "?".into())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mb = env_usize("ORCHARD_BENCH_PUSH_MB", 10);
    let commits = env_usize("ORCHARD_BENCH_PUSH_COMMITS", 50);
    let reps = env_usize("ORCHARD_BENCH_REPS", 7).max(1);
    let conc = env_usize("ORCHARD_BENCH_CONCURRENCY", 20).max(1);
    let branch_kb = env_usize("ORCHARD_BENCH_BRANCH_KB", 512);
    let conc_reps = env_usize("ORCHARD_BENCH_CONC_REPS", 3).max(1);
    let ciphers: Vec<String> = std::env::var("ORCHARD_BENCH_CIPHERS")
        .unwrap_or_else(|_| "aes256-gcm@openssh.com".into())
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().to_string())
        .collect();

    let tmp = tempfile::Builder::new()
        .prefix("orchard-bench-push")
        .tempdir()
        .unwrap();
    let root = tmp.path().to_path_buf();
    let free = free_gb(&root);
    println!("# git_push benchmark");
    println!(
        "{} | {} | cores: {}",
        version("git", "--version"),
        version("ssh", "-V"),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    println!("data under {} ({free:.1} GB free)", root.display());
    assert!(free > 20.0, "less than 20 GB free: not running");

    // The client's key and the local repository.
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

    // Warm-up (page cache, binaries): one push each way, not counted.
    let warm = forge.create_repo("warm").await;
    init_bare(&files.join("warm.git"));
    timed(
        &local,
        &[
            "push",
            "-q",
            &format!("file://{}", files.join("warm.git").display()),
            "main",
        ],
        None,
    );
    timed(
        &local,
        &["push", "-q", &forge.ssh_url(&warm), "main"],
        Some(&ssh),
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

    // 0. The cost of a session that moves (almost) no data: `git ls-remote`.
    let (mut lf, mut ls) = (Vec::new(), Vec::new());
    let warm_file = format!("file://{}", files.join("warm.git").display());
    for _ in 0..reps.max(5) {
        lf.push(timed(&local, &["ls-remote", &warm_file], None));
        ls.push(timed(
            &local,
            &["ls-remote", &forge.ssh_url(&warm)],
            Some(&ssh),
        ));
    }
    println!();
    println!("## 0. git ls-remote (one session, no pack; medians)");
    println!(
        "file://       {:>8.1} ms   ({})",
        ms(median(&lf)),
        spread(&lf)
    );
    println!(
        "Orchard SSH   {:>8.1} ms   ({})",
        ms(median(&ls)),
        spread(&ls)
    );

    // 1. One 10 MB push: file:// vs Orchard over SSH, interleaved, fresh repositories.
    let mut repos = Vec::new();
    for i in 0..reps * (1 + ciphers.len()) {
        repos.push(forge.create_repo(&format!("single {i}")).await);
    }
    let mut repos = repos.into_iter();
    println!(
        "(section 1: {} repositories created; pushing)",
        reps * (1 + ciphers.len())
    );
    let (mut file_t, mut ssh_t) = (Vec::new(), Vec::new());
    let mut cipher_t: Vec<Vec<Duration>> = vec![Vec::new(); ciphers.len()];
    let mut ssh_paths = Vec::new();
    for rep in 0..reps {
        let bare = files.join(format!("single-{rep}.git"));
        init_bare(&bare);
        file_t.push(timed(
            &local,
            &["push", "-q", &format!("file://{}", bare.display()), "main"],
            None,
        ));
        let path = repos.next().unwrap();
        ssh_t.push(timed(
            &local,
            &["push", "-q", &forge.ssh_url(&path), "main"],
            Some(&ssh),
        ));
        ssh_paths.push(path);
        for (c, cipher) in ciphers.iter().enumerate() {
            let path = repos.next().unwrap();
            let cmd = forge.ssh_command(&format!("-c {cipher}"));
            cipher_t[c].push(timed(
                &local,
                &["push", "-q", &forge.ssh_url(&path), "main"],
                Some(&cmd),
            ));
        }
    }
    let mut server_ms = Vec::new();
    for p in &ssh_paths {
        server_ms.extend(forge.push_durations(p).await);
    }
    server_ms.sort();
    let (f, s) = (median(&file_t), median(&ssh_t));
    println!();
    println!("## 1. push of the {mb} MiB history ({reps} repetitions, medians)");
    println!(
        "file:// (git receive-pack, no SSH)   {:>8.0} ms   ({})",
        ms(f),
        spread(&file_t)
    );
    println!(
        "Orchard SSH (client default cipher)  {:>8.0} ms   ({})   ratio {:.2}x  (goal <= 1.3x)",
        ms(s),
        spread(&ssh_t),
        ms(s) / ms(f)
    );
    println!(
        "  of which inside the Repository actor (push log, median): {} ms",
        server_ms.get(server_ms.len() / 2).copied().unwrap_or(0)
    );
    for (c, cipher) in ciphers.iter().enumerate() {
        let m = median(&cipher_t[c]);
        println!(
            "Orchard SSH (-c {cipher})  {:>8.0} ms   ({})   ratio {:.2}x",
            ms(m),
            spread(&cipher_t[c]),
            ms(m) / ms(f)
        );
    }

    // 2. Concurrent pushes to one repository vs their serial sum.
    println!();
    println!(
        "## 2. {conc} pushes of one {branch_kb} KiB commit each ({conc_reps} repetitions, medians)"
    );
    let mut one_ratio = Vec::new();
    let (mut one_serial, mut one_conc) = (Vec::new(), Vec::new());
    for rep in 0..conc_reps {
        let serial_repo = forge.create_repo(&format!("serial {rep}")).await;
        let conc_repo = forge.create_repo(&format!("concurrent {rep}")).await;
        for r in [&serial_repo, &conc_repo] {
            timed(
                &local,
                &["push", "-q", &forge.ssh_url(r), "base"],
                Some(&ssh),
            );
        }
        let url_s = |_: usize| forge.ssh_url(&serial_repo);
        let url_c = |_: usize| forge.ssh_url(&conc_repo);
        let (_, sum) = push_many(&local, conc, &url_s, Some(&ssh), false);
        let (wall, _) = push_many(&local, conc, &url_c, Some(&ssh), true);
        one_serial.push(sum);
        one_conc.push(wall);
        one_ratio.push(Duration::from_secs_f64(
            wall.as_secs_f64() / sum.as_secs_f64(),
        ));
    }
    let ratio = median(&one_ratio).as_secs_f64();
    println!(
        "one repository, serial sum            {:>8.0} ms   ({})",
        ms(median(&one_serial)),
        spread(&one_serial)
    );
    println!("one repository, {conc} at once (wall)     {:>8.0} ms   ({})   ratio {ratio:.2}x  (goal <= 1.2x)",
             ms(median(&one_conc)), spread(&one_conc));

    // Context: 20 different repositories, and git's own file:// receive-pack.
    let mut many_s = Vec::new();
    let mut many_c = Vec::new();
    for i in 0..conc {
        many_s.push(forge.create_repo(&format!("many serial {i}")).await);
        many_c.push(forge.create_repo(&format!("many concurrent {i}")).await);
    }
    for r in many_s.iter().chain(many_c.iter()) {
        timed(
            &local,
            &["push", "-q", &forge.ssh_url(r), "base"],
            Some(&ssh),
        );
    }
    let url_ms = |i: usize| forge.ssh_url(&many_s[i]);
    let url_mc = |i: usize| forge.ssh_url(&many_c[i]);
    let (_, sum_many) = push_many(&local, conc, &url_ms, Some(&ssh), false);
    let (wall_many, _) = push_many(&local, conc, &url_mc, Some(&ssh), true);
    println!(
        "{conc} repositories, serial sum         {:>8.0} ms",
        ms(sum_many)
    );
    println!(
        "{conc} repositories, all at once (wall) {:>8.0} ms   ratio {:.2}x",
        ms(wall_many),
        wall_many.as_secs_f64() / sum_many.as_secs_f64()
    );
    let mk = |name: &str| -> PathBuf {
        let p = files.join(name);
        init_bare(&p);
        timed(
            &local,
            &["push", "-q", &format!("file://{}", p.display()), "base"],
            None,
        );
        p
    };
    let (fs_repo, fc_repo) = (mk("conc-serial.git"), mk("conc-concurrent.git"));
    let url_fs = |_: usize| format!("file://{}", fs_repo.display());
    let url_fc = |_: usize| format!("file://{}", fc_repo.display());
    let (_, sum_f) = push_many(&local, conc, &url_fs, None, false);
    let (wall_f, _) = push_many(&local, conc, &url_fc, None, true);
    println!(
        "file:// one repository, serial sum    {:>8.0} ms",
        ms(sum_f)
    );
    println!(
        "file:// one repository, at once       {:>8.0} ms   ratio {:.2}x",
        ms(wall_f),
        wall_f.as_secs_f64() / sum_f.as_secs_f64()
    );

    println!();
    println!(
        "SUMMARY push_ratio={:.2} concurrent_one_repo_ratio={ratio:.2}",
        ms(s) / ms(f)
    );
    forge.stop().await;
    drop(tmp);
}
