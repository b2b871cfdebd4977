//! The git-job side of merge requests on a `TestActor` whose git jobs go to a channel read by
//! the test (standing in for the worker): an origin branch is fetched before the Accept, a
//! refused fetch rejects the Offer and opens nothing, a Push fetches the next version, an Apply
//! submits a merge whose conflict is a Reject and whose success merges the merge request.

use crate::activities::merge_requests::jobs::done;
use crate::activities::merge_requests::{apply, open, revisions};
use crate::actor::git_jobs::{GitJob, GitJobKind, GitJobReceiver, GitJobs, GitSource};
use crate::actor::git_jobs::{GitJobDone, GitOutcome};
use crate::base::kind::{ActorKind, ActorRef};
use crate::data::merge_requests as mrs;
use crate::testing::{TestActor, BASE};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const BOB: &str = "https://remote.example/people/bob";

fn tracker() -> (TestActor, GitJobReceiver) {
    let mut t = TestActor::new(ActorKind::PatchTracker, "p");
    let (jobs, rx) = GitJobs::channel();
    t.core.env.git_jobs = jobs;
    mrs::set_linked_repositories(&mut t.core.record, vec![format!("{BASE}/repos/game")]);
    t.core.save_record().unwrap();
    (t, rx)
}

fn offer(t: &TestActor, id: &str) -> Value {
    json!({"id": id, "type": "Offer", "actor": BOB, "to": [t.iri()], "target": t.iri(),
        "object": {"type": "Ticket", "summary": "Fix", "attachment": {"type": "Offer",
            "origin": {"type": "Branch", "context": format!("{BASE}/repos/fork"), "ref": "refs/heads/fix"},
            "target": {"type": "Branch", "context": format!("{BASE}/repos/game"), "ref": "refs/heads/main"}}}})
}

/// The last thing published of type `kind`.
fn last(t: &TestActor, kind: &str) -> Value {
    let mut all = t.published().into_iter().filter(|a| a["type"] == kind);
    all.next_back()
        .unwrap_or_else(|| panic!("nothing of type {kind} published"))
}

fn fetched(reference: &str, commit: &str) -> GitOutcome {
    let refs = BTreeMap::from([(reference.to_string(), commit.to_string())]);
    GitOutcome::Fetched { refs }
}

fn answer(t: &mut TestActor, job: &GitJob, outcome: GitOutcome) {
    let tag = job.tag.clone();
    done(&mut t.core, GitJobDone { tag, outcome }).unwrap();
}

#[test]
fn the_origin_is_fetched_before_the_accept_and_a_refusal_opens_nothing() {
    let (mut t, mut rx) = tracker();
    t.receive(offer(&t, "https://remote.example/o/1"), open::received)
        .unwrap();
    assert!(!t.published_types().contains(&"Accept".to_string()));
    assert_eq!(last(&t, "Follow")["object"], format!("{BASE}/repos/fork"));
    let job = rx.try_recv().expect("a fetch job");
    let GitJobKind::Fetch(fetch) = &job.kind else {
        panic!("a fetch")
    };
    assert_eq!(fetch.into, ActorRef::new(ActorKind::Repository, "game"));
    assert_eq!(
        fetch.source,
        GitSource::Local(ActorRef::new(ActorKind::Repository, "fork"))
    );
    assert_eq!(fetch.reader, t.core.iri());
    assert_eq!(
        fetch.refspecs,
        vec!["+refs/heads/fix:refs/merge-requests/1/v1".to_string()]
    );
    answer(&mut t, &job, fetched("refs/merge-requests/1/v1", "abc1"));
    let accept = last(&t, "Accept");
    let mr = format!("{}/merge-requests/1", t.iri());
    assert_eq!(accept["result"], mr);
    let record = crate::data::tickets::load(&t.core, 1).unwrap().unwrap();
    let doc = mrs::document(&t.core, &record, &mrs::load(&t.core, 1).unwrap().unwrap());
    assert_eq!(doc["attachment"]["object"]["target"]["hash"], "abc1");
    let diff = doc["attachment"]["mrDiff"]["href"].as_str().unwrap();
    assert!(
        diff.ends_with("/api/v1/repos/game/compare/main...abc1"),
        "{diff}"
    );

    t.receive(offer(&t, "https://remote.example/o/2"), open::received)
        .unwrap();
    let job = rx.try_recv().expect("a second fetch job");
    answer(&mut t, &job, GitOutcome::Refused("not readable".into()));
    let reject = last(&t, "Reject");
    assert_eq!(reject["object"]["id"], "https://remote.example/o/2");
    assert!(reject["summary"]
        .as_str()
        .unwrap()
        .contains("cannot fetch the origin branch"));
    assert!(crate::data::tickets::load(&t.core, 2).unwrap().is_none());
    assert!(mrs::load(&t.core, 2).unwrap().is_none());
}

