//! Where the cores went during a measured phase, without perf: per-thread CPU time from
//! `/proc/self/task/*/schedstat`, grouped by the role of each thread, plus the process's write
//! syscalls (`/proc/self/io`) and the machine's utilisation (`/proc/stat`).

use std::collections::HashMap;
use std::time::Duration;

/// (tid, name) of every thread of this process.
pub fn thread_names() -> Vec<(u32, String)> {
    let mut out = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc/self/task") {
        for e in dir.flatten() {
            let tid = e.file_name().to_string_lossy().to_string();
            let name = std::fs::read_to_string(format!("/proc/self/task/{tid}/comm"))
                .unwrap_or_default()
                .trim()
                .to_string();
            if let Ok(id) = tid.parse() {
                out.push((id, name));
            }
        }
    }
    out
}

#[derive(Clone, Default)]
pub struct CpuSnapshot {
    /// /proc/self/io: wchar, syscw, write_bytes.
    io: (u64, u64, u64),
    /// tid -> (thread name, CPU ns)
    threads: HashMap<u32, (String, u64)>,
    /// Machine-wide busy and total jiffies (/proc/stat), to see how loaded the machine was.
    machine: (u64, u64),
}

fn thread_cpu_ns(tid: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat")).ok()?;
    s.split_whitespace().next()?.parse().ok()
}

pub fn cpu_snapshot() -> CpuSnapshot {
    let mut threads = HashMap::new();
    for (tid, name) in thread_names() {
        if let Some(ns) = thread_cpu_ns(&tid.to_string()) {
            threads.insert(tid, (name, ns));
        }
    }
    let io_file = "/proc/self/io";
    let io = (
        proc_field(io_file, "wchar:"),
        proc_field(io_file, "syscw:"),
        proc_field(io_file, "write_bytes:"),
    );
    let machine = std::fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|s| {
            let line = s.lines().next()?.to_string();
            let v: Vec<u64> = line
                .split_whitespace()
                .skip(1)
                .filter_map(|x| x.parse().ok())
                .collect();
            let total: u64 = v.iter().take(8).sum();
            let idle = v.get(3).copied().unwrap_or(0) + v.get(4).copied().unwrap_or(0);
            Some((total - idle, total))
        })
        .unwrap_or((0, 0));
    CpuSnapshot {
        io,
        threads,
        machine,
    }
}

/// A `name: number` line of a /proc file.
fn proc_field(file: &str, name: &str) -> u64 {
    std::fs::read_to_string(file)
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l[name.len()..].trim().parse().ok())
        })
        .unwrap_or(0)
}

/// CPU seconds per thread group between two snapshots, busiest first, and the machine's
/// utilisation (all processes) over the same time in percent of all cores.
pub struct CpuReport {
    pub groups: Vec<(String, f64)>,
    /// Every thread: (tid, name, group, CPU s), for `cpu_threads=1`.
    pub threads: Vec<(u32, String, String, f64)>,
    /// Deltas of wchar, syscw, write_bytes (whole process).
    pub io: (u64, u64, u64),
    pub total: f64,
    pub machine_busy_pct: f64,
}

/// Groups a thread name into the role it plays here.
pub fn thread_group(name: &str, extra: &dyn Fn(u32) -> Option<&'static str>, tid: u32) -> String {
    if let Some(g) = extra(tid) {
        return g.to_string();
    }
    let g = if name.starts_with("actix-rt") || name.starts_with("actix-server") {
        "other actix threads (fake remote, acceptors)"
    } else if name.starts_with("orchard-instanc") {
        "orchard main (delivery, signing, outbound HTTP)"
    } else if name.starts_with("orchard-flush") {
        "orchard group-commit flush"
    } else if name.starts_with("bench-client") {
        "bench client (reqwest)"
    } else if name.starts_with("sled-io") {
        "sled IO threads (log writes)"
    } else if name.starts_with("sled") || name.contains("flush") {
        "sled background flusher"
    } else if name.starts_with("remote") {
        "fake remote / receivers"
    } else if name.starts_with("tokio-runtime") {
        "orchard blocking pool"
    } else {
        return format!("other ({name})");
    };
    g.to_string()
}

pub fn cpu_report(
    a: &CpuSnapshot,
    b: &CpuSnapshot,
    extra: &dyn Fn(u32) -> Option<&'static str>,
) -> CpuReport {
    let mut groups: HashMap<String, f64> = HashMap::new();
    let mut threads = Vec::new();
    for (tid, (name, ns)) in &b.threads {
        let before = a.threads.get(tid).map(|x| x.1).unwrap_or(0);
        let d = ns.saturating_sub(before) as f64 / 1e9;
        if d > 0.0 {
            let g = thread_group(name, extra, *tid);
            threads.push((*tid, name.clone(), g.clone(), d));
            *groups.entry(g).or_default() += d;
        }
    }
    threads.sort_by_key(|t| t.0);
    let mut groups: Vec<(String, f64)> = groups.into_iter().collect();
    groups.sort_by(|x, y| y.1.total_cmp(&x.1));
    let total = groups.iter().map(|g| g.1).sum();
    let (busy, all) = (b.machine.0 - a.machine.0, b.machine.1 - a.machine.1);
    CpuReport {
        groups,
        threads,
        io: (
            b.io.0.saturating_sub(a.io.0),
            b.io.1.saturating_sub(a.io.1),
            b.io.2.saturating_sub(a.io.2),
        ),
        total,
        machine_busy_pct: if all > 0 {
            100.0 * busy as f64 / all as f64
        } else {
            0.0
        },
    }
}

impl CpuReport {
    pub fn print(&self, wall: Duration, per_item: Option<(usize, &str)>) {
        let w = wall.as_secs_f64();
        println!(
            "    CPU by thread group over {w:.2} s (this process {:.2} CPU-s = {:.0} % of 2 cores; machine {:.0} % busy, all processes):",
            self.total,
            100.0 * self.total / (2.0 * w),
            self.machine_busy_pct
        );
        for (g, s) in &self.groups {
            if *s < 0.005 {
                continue;
            }
            let per = per_item
                .map(|(n, unit)| format!(", {:.1} µs/{unit}", s * 1e6 / n as f64))
                .unwrap_or_default();
            println!(
                "      {g:<48} {s:>6.2} CPU-s ({:>3.0} % of a core{per})",
                100.0 * s / w
            );
        }
        if std::env::var("BENCH_CPU_THREADS").is_ok_and(|v| v == "1") {
            for (tid, name, g, s) in &self.threads {
                println!("        tid {tid:>7} {name:<16} {s:>6.3} CPU-s  {g}");
            }
        }
        if let Some((n, unit)) = per_item {
            let n = n as f64;
            println!(
                "    I/O (whole process, /proc/self/io): {:.2} write syscalls and {:.0} bytes written per {unit}; {:.0} bytes sent to storage per {unit}",
                self.io.1 as f64 / n,
                self.io.0 as f64 / n,
                self.io.2 as f64 / n,
            );
        }
    }
}

/// The id (`/proc/thread-self`) of the calling thread.
pub fn current_tid() -> Option<u32> {
    std::fs::read_link("/proc/thread-self")
        .ok()?
        .file_name()?
        .to_str()?
        .parse()
        .ok()
}
