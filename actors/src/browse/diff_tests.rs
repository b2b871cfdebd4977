use super::*;
use crate::browse::revision::{open, resolve_commit};
use crate::browse::test_repo::TestRepo;
use std::os::unix::fs::PermissionsExt;

fn tree_of(repo: &gix::Repository, rev: &str) -> gix::ObjectId {
    let commit = resolve_commit(repo, "HEAD").unwrap();
    let commit = match rev {
        "HEAD~1" => repo
            .find_commit(commit)
            .unwrap()
            .parent_ids()
            .next()
            .unwrap()
            .detach(),
        _ => commit,
    };
    repo.find_commit(commit)
        .unwrap()
        .tree_id()
        .unwrap()
        .detach()
}

fn ours(t: &TestRepo, a: &str, b: &str, limits: &DiffLimits) -> TreeDiff {
    let repo = open(&t.git_dir()).unwrap();
    diff_trees(&repo, Some(tree_of(&repo, a)), tree_of(&repo, b), limits).unwrap()
}

/// Git's `diff -M` text, `similarity index` lines left out (git scores similarity differently).
fn without_similarity(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("similarity index"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn numbered(n: usize, changed: &[usize]) -> Vec<u8> {
    let mut out = String::from("int main(void)\n{\n");
    for i in 0..n {
        let mark = if changed.contains(&i) {
            "changed"
        } else {
            "line"
        };
        out.push_str(&format!("    {mark} {i};\n"));
        if i % 10 == 9 {
            out.push_str(&format!("}}\nstatic int f{i}(void)\n{{\n"));
        }
    }
    out.push_str("}\n");
    out.into_bytes()
}

/// Two commits between which every kind of change happens.
fn every_kind_of_change() -> TestRepo {
    let t = TestRepo::new();
    let long: Vec<u8> = (0..40)
        .map(|i| format!("row {i}\n"))
        .collect::<String>()
        .into();
    let mut renamed_edit = long.clone();
    renamed_edit.extend_from_slice(b"one more\n");
    t.commit(
        &[
            ("src/main.c", Some(&numbered(60, &[]))),
            ("gone.txt", Some(b"bye\n")),
            ("moved.txt", Some(&long)),
            ("moved_edit.txt", Some(&long[..long.len() - 7])),
            ("tail.txt", Some(b"a\nb")),
            ("run.sh", Some(b"echo hi\n")),
            ("link", Some(b"target\n")),
            ("bin.dat", Some(b"\x00\x01\x02")),
        ],
        "base",
    );
    let run = t.work.join("run.sh");
    std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::remove_file(t.work.join("link")).unwrap();
    std::os::unix::fs::symlink("somewhere", t.work.join("link")).unwrap();
    t.commit(
        &[
            ("src/main.c", Some(&numbered(60, &[2, 3, 30, 58]))),
            ("gone.txt", None),
            ("moved.txt", None),
            ("new/place.txt", Some(&long)),
            ("moved_edit.txt", None),
            ("edited/place.txt", Some(&renamed_edit)),
            ("tail.txt", Some(b"a\nc")),
            ("empty.txt", Some(b"")),
            ("with space é.txt", Some(b"x\n")),
            ("bin.dat", Some(b"\x00\x01\x03")),
        ],
        "change",
    );
    t
}

#[test]
fn text_equals_git_diff_for_each_kind_of_change() {
    let t = every_kind_of_change();
    let diff = ours(&t, "HEAD~1", "HEAD", &DiffLimits::default());
    let git = t.git(&["diff", "-M", "HEAD~1", "HEAD"]);
    assert_eq!(
        without_similarity(diff.text().trim_end()),
        without_similarity(&git)
    );
    assert!(!diff.truncated);
    let by_path = |p: &str| {
        diff.files
            .iter()
            .find(|f| f.new_path.as_deref() == Some(p) || f.old_path.as_deref() == Some(p))
            .unwrap()
    };
    assert_eq!(by_path("new/place.txt").status, FileStatus::Renamed);
    assert_eq!(by_path("new/place.txt").similarity, Some(100));
    assert_eq!(by_path("edited/place.txt").status, FileStatus::Renamed);
    assert!(by_path("edited/place.txt").similarity.unwrap() >= 50);
    assert_eq!(by_path("gone.txt").status, FileStatus::Deleted);
    assert_eq!(by_path("empty.txt").status, FileStatus::Added);
    assert_eq!(by_path("link").status, FileStatus::TypeChanged);
    assert_eq!(by_path("run.sh").new_mode.as_deref(), Some("100755"));
    let bin = by_path("bin.dat");
    assert!(bin.binary && bin.hunks.is_empty() && bin.additions.is_none());
    let main = by_path("src/main.c");
    assert_eq!((main.additions, main.deletions), (Some(4), Some(4)));
    let numstat = t.git(&["diff", "--numstat", "HEAD~1", "HEAD", "--", "src/main.c"]);
    assert!(numstat.starts_with("4\t4\t"), "{numstat}");
}

#[test]
fn limits_cut_hunks_files_and_big_blobs() {
    let t = TestRepo::new();
    t.commit(
        &[
            ("a.txt", Some(&numbered(500, &[]))),
            ("b.txt", Some(b"b\n")),
        ],
        "base",
    );
    let many: Vec<usize> = (0..500).step_by(20).collect();
    t.commit(
        &[
            ("a.txt", Some(&numbered(500, &many))),
            ("b.txt", Some(b"c\n")),
        ],
        "change",
    );
    let full = ours(&t, "HEAD~1", "HEAD", &DiffLimits::default());
    assert!(!full.truncated && full.files[0].hunks.len() > 5);
    let small = DiffLimits {
        max_file_bytes: 600,
        ..DiffLimits::default()
    };
    let cut = ours(&t, "HEAD~1", "HEAD", &small);
    let a = &cut.files[0];
    assert!(cut.truncated && a.truncated);
    assert!(!a.hunks.is_empty() && a.hunks.len() < full.files[0].hunks.len());
    assert_eq!(a.hunks[..], full.files[0].hunks[..a.hunks.len()]);
    assert_eq!(a.additions, full.files[0].additions, "counts stay whole");
    let one = DiffLimits {
        max_files: 1,
        ..DiffLimits::default()
    };
    let first = ours(&t, "HEAD~1", "HEAD", &one);
    assert_eq!((first.files.len(), first.files_total), (1, 2));
    assert!(first.truncated);
    let no_blobs = DiffLimits {
        max_blob_bytes: 10,
        ..DiffLimits::default()
    };
    let skipped = ours(&t, "HEAD~1", "HEAD", &no_blobs);
    assert!(skipped.files[0].truncated && skipped.files[0].hunks.is_empty());
    assert_eq!(skipped.files[0].additions, None);
    assert!(!skipped.files[1].truncated, "small blobs still diffed");
    let spent = DiffLimits {
        max_total_bytes: 10,
        ..DiffLimits::default()
    };
    let total = ours(&t, "HEAD~1", "HEAD", &spent);
    assert!(total.truncated && total.files.iter().all(|f| f.hunks.is_empty()));
    assert_eq!(total.files.len(), 2, "files are still listed");
}

/// A directory moved with each file edited (the shape of a crate rename), and two files of the
/// same name moved apart: every file is a rename, as `git diff -M` says (its `R` lines).
#[test]
fn a_moved_directory_is_renames_like_git() {
    let t = TestRepo::new();
    let body = |i: usize, edit: &str| -> Vec<u8> {
        (0..30)
            .map(|l| format!("file {i} line {l}\n"))
            .chain(std::iter::once(format!("{edit}\n")))
            .collect::<String>()
            .into_bytes()
    };
    let before: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| (format!("old/src/f{i}.rs"), body(i, "use old;")))
        .chain([
            ("x/mod.rs".to_string(), body(90, "x")),
            ("y/mod.rs".to_string(), body(91, "y")),
        ])
        .collect();
    let files: Vec<(&str, Option<&[u8]>)> = before
        .iter()
        .map(|(p, b)| (p.as_str(), Some(b.as_slice())))
        .collect();
    t.commit(&files, "base");
    let after: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| (format!("new/src/f{i}.rs"), body(i, "use new;")))
        .chain([
            ("x2/mod.rs".to_string(), body(90, "x2")),
            ("y2/mod.rs".to_string(), body(91, "y2")),
        ])
        .collect();
    let mut files: Vec<(&str, Option<&[u8]>)> =
        before.iter().map(|(p, _)| (p.as_str(), None)).collect();
    files.extend(after.iter().map(|(p, b)| (p.as_str(), Some(b.as_slice()))));
    t.commit(&files, "move");
    let diff = ours(&t, "HEAD~1", "HEAD", &DiffLimits::default());
    let git = t.git(&["diff", "-M", "--name-status", "HEAD~1", "HEAD"]);
    let ours: Vec<String> = diff
        .files
        .iter()
        .map(|f| {
            let old = f.old_path.clone().unwrap_or_default();
            let new = f.new_path.clone().unwrap_or_default();
            format!("R {old} {new}")
        })
        .collect();
    let theirs: Vec<String> = git
        .lines()
        .map(|l| {
            let parts: Vec<&str> = l.split('\t').collect();
            format!("{} {} {}", &parts[0][..1], parts[1], parts[2])
        })
        .collect();
    assert_eq!(ours.len(), 42);
    assert_eq!(ours, theirs);
    assert!(diff.files.iter().all(|f| f.status == FileStatus::Renamed));
}
