//! Small helpers for the scale benchmark: sizes, memory, percentiles, a raw HTTP GET.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

/// Id of the i-th actor.
pub fn actor_id(i: usize) -> String {
    format!("u{i:07}")
}

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .map(|v| v.replace('_', ""))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Bytes used on disk by a directory (`du -sB1`: allocated blocks, what fills a disk).
pub fn du(path: &Path) -> u64 {
    let out = std::process::Command::new("du")
        .arg("-sB1")
        .arg(path)
        .output();
    out.ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .next()
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Free space (GB) of the file system holding `path`.
pub fn free_gb(path: &Path) -> f64 {
    let out = std::process::Command::new("df")
        .arg("-Pk")
        .arg(path)
        .output()
        .expect("df");
    let text = String::from_utf8_lossy(&out.stdout);
    let avail: f64 = text
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    avail / 1024.0 / 1024.0
}

/// A field of /proc/self/status in kB (VmRSS, VmHWM).
pub fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The p-th percentile (0..=100) of a set of durations, nearest rank.
pub fn pct(v: &[Duration], p: f64) -> Duration {
    let mut s = v.to_vec();
    s.sort();
    if s.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
    s[rank.clamp(1, s.len()) - 1]
}

pub fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1048576.0
}

/// GET over a fresh connection; answers the status code (0 if the connection failed).
pub fn http_get_status(addr: std::net::SocketAddr, path: &str) -> u16 {
    let Ok(mut s) = std::net::TcpStream::connect(addr) else {
        return 0;
    };
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return 0;
    }
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).unwrap_or(0);
    let head = String::from_utf8_lossy(&buf[..n]);
    head.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}
