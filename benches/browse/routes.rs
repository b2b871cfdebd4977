//! What the browsing benchmark reads: each route with the `git` command doing the same thing on
//! the bare repository, its arguments taken from the repository itself (the default branch, a
//! file and a directory at its root, a range of 20 commits).

use crate::measure::{sh, Case};
use std::path::Path;

fn case(name: &str, url: String, git: Option<&[&str]>) -> Case {
    Case {
        name: name.to_string(),
        url,
        git: git.map(|a| a.iter().map(|s| s.to_string()).collect()),
        accept: None,
        variants: Vec::new(),
    }
}

/// The first root entry of `kind` (`blob`, `tree`) at `rev`.
fn first_entry(bare: &Path, rev: &str, kind: &str) -> String {
    sh(bare, "git", &["ls-tree", rev])
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .find(|(meta, _)| meta.split(' ').nth(1) == Some(kind))
        .map(|(_, name)| name.to_string())
        .unwrap_or_default()
}

pub fn cases(base: &str, id: &str, bare: &Path) -> Vec<Case> {
    let head = sh(bare, "git", &["symbolic-ref", "--short", "HEAD"])
        .trim()
        .to_string();
    let file = first_entry(bare, &head, "blob");
    let dir = first_entry(bare, &head, "tree");
    let old = sh(bare, "git", &["rev-parse", &format!("{head}~20")])
        .trim()
        .to_string();
    let api = format!("{base}/api/v1/repos/{id}");
    let (blob, range) = (format!("{head}:{file}"), format!("{old}..{head}"));
    let log = ["log", "-50", "--format=%H %an %ae %at %s", head.as_str()];
    vec![
        case("refs", format!("{api}/refs"), Some(&["for-each-ref"])),
        case("commits", format!("{api}/commits?ref={head}"), Some(&log)),
        case(
            "commits?path",
            format!("{api}/commits?ref={head}&path={file}"),
            Some(&[
                "log",
                "-50",
                "--format=%H %an %ae %at %s",
                &head,
                "--",
                &file,
            ]),
        ),
        case(
            "tree",
            format!("{api}/tree/{head}/{dir}"),
            Some(&["ls-tree", &head, &format!("{dir}/")]),
        ),
        case(
            "blob",
            format!("{api}/blob/{head}/{file}"),
            Some(&["cat-file", "-p", &blob]),
        ),
        case(
            "raw",
            format!("{api}/raw/{head}/{file}"),
            Some(&["cat-file", "-p", &blob]),
        ),
        case("readme", format!("{api}/readme?ref={head}"), None),
        case(
            "compare",
            format!("{api}/compare/{old}...{head}"),
            Some(&["diff", &range]),
        ),
    ]
}

/// The listing routes and the document (no git equivalent).
pub fn listing_cases(base: &str, id: &str) -> Vec<Case> {
    vec![
        case("repository document", format!("{base}/repos/{id}"), None),
        case(
            "instance repositories",
            format!("{base}/api/v1/repos"),
            None,
        ),
        case(
            "person repositories",
            format!("{base}/api/v1/people/admin/repos"),
            None,
        ),
    ]
}

/// The path filter and the comparison read at `count` different commits each, so that every
/// request is a first read (the server keeps the answers of both by commit ids): what a reader
/// of commits nobody read before waits.
pub fn first_read_cases(base: &str, id: &str, bare: &Path, count: usize) -> Vec<Case> {
    let head = sh(bare, "git", &["symbolic-ref", "--short", "HEAD"])
        .trim()
        .to_string();
    let file = first_entry(bare, &head, "blob");
    let n = (count + 21).to_string();
    let listed = sh(bare, "git", &["rev-list", "-n", &n, &head]);
    let commits: Vec<&str> = listed.lines().collect();
    let api = format!("{base}/api/v1/repos/{id}");
    let pairs = commits.len().saturating_sub(20);
    let compares: Vec<String> = (0..pairs)
        .map(|i| format!("{api}/compare/{}...{}", commits[i + 20], commits[i]))
        .collect();
    let logs: Vec<String> = (0..commits.len())
        .map(|i| format!("{api}/commits?ref={}&path={file}", commits[i]))
        .collect();
    let first_reads = |name: &str, mut urls: Vec<String>| {
        let mut c = case(name, urls.first().cloned().unwrap_or_default(), None);
        c.variants = urls.split_off(urls.len().min(1));
        c
    };
    vec![
        first_reads("commits?path, first reads", logs),
        first_reads("compare, first reads", compares),
    ]
}
