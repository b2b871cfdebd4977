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

#[path = "git_push/concurrent.rs"]
mod concurrent;
#[path = "git_push/forge.rs"]
mod forge;
#[path = "git_push/history.rs"]
mod history;
#[path = "git_push/setup.rs"]
mod setup;
#[path = "git_push/single.rs"]
mod single;
#[path = "git_push/util.rs"]
mod util;

use setup::{set_up, Sizes};
use util::{free_gb, ms, version};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let z = Sizes::from_env();
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

    let b = set_up(&root, &z).await;
    single::ls_remote(&b, &z);
    let (f, s) = single::one_push(&b, &z).await;
    let ratio = concurrent::one_repository(&b, &z).await;
    concurrent::many_repositories(&b, &z).await;
    concurrent::file_repository(&b, &z);

    println!();
    println!(
        "SUMMARY push_ratio={:.2} concurrent_one_repo_ratio={ratio:.2}",
        ms(s) / ms(f)
    );
    b.forge.stop().await;
    drop(tmp);
}
