//! HTTP and SSH are transports only (issue 14): a smart-HTTP clone is run by the Repository
//! actor, as an SSH clone is, so it activates that actor; the clone still works end to end.

mod common;

use common::eventually;
use common::forge::with_repo;
use common::git::{git_in, ok};

#[tokio::test]
async fn a_smart_http_clone_goes_through_the_repository_actor() {
    let (w, _alice, repo) = with_repo("Through").await;
    let registry = w.a.server().registry.clone();
    let r = actors::ActorRef::new(actors::ActorKind::Repository, "through");
    registry.passivate_all();
    assert!(
        eventually(10, || async { !registry.is_active(&r) }).await,
        "the repository actor passivates"
    );
    let tmp = tempfile::tempdir().unwrap();
    ok(git_in(
        tmp.path(),
        &["clone", "-q", &repo, "over-http"],
        None,
    ));
    assert!(tmp.path().join("over-http/.git").is_dir());
    assert!(
        registry.is_active(&r),
        "the clone was served by the Repository actor"
    );
}
