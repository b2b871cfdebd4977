use super::*;
use crate::base::kind::ActorKind;
use crate::browse::revision::{open, resolve_commit};
use crate::browse::test_repo::TestRepo;

fn hashes(page: &LogPage) -> Vec<String> {
    page.commits.iter().map(|c| c.hash.clone()).collect()
}

/// Every page of the log of `rev` (filtered by `path`), `limit` at a time, concatenated.
fn all_pages(t: &TestRepo, rev: &str, path: &[&str], limit: usize) -> Vec<String> {
    let repo = open(&t.git_dir()).unwrap();
    let urls = Urls::new(url::Url::parse("http://127.0.0.1:7000").unwrap());
    let r = ActorRef::new(ActorKind::Repository, "r");
    let tip = resolve_commit(&repo, rev).unwrap();
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let q = LogQuery {
            tip,
            after,
            path,
            limit,
        };
        let page = page(&repo, &urls, &r, &q).unwrap();
        out.extend(hashes(&page));
        match page.next {
            Some(next) => after = Some(Cursor::parse(&next).unwrap().after),
            None => return out,
        }
    }
}

fn git_log(t: &TestRepo, args: &[&str]) -> Vec<String> {
    let mut full = vec!["log", "--format=%H"];
    full.extend_from_slice(args);
    t.git(&full).lines().map(str::to_string).collect()
}

/// Commits with distinct times, so git's order is the committer-time order.
fn commit_at(t: &TestRepo, minute: u32, files: &[(&str, Option<&[u8]>)], message: &str) {
    for (path, content) in files {
        std::fs::create_dir_all(t.work.join(path).parent().unwrap()).unwrap();
        std::fs::write(t.work.join(path), content.unwrap()).unwrap();
    }
    let date = format!("2026-01-01T00:{minute:02}:00Z");
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.org",
            "add",
            "-A",
        ])
        .current_dir(&t.work)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
        .args(["commit", "-q", "--allow-empty", "-m", message])
        .current_dir(&t.work)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pages_of_a_history_with_merges_are_git_log() {
    let t = TestRepo::new();
    for i in 0..7 {
        commit_at(&t, i, &[("a.txt", Some(format!("{i}").as_bytes()))], "main");
    }
    t.git(&["checkout", "-q", "-b", "side", "HEAD~3"]);
    for i in 7..12 {
        commit_at(
            &t,
            i,
            &[("lib/b.txt", Some(format!("{i}").as_bytes()))],
            "side",
        );
    }
    t.git(&["checkout", "-q", "main"]);
    commit_at(&t, 12, &[("a.txt", Some(b"12"))], "main again");
    t.git(&[
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@example.org",
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "merge",
        "side",
    ]);
    let expected = git_log(&t, &["main"]);
    for limit in [1, 2, 5, 50] {
        assert_eq!(all_pages(&t, "main", &[], limit), expected, "limit {limit}");
    }
    let touching = git_log(&t, &["--full-history", "main", "--", "lib/b.txt"]);
    let ours = all_pages(&t, "main", &["lib", "b.txt"], 2);
    let no_merges: Vec<String> = touching
        .into_iter()
        .filter(|h| {
            t.git(&["rev-list", "--parents", "-n1", h])
                .split(' ')
                .count()
                == 2
        })
        .collect();
    assert_eq!(
        ours, no_merges,
        "the path filter lists what changed the path"
    );
    assert_eq!(
        all_pages(&t, "main", &["lib"], 3),
        no_merges,
        "a directory too"
    );
    assert!(all_pages(&t, "main", &["nothing"], 3).is_empty());
}

#[test]
fn cursors_round_trip_and_refuse_garbage() {
    let id = gix::ObjectId::from_hex("ab".repeat(20).as_bytes()).unwrap();
    let c = Cursor { tip: id, after: id };
    assert_eq!(Cursor::parse(&c.to_string()).unwrap(), c);
    for bad in [
        "",
        "x",
        "ab.cd",
        &"AB".repeat(20),
        &format!("{}.{}", "ab".repeat(20), "zz".repeat(20)),
    ] {
        assert!(
            matches!(Cursor::parse(bad), Err(ActorError::Invalid(_))),
            "{bad:?}"
        );
    }
}
