use super::*;
use crate::browse::revision::open;
use crate::browse::test_repo::TestRepo;

fn history() -> TestRepo {
    let t = TestRepo::new();
    let long: String = (0..30).map(|i| format!("line {i}\n")).collect();
    t.commit(
        &[("a.txt", Some(long.as_bytes())), ("b.txt", Some(b"b\n"))],
        "base",
    );
    t.git(&["checkout", "-q", "-b", "feature/x"]);
    t.commit(
        &[("a.txt", None), ("moved/a.txt", Some(long.as_bytes()))],
        "move a",
    );
    t.commit(&[("logo.png", Some(b"\x89PNG\x00\x01"))], "add a logo");
    t.commit(&[("b.txt", Some(b"b\nmore\n"))], "extend b");
    t.git(&["checkout", "-q", "main"]);
    t.commit(&[("c.txt", Some(b"only on main\n"))], "main moves on");
    t
}

#[test]
fn three_dots_list_heads_commits_and_diff_from_the_merge_base() {
    let t = history();
    let c = compare(
        &open(&t.git_dir()).unwrap(),
        "main",
        "feature/x",
        &DiffLimits::default(),
    )
    .unwrap();
    let log = t.git(&["log", "--format=%H", "main..feature/x"]);
    let ours: Vec<&str> = c.commits.iter().map(|c| c.hash.as_str()).collect();
    assert_eq!(ours, log.lines().collect::<Vec<_>>());
    assert!(!c.commits_truncated);
    assert_eq!(c.commits[0].summary, "extend b");
    assert_eq!(c.commits[0].author_email, "tess@example.org");
    assert_eq!(c.merge_base, t.git(&["merge-base", "main", "feature/x"]));
    assert_eq!(c.head_commit, t.git(&["rev-parse", "feature/x"]));
    let git = t.git(&["diff", "-M", "main...feature/x"]);
    assert_eq!(c.diff.text().trim_end(), git);
    assert!(c
        .diff
        .files
        .iter()
        .all(|f| f.new_path.as_deref() != Some("c.txt")));
    let json = serde_json::to_value(&c).unwrap();
    let paths: Vec<&str> = c
        .diff
        .files
        .iter()
        .filter_map(|f| f.new_path.as_deref())
        .collect();
    assert_eq!(paths, ["b.txt", "logo.png", "moved/a.txt"]);
    assert_eq!(json["files"][2]["status"], "renamed");
    assert_eq!(json["files"][2]["old_path"], "a.txt");
    assert_eq!(json["files"][2]["binary"], false);
    assert_eq!(json["files"][1]["binary"], true);
    assert_eq!(json["files"][1]["hunks"].as_array().unwrap().len(), 0);
    assert_eq!(json["truncated"], false);
}

#[test]
fn ranges_and_names_are_checked() {
    let t = history();
    let limits = DiffLimits::default();
    assert_eq!(
        parse_range("main...feature/x").unwrap(),
        ("main", "feature/x")
    );
    for bad in [
        "main..feature/x",
        "main",
        "...main",
        "main...",
        "main...a..b",
        "ma in...x",
    ] {
        assert!(
            matches!(parse_range(bad), Err(ActorError::Invalid(_))),
            "{bad}"
        );
    }
    match compare(&open(&t.git_dir()).unwrap(), "main", "nope", &limits) {
        Err(ActorError::NotFound(m)) => assert!(m.contains("nope"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        compare(&open(&t.git_dir()).unwrap(), "main~1", "main", &limits),
        Err(ActorError::Invalid(_))
    ));
    let same = compare(&open(&t.git_dir()).unwrap(), "main", "main", &limits).unwrap();
    assert!(same.commits.is_empty() && same.diff.files.is_empty());
}

#[test]
fn unrelated_histories_have_no_merge_base() {
    let t = history();
    t.git(&["checkout", "-q", "--orphan", "other"]);
    t.commit(&[("z.txt", Some(b"z\n"))], "elsewhere");
    match compare(
        &open(&t.git_dir()).unwrap(),
        "main",
        "other",
        &DiffLimits::default(),
    ) {
        Err(ActorError::NotFound(m)) => assert!(m.contains("common ancestor"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn commits_are_capped() {
    let t = history();
    t.git(&["checkout", "-q", "feature/x"]);
    for i in 0..MAX_COMMITS {
        t.git(&["commit", "-q", "--allow-empty", "-m", &format!("empty {i}")]);
    }
    let c = compare(
        &open(&t.git_dir()).unwrap(),
        "main",
        "feature/x",
        &DiffLimits::default(),
    )
    .unwrap();
    assert_eq!(c.commits.len(), MAX_COMMITS);
    assert!(c.commits_truncated);
}
