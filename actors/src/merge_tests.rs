//! Tests of `kinds::repository_merge`: a Repository actor over an in-memory store and a real bare
//! repository, filled by `git push` from a work tree (`browse::test_repo`), sent `Merge` as the
//! git-job worker sends it; then its branch, push log and outbox are read.

use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorKind;
use crate::browse::test_repo::TestRepo;
use crate::kinds::repository::Repository;
use crate::kinds::repository_git::GetPushLog;
use crate::kinds::repository_merge::{Merge, MergeResult};
use crate::kinds::repository_merge_git::{self as merge_git, Ident, MergeSpec, Plan};
use crate::testing::TestActor;
use actix::prelude::*;
use std::path::PathBuf;

const BY: &str = "https://b.example/people/alice";

/// A merge refused: head, branch, fast-forward only, the error's variant, what it says.
type Refusal<'a> = (&'a str, &'a str, bool, &'a str, &'a str);

/// A bare repository `repo` behind its actor, and a work tree that pushes to it.
struct Fixture {
    _repos: tempfile::TempDir,
    work: TestRepo,
    bare: PathBuf,
    view: TestActor,
}

impl Fixture {
    /// `main` at a base commit holding `f` (line "base"), pushed.
    fn new() -> Fixture {
        let repos = tempfile::tempdir().unwrap();
        let view = TestActor::with_repos(ActorKind::Repository, "repo", repos.path().into());
        let bare = crate::kinds::creation::repo_path(&view.core.env, "repo");
        crate::kinds::creation::git_init_bare(&bare).unwrap();
        let work = TestRepo::new();
        work.commit(&[("f", Some(b"base\n"))], "base");
        let fixture = Fixture {
            _repos: repos,
            work,
            bare,
            view,
        };
        fixture.push(&["main"]);
        fixture
    }

    fn push(&self, branches: &[&str]) {
        let bare = self.bare.to_str().unwrap();
        let mut args = vec!["push", "-q", "-f", bare];
        args.extend(branches);
        self.work.git(&args);
    }

    /// A commit on `branch` (made from `from`) writing `file`, pushed; its hash.
    fn commit_on(&self, branch: &str, from: &str, file: &str, content: &str) -> String {
        self.work.git(&["checkout", "-q", "-B", branch, from]);
        let hash = self
            .work
            .commit(&[(file, Some(content.as_bytes()))], branch);
        self.push(&[branch]);
        hash
    }

    /// git in the bare repository.
    fn bare_git(&self, args: &[&str]) -> String {
        let dir = format!("--git-dir={}", self.bare.display());
        let mut all = vec![dir.as_str()];
        all.extend(args);
        self.work.git(&all)
    }

    fn main(&self) -> String {
        self.bare_git(&["rev-parse", "refs/heads/main"])
    }

    /// The repository's actor, started; `archived` as its record says.
    fn start(&self, archived: bool) -> Addr<Repository> {
        let mut core = ActorCore::load(&self.view.core.env, &self.view.core.r).unwrap();
        if archived {
            core.record.extra.insert("isArchived".into(), true.into());
        }
        Repository { core }.start()
    }

    async fn merge(&self, head: &str, branch: &str, ff_only: bool) -> Result<MergeResult> {
        let msg = Merge {
            head: head.into(),
            branch: branch.into(),
            message: "Merge feature".into(),
            by: url::Url::parse(BY).unwrap(),
            fast_forward_only: ff_only,
        };
        self.start(false).send(msg).await.unwrap()
    }

    async fn log_len(&self) -> usize {
        self.start(false)
            .send(GetPushLog)
            .await
            .unwrap()
            .unwrap()
            .len()
    }
}

#[actix_rt::test]
async fn a_branch_behind_the_commit_is_fast_forwarded_logged_and_pushed() {
    let fx = Fixture::new();
    let base = fx.main();
    let head = fx.commit_on("feature", "main", "g", "new\n");
    let got = fx.merge(&head, "main", true).await.unwrap();
    let want = MergeResult::Merged {
        commit: head.clone(),
        fast_forward: true,
        before: base.clone(),
    };
    assert_eq!(got, want);
    assert_eq!(fx.main(), head);
    let log = fx.start(false).send(GetPushLog).await.unwrap().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].pusher, BY);
    assert_eq!(log[0].updates[0].name, "refs/heads/main");
    assert_eq!(
        (&log[0].updates[0].before, &log[0].updates[0].after),
        (&base, &head)
    );
    let pushes = fx.view.published();
    assert_eq!(fx.view.published_types(), ["Push"]);
    assert_eq!(pushes[0]["attributedTo"], BY);
    assert_eq!(pushes[0]["hashBefore"], base.as_str());
    assert_eq!(pushes[0]["hashAfter"], head.as_str());
    assert_eq!(pushes[0]["object"]["totalItems"], 1);
}

