//! Browsing benchmark (issue 15). Run: `ORCHARD_BENCH_BUNDLE=/path/to/repo.bundle cargo bench
//! --bench browse`.
//!
//! Starts an in-process instance (so memory is the RSS of this process, before and after),
//! creates a repository through its Factory, pushes the bundle's HEAD (as `main`) and its branches
//! over SSH, then measures each read route over HTTP with `ORCHARD_BENCH_READERS` (32) concurrent
//! readers (`ORCHARD_BENCH_REQUESTS` (640) requests per route: p50, p99) against the `git`
//! command line doing the same on the same bare repository in the same run (`git log -50`,
//! `git log -50 -- <path>`, `git ls-tree`, `git cat-file -p`, `git diff A..B`: the median of
//! `ORCHARD_BENCH_GIT_REPS` (20) runs one after another). A route that does not answer 200 is
//! skipped with a note. `ORCHARD_BENCH_ONLY` (route names, comma-separated) measures only those.
//! Data lives in a temporary directory removed at the end.

#[path = "browse/bundle.rs"]
mod bundle;
#[allow(dead_code)]
#[path = "git_push/forge.rs"]
mod forge;
#[path = "browse/measure.rs"]
mod measure;
#[path = "browse/routes.rs"]
mod routes;

use bundle::{count, push_bundle};
use forge::Forge;
use measure::{env_usize, rss_mb, sh};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let Ok(bundle) = std::env::var("ORCHARD_BENCH_BUNDLE") else {
        println!("set ORCHARD_BENCH_BUNDLE to a git bundle (or a repository path) to run the browsing benchmark");
        return;
    };
    let tmp = tempfile::Builder::new()
        .prefix("orchard-bench-browse")
        .tempdir()
        .unwrap();
    let root = tmp.path();
    println!("# browse benchmark");
    println!(
        "{} | cores: {}",
        sh(root, "git", &["--version"]).trim(),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    let key = root.join("id_ed25519");
    sh(
        root,
        "ssh-keygen",
        &["-q", "-t", "ed25519", "-N", "", "-f", key.to_str().unwrap()],
    );
    let rss_start = rss_mb();
    let f = Forge::start(&root.join("data"), &key).await;
    let path = f.create_repo("Browsed").await;
    push_bundle(&f, root, &bundle, &path);
    let id = path.trim_start_matches("/repos/").to_string();
    let bare = root.join("data").join("repos").join(format!("{id}.git"));
    assert!(
        bare.exists(),
        "the bare repository is at {}",
        bare.display()
    );
    let rss_pushed = rss_mb();
    let readers = env_usize("ORCHARD_BENCH_READERS", 32);
    let requests = env_usize("ORCHARD_BENCH_REQUESTS", 640);
    let reps = env_usize("ORCHARD_BENCH_GIT_REPS", 20);
    let mut cases = routes::cases(&f.url, &id, &bare);
    cases.extend(routes::listing_cases(&f.url, &id));
    cases.extend(routes::first_read_cases(&f.url, &id, &bare, requests));
    // `ORCHARD_BENCH_ONLY=compare,commits?path` measures only the routes named.
    if let Ok(only) = std::env::var("ORCHARD_BENCH_ONLY") {
        let names: Vec<&str> = only.split(',').collect();
        cases.retain(|c| names.contains(&c.name.as_str()));
    }
    println!(
        "\nrepository: {} commits; {readers} concurrent readers, {requests} requests per route",
        count(&bare)
    );
    println!("| route | p50 ms | p99 ms | git command | git median ms |");
    println!("| --- | --- | --- | --- | --- |");
    for case in &cases {
        measure::run(case, &bare, readers, requests, reps).await;
    }
    let rss_end = rss_mb();
    println!("\nRSS of the bench process (instance in-process): start {rss_start:.0} MB, after the push {rss_pushed:.0} MB, after the reads {rss_end:.0} MB");
    f.stop().await;
}
