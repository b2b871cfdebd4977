//! Measuring one route of the browsing benchmark: concurrent HTTP readers (p50, p99) against the
//! median wall time of its `git` command; the RSS of this process; running commands.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One measured route and its `git` reference (None: no git equivalent).
pub struct Case {
    pub name: String,
    pub url: String,
    pub git: Option<Vec<String>>,
    /// The Accept header sent (None: none, the JSON default).
    pub accept: Option<String>,
    /// When not empty, request k reads `variants[k % len]` instead of `url`: as many different
    /// reads (e.g. comparisons of different commits), so that none is answered from the
    /// server's kept answers unless it was read before.
    pub variants: Vec<String>,
}

/// A GET of the case's URL with its Accept header.
fn get(http: &reqwest::Client, url: &str, accept: Option<&str>) -> reqwest::RequestBuilder {
    match accept {
        Some(a) => http.get(url).header("Accept", a),
        None => http.get(url),
    }
}

/// A count from the environment, or `default`.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `cmd args` in `dir`; answers its stdout (panics on failure).
pub fn sh(dir: &Path, cmd: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(cmd)
        .current_dir(dir)
        .args(args)
        .output()
        .expect(cmd);
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The resident set of this process, in MB (0 where /proc is missing).
pub fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

/// Measures `case` and prints its row; a route that does not answer 200 is skipped.
pub async fn run(case: &Case, bare: &Path, readers: usize, requests: usize, reps: usize) {
    let http = reqwest::Client::new();
    let probe = get(&http, &case.url, case.accept.as_deref())
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0);
    if probe != 200 {
        println!(
            "| {} | skipped: answers {probe} here (route not on this branch?) | | | |",
            case.name
        );
        return;
    }
    let latencies = concurrent(&http, case, readers, requests).await;
    let (p50, p99) = (percentile(&latencies, 0.50), percentile(&latencies, 0.99));
    let (git, git_ms) = match &case.git {
        Some(args) => (
            format!("`git {}`", args.join(" ")),
            format!("{:.2}", ms(git_median(bare, args, reps))),
        ),
        None => ("-".to_string(), "-".to_string()),
    };
    println!(
        "| {} | {:.2} | {:.2} | {git} | {git_ms} |",
        case.name,
        ms(p50),
        ms(p99)
    );
}

/// `requests` GETs of the case's URL by `readers` concurrent tasks; answers the latencies, sorted.
async fn concurrent(
    http: &reqwest::Client,
    case: &Case,
    readers: usize,
    requests: usize,
) -> Vec<Duration> {
    let urls = match case.variants.is_empty() {
        true => Arc::new(vec![case.url.clone()]),
        false => Arc::new(case.variants.clone()),
    };
    let left = Arc::new(std::sync::atomic::AtomicUsize::new(requests));
    let mut tasks = Vec::new();
    for _ in 0..readers {
        let (http, urls, left) = (http.clone(), urls.clone(), left.clone());
        let accept = case.accept.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let k = left.fetch_sub(1, std::sync::atomic::Ordering::SeqCst) as isize;
                if k <= 0 {
                    break;
                }
                let url = &urls[k as usize % urls.len()];
                let t = Instant::now();
                let res = get(&http, url, accept.as_deref())
                    .send()
                    .await
                    .expect("GET");
                let status = res.status();
                let _ = res.bytes().await;
                assert!(status.is_success(), "{url}: {status}");
                mine.push(t.elapsed());
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    all
}

/// The median wall time of `git args` in `bare`, run `reps` times one after another.
fn git_median(bare: &Path, args: &[String], reps: usize) -> Duration {
    let mut times: Vec<Duration> = (0..reps.max(1))
        .map(|_| {
            let t = Instant::now();
            let out = std::process::Command::new("git")
                .current_dir(bare)
                .args(args)
                .output()
                .expect("git");
            assert!(out.status.success(), "git {args:?}");
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}
