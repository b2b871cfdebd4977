//! The federation benchmark's summary: each section's figures beside the references of the same
//! run, with their goals, and the Markdown rows for BENCHMARKS.md.

use crate::common::ms;
use crate::crypto::SignRefs;
use crate::references::{show, Pattern};
use crate::verify_refs::VerifyRefs;
use crate::{fanout, inbox};
use std::time::Duration;

/// "met" or "NOT met".
fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}

/// The inbox rounds against the verification rates (and sled's flush, when measured); pushes a
/// Markdown row per round onto `md`.
pub fn inbox(
    o: &inbox::Outcome,
    cfg: &inbox::Config,
    v: &VerifyRefs,
    flush: Option<&(Duration, Duration, Vec<Pattern>)>,
    md: &mut Vec<String>,
) {
    println!(
        "Inbox (N={} per round, {} senders, {} recipients, setup {:.1} s; Orchard [federation]: {}):",
        cfg.n,
        cfg.senders,
        cfg.recipients,
        o.setup.as_secs_f64(),
        o.federation
    );
    println!(
        "  {:>3} | {:>8} | {:>8} | {:>7} | {:>7} | {:>4} | {:>7} | {:>9} | {:>9} | {:>9} | {:>8} | goals",
        "c", "activ./s", "% verify", "p50 ms", "p99 ms", "lost", "non-2xx", "µs CPU/a", "srv µs/a", "idle proj", "idle %v"
    );
    for r in &o.rounds {
        inbox_row(r, v, md);
    }
    println!("  % verify: of the aws-lc-rs verification rate on 2 threads in this run; µs CPU/a: this process (server and load generator) per activity; srv µs/a: Orchard's threads only; idle proj: 2 cores / µs CPU per activity, what an otherwise idle 2-core machine would do if CPU-bound; idle %v: that, of 2 idle cores' aws-lc-rs verification rate");
    println!("  goals: >=5,000/s, >=50 % of the verification rate, p99 < 20 ms, zero lost and every POST 2xx (y = met)");
    if let Some((p50, p99, patterns)) = flush {
        let shown: Vec<String> = patterns
            .iter()
            .map(|(p, k, cpu, _, w)| format!("{p} k={k}: {cpu:.0} µs, {w:.1} writes"))
            .collect();
        println!(
            "  context: one sled flush (fsync) p50 {:.2} ms / p99 {:.2} ms; sled alone per stored activity: {}",
            ms(*p50),
            ms(*p99),
            shown.join("; ")
        );
    }
}

/// One inbox round's line, and its Markdown row.
fn inbox_row(r: &inbox::Round, v: &VerifyRefs, md: &mut Vec<String>) {
    let pct = 100.0 * r.per_sec / v.aws_2.wall;
    let non2xx = r.sent - r.ok;
    let cpu_us = r.cpu.total * 1e6 / r.ok.max(1) as f64;
    let server_us = r.server_cpu() * 1e6 / r.ok.max(1) as f64;
    let idle = 2e6 / cpu_us;
    let idle_pct = 100.0 * idle / v.aws_1.idle2();
    let rsa_pct = 100.0 * r.per_sec / v.rsa_2.wall;
    let goals = [
        r.per_sec >= 5000.0,
        pct >= 50.0,
        ms(r.p99) < 20.0,
        r.lost == 0 && r.ok == r.sent,
    ];
    let g: String = goals.iter().map(|m| if *m { 'y' } else { 'n' }).collect();
    println!(
        "  {:>3} | {:>8.0} | {:>7.1}% | {:>7.2} | {:>7.2} | {:>4} | {:>7} | {:>9.0} | {:>9.0} | {:>9.0} | {:>7.1}% | {g}",
        r.concurrency, r.per_sec, pct, ms(r.p50), ms(r.p99), r.lost, non2xx, cpu_us, server_us, idle, idle_pct
    );
    md.push(format!(
        "| inbox c={} | **{:.0} activities/s** | {:.1} % of aws-lc-rs verification on 2 threads ({:.0}/s); {:.0} % of the rsa crate's ({:.0}/s) | p50 {:.2} ms, p99 {:.2} ms | lost {} of {} 2xx | server {:.0} µs CPU per activity (verification {:.0} µs = {:.0} %); projected on 2 idle cores {:.0}/s = {:.1} % of the verification ceiling there | >= 5,000/s: {}; >= 50 %: {}; p99 < 20 ms: {}; zero lost: {} |",
        r.concurrency, r.per_sec, pct, v.aws_2.wall, rsa_pct, v.rsa_2.wall, ms(r.p50), ms(r.p99), r.lost, r.ok,
        server_us, v.aws_1.cpu_us(), 100.0 * v.aws_1.cpu_us() / server_us, idle, idle_pct,
        verdict(goals[0]), verdict(goals[1]), verdict(goals[2]), verdict(goals[3])
    ));
}