#[actix_rt::test]
async fn diverged_branches_get_a_merge_commit_with_both_changes() {
    let fx = Fixture::new();
    let theirs = fx.commit_on("feature", "main", "from-feature", "f\n");
    let ours = fx.commit_on("main", "main", "from-main", "m\n");
    let got = fx.merge(&theirs, "main", false).await.unwrap();
    let MergeResult::Merged {
        commit,
        fast_forward: false,
        before,
    } = got
    else {
        panic!("not a merge commit: {got:?}");
    };
    assert_eq!(
        (before.as_str(), fx.main()),
        (ours.as_str(), commit.clone())
    );
    let parents = fx.bare_git(&["show", "-s", "--format=%P", &commit]);
    assert_eq!(parents, format!("{ours} {theirs}"));
    let files = fx.bare_git(&["ls-tree", "--name-only", &commit]);
    assert_eq!(
        files.lines().collect::<Vec<_>>(),
        ["f", "from-feature", "from-main"]
    );
    let who = fx.bare_git(&["show", "-s", "--format=%an <%ae>|%s", &commit]);
    assert_eq!(who, "alice <alice@noreply.b.example>|Merge feature");
    let committer = fx.bare_git(&["show", "-s", "--format=%ce", &commit]);
    assert_eq!(committer, "noreply@orchard.test");
    let push = &fx.view.published()[0];
    assert_eq!(push["hashAfter"], commit.as_str());
    // The merge commit and the one it brought in.
    assert_eq!(push["object"]["totalItems"], 2);
    assert_eq!(fx.log_len().await, 1);
}

#[actix_rt::test]
async fn a_conflict_changes_nothing_and_names_the_paths() {
    let fx = Fixture::new();
    let theirs = fx.commit_on("feature", "main", "f", "theirs\n");
    let ours = fx.commit_on("main", "main", "f", "ours\n");
    let got = fx.merge(&theirs, "main", false).await.unwrap();
    assert_eq!(
        got,
        MergeResult::Conflict {
            paths: vec!["f".into()]
        }
    );
    assert_eq!(fx.main(), ours);
    assert_eq!(fx.log_len().await, 0);
    assert!(fx.view.published().is_empty());
}

#[actix_rt::test]
async fn refusals_change_nothing() {
    let fx = Fixture::new();
    let base = fx.main();
    let theirs = fx.commit_on("feature", "main", "g", "theirs\n");
    fx.commit_on("main", "main", "m", "ours\n");
    let main = fx.main();
    let missing = "0123456789abcdef0123456789abcdef01234567";
    let cases: [Refusal; 7] = [
        (missing, "main", false, "NotFound", "commit"),
        ("abc", "main", false, "Invalid", "commit id"),
        (&theirs, "nope", false, "NotFound", "branch nope"),
        (&theirs, "a..b", false, "Invalid", "not valid"),
        (&theirs, "HEAD", false, "Invalid", "branch name"),
        (&base, "main", false, "Conflict", "nothing to merge"),
        (&theirs, "main", true, "Conflict", "fast-forward"),
    ];
    for (head, branch, ff_only, kind, says) in cases {
        let err = fx.merge(head, branch, ff_only).await.unwrap_err();
        let shown = format!("{err:?}");
        assert!(
            shown.starts_with(kind) && err.to_string().contains(says),
            "{head} {branch}: {shown}"
        );
    }
    assert_eq!(fx.main(), main);
    assert_eq!(fx.log_len().await, 0);
    assert!(fx.view.published().is_empty());
}

#[actix_rt::test]
async fn an_archived_repository_refuses_a_merge() {
    let fx = Fixture::new();
    let base = fx.main();
    let head = fx.commit_on("feature", "main", "g", "new\n");
    let msg = Merge {
        head,
        branch: "main".into(),
        message: String::new(),
        by: url::Url::parse(BY).unwrap(),
        fast_forward_only: false,
    };
    let err = fx.start(true).send(msg).await.unwrap().unwrap_err();
    assert!(matches!(err, ActorError::Forbidden(_)), "{err}");
    assert!(err.to_string().contains("archived"), "{err}");
    assert_eq!(fx.main(), base);
    assert!(fx.view.published().is_empty());
}

/// The actor's mailbox keeps its own pushes from racing a merge; what it cannot hold off
/// (another process writing the directory) is caught by `update-ref`'s old value.
#[test]
fn a_branch_moved_between_plan_and_update_is_left_as_it_is() {
    let fx = Fixture::new();
    let theirs = fx.commit_on("feature", "main", "g", "theirs\n");
    fx.commit_on("main", "main", "m", "ours\n");
    let who = Ident {
        name: "t".into(),
        email: "t@example.org".into(),
    };
    let spec = MergeSpec {
        head: theirs,
        branch: "main".into(),
        message: "m".into(),
        fast_forward_only: false,
        author: who.clone(),
        committer: who,
    };
    let Plan::Write(planned) = merge_git::plan(&fx.bare, &spec).unwrap() else {
        panic!("no merge planned");
    };
    let moved = fx.commit_on("main", "main", "n", "meanwhile\n");
    let err = merge_git::apply(&fx.bare, &planned).unwrap_err();
    assert!(matches!(err, ActorError::Conflict(_)), "{err}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(fx.main(), moved);
}