#[test]
fn a_push_makes_a_version_and_an_apply_merges_unless_it_conflicts() {
    let (mut t, mut rx) = tracker();
    t.receive(offer(&t, "https://remote.example/o/1"), open::received)
        .unwrap();
    let job = rx.try_recv().unwrap();
    answer(&mut t, &job, fetched("refs/merge-requests/1/v1", "abc1"));
    let fork = format!("{BASE}/repos/fork");
    let push = json!({"id": format!("{fork}/activities/p1"), "type": "Push", "actor": fork,
        "context": fork, "target": {"type": "Branch", "name": "fix", "context": fork}});
    t.receive(push, revisions::pushed).unwrap();
    let job = rx.try_recv().expect("a fetch of version 2");
    let GitJobKind::Fetch(fetch) = &job.kind else {
        panic!("a fetch")
    };
    assert_eq!(
        fetch.refspecs,
        vec!["+refs/heads/fix:refs/merge-requests/1/v2".to_string()]
    );
    answer(&mut t, &job, fetched("refs/merge-requests/1/v2", "def2"));
    let mr = mrs::load(&t.core, 1).unwrap().unwrap();
    assert_eq!(
        (mr.versions.len(), mr.latest().unwrap().commit.as_deref()),
        (2, Some("def2"))
    );

    applies_merge_unless_they_conflict(&mut t, &mut rx);
}

/// An Apply by a holder of `write`: a conflict is a Reject, a merge merges and resolves it.
fn applies_merge_unless_they_conflict(t: &mut TestActor, rx: &mut GitJobReceiver) {
    let admin = url::Url::parse("https://remote.example/people/admin").unwrap();
    let window = crate::data::grants::Window::default();
    let grant =
        crate::grants::issue::issue_grant(&t.core, &admin, schema::Role::Write, None, &window, &[])
            .unwrap();
    let mr_iri = format!("{}/merge-requests/1", t.iri());
    let apply = |id: &str| {
        json!({"id": id, "type": "Apply", "actor": admin, "object": mr_iri,
        "target": {"type": "Branch", "context": format!("{BASE}/repos/game"), "name": "main"},
        "capability": grant})
    };
    t.receive(apply("https://remote.example/a/1"), apply::received)
        .unwrap();
    let job = rx.try_recv().expect("a merge job");
    let GitJobKind::Merge(merge) = &job.kind else {
        panic!("a merge")
    };
    assert_eq!(
        (merge.head.as_str(), merge.branch.as_str()),
        ("def2", "main")
    );
    answer(
        t,
        &job,
        GitOutcome::Conflict {
            paths: vec!["a.txt".into()],
        },
    );
    assert!(last(t, "Reject")["summary"]
        .as_str()
        .unwrap()
        .contains("conflicts in: a.txt"));
    assert!(!mrs::is_merged(&t.core, 1).unwrap());
    t.receive(apply("https://remote.example/a/2"), apply::received)
        .unwrap();
    let job = rx.try_recv().expect("a second merge job");
    let merged = GitOutcome::Merged {
        commit: "m1".into(),
        fast_forward: false,
        before: "0".into(),
    };
    answer(t, &job, merged);
    assert_eq!(
        last(t, "Accept")["object"]["id"],
        "https://remote.example/a/2"
    );
    assert!(mrs::is_merged(&t.core, 1).unwrap());
    assert!(crate::data::tickets::load(&t.core, 1)
        .unwrap()
        .unwrap()
        .resolution
        .is_some());
}

#[test]
fn a_refused_new_version_is_recorded_and_told_to_the_author() {
    let (mut t, mut rx) = tracker();
    t.receive(offer(&t, "https://remote.example/o/1"), open::received)
        .unwrap();
    let job = rx.try_recv().unwrap();
    answer(&mut t, &job, fetched("refs/merge-requests/1/v1", "abc1"));
    let fork = format!("{BASE}/repos/fork");
    let push_id = format!("{fork}/activities/p2");
    let push = json!({"id": push_id, "type": "Push", "actor": fork,
        "context": fork, "target": {"type": "Branch", "name": "fix", "context": fork}});
    t.receive(push, revisions::pushed).unwrap();
    let job = rx.try_recv().expect("a fetch of version 2");
    let why = "git failed: couldn't find remote ref refs/heads/fix";
    answer(&mut t, &job, GitOutcome::Refused(why.into()));
    let mr = mrs::load(&t.core, 1).unwrap().unwrap();
    assert_eq!((mr.versions.len(), mr.refused.as_deref()), (1, Some(why)));
    let reject = last(&t, "Reject");
    assert_eq!(reject["object"]["id"], push_id, "{reject}");
    assert_eq!(reject["context"], format!("{}/merge-requests/1", t.iri()));
    assert!(
        reject.to_string().contains(BOB),
        "sent to the author: {reject}"
    );
    let summary = reject["summary"].as_str().unwrap();
    assert!(
        summary.contains("version 2") && summary.contains(why),
        "{summary}"
    );
}
