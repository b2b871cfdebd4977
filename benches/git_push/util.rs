//! Small helpers of the push benchmark: sizes from the environment, medians and spreads, free
//! space and tool versions, and a batch of pushes (at once or one after another).

use crate::history::timed;
use std::path::Path;
use std::time::{Duration, Instant};

/// A size from the environment, or `default`.
pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The median of `v`.
pub fn median(v: &[Duration]) -> Duration {
    let mut s = v.to_vec();
    s.sort();
    s[s.len() / 2]
}

/// `d` in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The min and max of `v`, for the report.
pub fn spread(v: &[Duration]) -> String {
    let mut s = v.to_vec();
    s.sort();
    format!("min {:.0} / max {:.0} ms", ms(s[0]), ms(s[s.len() - 1]))
}

/// Free space under `path`, in GB.
pub fn free_gb(path: &Path) -> f64 {
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

/// What `cmd arg` prints (a tool's version).
pub fn version(cmd: &str, arg: &str) -> String {
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

/// Pushes `branches` (one process each) to `url(i)`, all at once or one after another.
/// Answers (wall time of the whole, sum of the individual times).
pub fn push_many(
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
