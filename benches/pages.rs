//! Web pages benchmark (issue 16). Run: `ORCHARD_BENCH_BUNDLE=/path/to/repo.bundle cargo bench
//! --bench pages`.
//!
//! Starts an in-process instance, creates a repository through its Factory and pushes the
//! bundle's HEAD over SSH (as the browsing benchmark does), then measures the HTML pages of the
//! repository (repository page, tree, file view with highlighting, commit page with its diff,
//! log) beside the JSON route of the same data, with `ORCHARD_BENCH_READERS` (32) concurrent
//! readers and `ORCHARD_BENCH_REQUESTS` (640) requests per route (p50, p99 of the whole HTTP
//! round trip on this machine). Then the page weight: each page's HTML, the stylesheet and the
//! script, and the weight without the repository's content (the page of an empty repository
//! with the stylesheet and the script).

#[path = "browse/bundle.rs"]
mod bundle;
#[allow(dead_code)]
#[path = "git_push/forge.rs"]
mod forge;
#[path = "browse/measure.rs"]
mod measure;

use bundle::{count, push_bundle};
use forge::Forge;
use measure::{env_usize, rss_mb, sh, Case};
use std::path::Path;

const HTML: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

fn case(name: &str, url: String, accept: Option<&str>) -> Case {
    Case {
        name: name.to_string(),
        url,
        git: None,
        accept: accept.map(str::to_string),
        variants: Vec::new(),
    }
}

/// A source file to show: the first `.rs` (else any) blob of 4 to 64 KiB at `rev`.
fn source_file(bare: &Path, rev: &str) -> String {
    let listing = sh(bare, "git", &["ls-tree", "-r", "-l", rev]);
    let sized = listing.lines().filter_map(|l| {
        let (meta, name) = l.split_once('\t')?;
        let size: u64 = meta.split_whitespace().nth(3)?.parse().ok()?;
        (4096..=65536).contains(&size).then(|| name.to_string())
    });
    let all: Vec<String> = sized.collect();
    (all.iter().find(|n| n.ends_with(".rs")).or(all.first()))
        .cloned()
        .unwrap_or_default()
}

fn cases(base: &str, id: &str, bare: &Path) -> Vec<Case> {
    let head = sh(bare, "git", &["symbolic-ref", "--short", "HEAD"])
        .trim()
        .to_string();
    let hash = sh(bare, "git", &["rev-parse", &head]).trim().to_string();
    let file = source_file(bare, &head);
    let dir = file
        .rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default();
    let (repo, api) = (
        format!("{base}/repos/{id}"),
        format!("{base}/api/v1/repos/{id}"),
    );
    let ap = Some("application/activity+json");
    println!("file shown: {file} (in {dir})");
    vec![
        case("repository page", repo.clone(), Some(HTML)),
        case("repository document (JSON)", repo.clone(), ap),
        case("tree page", format!("{repo}/tree/{head}/{dir}"), Some(HTML)),
        case("tree (JSON API)", format!("{api}/tree/{head}/{dir}"), None),
        case(
            "file page",
            format!("{repo}/blob/{head}/{file}"),
            Some(HTML),
        ),
        case("blob (JSON API)", format!("{api}/blob/{head}/{file}"), None),
        case("commit page", format!("{repo}/commits/{hash}"), Some(HTML)),
        case(
            "commit document (JSON)",
            format!("{repo}/commits/{hash}"),
            ap,
        ),
        case("log page", format!("{repo}/log"), Some(HTML)),
        case(
            "commits (JSON API)",
            format!("{api}/commits?ref={head}"),
            None,
        ),
    ]
}

async fn size(http: &reqwest::Client, url: &str) -> usize {
    let res = http
        .get(url)
        .header("Accept", HTML)
        .send()
        .await
        .expect("GET");
    assert!(res.status().is_success(), "{url}: {}", res.status());
    res.bytes().await.expect("body").len()
}

/// The bytes of each page, and of a page without content.
async fn weights(f: &Forge, cases: &[Case], empty: &str) {
    let http = reqwest::Client::new();
    let css = size(&http, &format!("{}/static/orchard.css", f.url)).await;
    let js = size(&http, &format!("{}/static/orchard.js", f.url)).await;
    println!("\n| page | HTML KB | with CSS and JS KB |");
    println!("| --- | --- | --- |");
    let kb = |n: usize| n as f64 / 1024.0;
    for c in cases.iter().filter(|c| c.accept.as_deref() == Some(HTML)) {
        let html = size(&http, &c.url).await;
        println!(
            "| {} | {:.1} | {:.1} |",
            c.name,
            kb(html),
            kb(html + css + js)
        );
    }
    let bare = size(&http, &format!("{}{empty}", f.url)).await;
    println!(
        "| without content (an empty repository's page) | {:.1} | {:.1} |",
        kb(bare),
        kb(bare + css + js)
    );
    println!("stylesheet {:.1} KB, script {:.1} KB", kb(css), kb(js));
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let Ok(bundle) = std::env::var("ORCHARD_BENCH_BUNDLE") else {
        println!("set ORCHARD_BENCH_BUNDLE to a git bundle (or a repository path) to run the pages benchmark");
        return;
    };
    let tmp = tempfile::Builder::new()
        .prefix("orchard-bench-pages")
        .tempdir()
        .unwrap();
    let root = tmp.path();
    println!("# pages benchmark");
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    println!("cores: {cores}");
    let key = root.join("id_ed25519");
    sh(
        root,
        "ssh-keygen",
        &["-q", "-t", "ed25519", "-N", "", "-f", key.to_str().unwrap()],
    );
    let f = Forge::start(&root.join("data"), &key).await;
    let path = f.create_repo("Browsed").await;
    let empty = f.create_repo("Empty").await;
    push_bundle(&f, root, &bundle, &path);
    let id = path.trim_start_matches("/repos/").to_string();
    let bare = root.join("data").join("repos").join(format!("{id}.git"));
    let readers = env_usize("ORCHARD_BENCH_READERS", 32);
    let requests = env_usize("ORCHARD_BENCH_REQUESTS", 640);
    let cases = cases(&f.url, &id, &bare);
    println!(
        "\nrepository: {} commits; {readers} concurrent readers, {requests} requests per route",
        count(&bare)
    );
    println!("| route | p50 ms | p99 ms | git command | git median ms |");
    println!("| --- | --- | --- | --- | --- |");
    for case in &cases {
        measure::run(case, &bare, readers, requests, 0).await;
    }
    weights(&f, &cases, &empty).await;
    println!(
        "RSS of the bench process (instance in-process): {:.0} MB",
        rss_mb()
    );
    f.stop().await;
}