/// The verification references' Markdown row.
pub fn verify_row(v: &VerifyRefs, md: &mut Vec<String>) {
    md.push(format!(
        "| reference: verify | aws-lc-rs {} (1 thread), {} (2 threads); rsa crate {} (1 thread), {} (2 threads) | Orchard's checks without HTTP/storage: {} (2 threads), {:.1} µs CPU each | | | | |",
        show(v.aws_1), show(v.aws_2), show(v.rsa_1), show(v.rsa_2), show(v.pipeline_2), v.pipeline_2.cpu_us()
    ));
}

/// The fan-out against the signing rates; pushes its Markdown row onto `md`.
pub fn fanout(o: &fanout::Outcome, s: &SignRefs, md: &mut Vec<String>) {
    let raw = o.followers as f64 / s.aws_1.wall;
    let main_us = o.main_cpu * 1e6 / o.delivered.max(1) as f64;
    let met = o.from_end < 2.0 && o.distinct == o.followers && o.invalid == 0;
    println!(
        "Fan-out ({} remote inboxes, no shared inbox, setup {:.1} s; Orchard [federation]: {}):",
        o.followers,
        o.setup.as_secs_f64(),
        o.federation
    );
    println!(
        "  push returned -> last verified delivery {:.3} s (goal < 2 s: {}); from push start {:.3} s (git push itself {:.3} s); first to last delivery {:.3} s",
        o.from_end,
        verdict(met),
        o.from_start,
        o.push_secs,
        o.spread
    );
    println!(
        "  {:.0} deliveries/s (first to last); {} delivered to {} distinct inboxes, {} invalid signatures; the receivers fetched Orchard's key {} time(s)",
        o.delivered as f64 / o.spread.max(1e-9),
        o.delivered,
        o.distinct,
        o.invalid,
        o.key_fetches
    );
    println!(
        "  vs {} aws-lc-rs signatures at this run's raw rate ({:.3} s on 1 thread, {:.3} s on 2): push end to last {:.2}x, first to last {:.2}x (1 thread)",
        o.followers,
        raw,
        o.followers as f64 / s.aws_2.wall,
        o.from_end / raw,
        o.spread / raw,
    );
    println!(
        "  Orchard's delivery thread spent {:.0} µs CPU per delivery, of which signing ~{:.0} µs ({:.0} %)",
        main_us,
        s.aws_1.cpu_us(),
        100.0 * s.aws_1.cpu_us() / main_us
    );
    md.push(format!(
        "| fan-out {} inboxes, per_host {} | **{:.3} s** from push end to the last verified delivery ({:.3} s from push start; first to last {:.3} s) | {:.2}x the time of {} aws-lc-rs signatures on 1 thread ({:.3} s) | {:.0} deliveries/s | {} distinct inboxes, {} invalid | delivery thread {:.0} µs CPU per delivery, signing {:.0} µs ({:.0} %) | < 2 s: {} |",
        o.followers, o.per_host, o.from_end, o.from_start, o.spread, o.from_end / raw, o.followers, raw,
        o.delivered as f64 / o.spread.max(1e-9), o.distinct, o.invalid,
        main_us, s.aws_1.cpu_us(), 100.0 * s.aws_1.cpu_us() / main_us, verdict(met)
    ));
}

/// The signing references' Markdown row.
pub fn sign_row(s: &SignRefs, md: &mut Vec<String>) {
    md.push(format!(
        "| reference: sign | aws-lc-rs {} (1 thread), {} (2 threads) | rsa crate blinded {} (1 thread) | | | | |",
        show(s.aws_1), show(s.aws_2), show(s.rsa_blinded_1)
    ));
}
