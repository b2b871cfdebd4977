use super::*;
use crate::browse::test_repo::TestRepo;

#[test]
fn ref_names_follow_gits_rules() {
    for good in [
        "main",
        "feature/x",
        "v1.0",
        "refs/heads/main",
        "HEAD",
        "a-b_c",
    ] {
        assert!(check_ref(good).is_ok(), "{good}");
    }
    for bad in [
        "", "a..b", "a b", "x~1", "x^", "@{-1}", "a:b", "/a", "a/", "a//b", "a.lock", "..", "*",
        "a\\b", "\u{7}",
    ] {
        assert!(
            matches!(check_ref(bad), Err(ActorError::Invalid(_))),
            "{bad:?}"
        );
    }
    assert!(check_ref(&"a".repeat(MAX_NAME + 1)).is_err());
}

#[test]
fn paths_refuse_dots_empty_components_and_nul() {
    assert_eq!(check_path("").unwrap(), Vec::<&str>::new());
    assert_eq!(check_path("/").unwrap(), Vec::<&str>::new());
    assert_eq!(check_path("src/main.rs").unwrap(), vec!["src", "main.rs"]);
    assert_eq!(check_path("src/").unwrap(), vec!["src"]);
    for bad in ["..", "a/../b", "./a", "a//b", "a/\0"] {
        assert!(
            matches!(check_path(bad), Err(ActorError::Invalid(_))),
            "{bad:?}"
        );
    }
}

#[test]
fn revisions_resolve_to_commits_or_say_what_is_missing() {
    let t = TestRepo::new();
    let first = t.commit(&[("a.txt", Some(b"one\n"))], "first");
    t.git(&["tag", "-a", "-m", "release", "v1"]);
    t.git(&["checkout", "-q", "-b", "feature/x"]);
    let second = t.commit(&[("a.txt", Some(b"two\n"))], "second");
    t.git(&["checkout", "-q", "main"]);
    let repo = open(&t.git_dir()).unwrap();
    let hex = |id: gix::ObjectId| id.to_hex().to_string();
    assert_eq!(hex(resolve_commit(&repo, "main").unwrap()), first);
    assert_eq!(hex(resolve_commit(&repo, "HEAD").unwrap()), first);
    assert_eq!(
        hex(resolve_commit(&repo, "v1").unwrap()),
        first,
        "annotated tag peeled"
    );
    assert_eq!(hex(resolve_commit(&repo, "feature/x").unwrap()), second);
    assert_eq!(
        hex(resolve_commit(&repo, "refs/heads/feature/x").unwrap()),
        second
    );
    assert_eq!(hex(resolve_commit(&repo, &second).unwrap()), second);
    assert!(matches!(
        resolve_commit(&repo, "nope"),
        Err(ActorError::NotFound(_))
    ));
    assert!(matches!(
        resolve_commit(&repo, &"0".repeat(40)),
        Err(ActorError::NotFound(_))
    ));
    assert!(matches!(
        resolve_commit(&repo, "main~1"),
        Err(ActorError::Invalid(_))
    ));
    let tree = t.git(&["rev-parse", "main^{tree}"]);
    assert!(
        matches!(resolve_commit(&repo, &tree), Err(ActorError::NotFound(_))),
        "a tree is not a commit"
    );
}

#[test]
fn specs_split_at_the_longest_ref() {
    let t = TestRepo::new();
    let first = t.commit(&[("src/lib.rs", Some(b"x\n"))], "first");
    t.git(&["branch", "feature/x"]);
    let repo = open(&t.git_dir()).unwrap();
    let (id, rev, path) = split_spec(&repo, "feature/x/src/lib.rs").unwrap();
    assert_eq!(
        (id.to_hex().to_string(), rev, path),
        (first.clone(), "feature/x", "src/lib.rs")
    );
    let (_, rev, path) = split_spec(&repo, "main").unwrap();
    assert_eq!((rev, path), ("main", ""));
    let (_, rev, path) = split_spec(&repo, "main/src/").unwrap();
    assert_eq!((rev, path), ("main", "src/"));
    assert!(matches!(
        split_spec(&repo, "nope/src"),
        Err(ActorError::NotFound(_))
    ));
    assert!(matches!(
        split_spec(&repo, "main/../etc/passwd"),
        Err(ActorError::Invalid(_))
    ));
    assert!(matches!(
        split_spec(&repo, "a..b/x"),
        Err(ActorError::Invalid(_))
    ));
}
