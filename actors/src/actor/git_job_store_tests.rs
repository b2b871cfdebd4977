//! The store of git jobs and the durable channel: a job is kept from its submit until its
//! asker has its answer, a re-submit replaces it, an origin's check is never kept.

use super::{JobStore, StoredJob};
use crate::actor::git_jobs::{CopyJob, FetchJob, GitJob, GitJobKind, GitJobs, GitSource, MergeJob};
use crate::base::kind::{ActorKind, ActorRef};
use crate::storage::store::Store;
use url::Url;

fn repo(id: &str) -> ActorRef {
    ActorRef::new(ActorKind::Repository, id)
}

fn merge(tag: &str) -> GitJob {
    GitJob {
        tag: tag.into(),
        reply_to: ActorRef::new(ActorKind::PatchTracker, "pt"),
        kind: GitJobKind::Merge(MergeJob {
            repo: repo("r"),
            head: "0".repeat(40),
            branch: "main".into(),
            message: "m".into(),
            by: Url::parse("http://h/people/a").unwrap(),
            fast_forward_only: true,
        }),
    }
}

fn fetch(tag: &str, refspec: &str) -> GitJob {
    GitJob {
        tag: tag.into(),
        reply_to: ActorRef::new(ActorKind::PatchTracker, "pt"),
        kind: GitJobKind::Fetch(FetchJob {
            into: repo("r"),
            source: GitSource::Local(repo("fork")),
            reader: Url::parse("http://h/patch-trackers/pt").unwrap(),
            refspecs: vec![refspec.into()],
        }),
    }
}

fn copy(into: Option<ActorRef>) -> GitJob {
    GitJob {
        tag: "fork-copy http://h/people/b/outbox/1".into(),
        reply_to: repo("f"),
        kind: GitJobKind::Copy(CopyJob {
            into,
            origin: Url::parse("https://b.example/repos/o").unwrap(),
            reader: Url::parse("http://h/people/b").unwrap(),
        }),
    }
}

fn jobs(store: &JobStore) -> Vec<GitJob> {
    store.all().unwrap().into_iter().map(|s| s.job).collect()
}

#[test]
fn a_job_is_kept_until_answered_and_reads_back_whole() {
    let store = JobStore::new(Store::in_memory().unwrap());
    assert!(store.all().unwrap().is_empty());
    let (m, f, c) = (
        merge("merge 1"),
        fetch("rev 1 2", "+a:b"),
        copy(Some(repo("f"))),
    );
    for j in [&m, &f, &c] {
        store.put(j).unwrap();
    }
    let mut kept = jobs(&store);
    kept.sort_by(|a, b| a.tag.cmp(&b.tag));
    assert_eq!(kept, [c.clone(), m.clone(), f.clone()]);
    store.answered(&m).unwrap();
    store.answered(&m).unwrap(); // answering twice is no error
    let left = jobs(&store);
    assert_eq!(left.len(), 2);
    assert!(!left.contains(&m), "{left:?}");
}

#[test]
fn a_resubmit_replaces_and_an_older_answer_keeps_the_newer_job() {
    let store = JobStore::new(Store::in_memory().unwrap());
    let (old, new) = (fetch("rev 1 2", "+a:b"), fetch("rev 1 2", "+c:d"));
    store.put(&old).unwrap();
    store.put(&new).unwrap();
    assert_eq!(
        jobs(&store),
        std::slice::from_ref(&new),
        "one job per asker and tag"
    );
    store.answered(&old).unwrap();
    assert_eq!(
        jobs(&store),
        std::slice::from_ref(&new),
        "the newer job is still waiting"
    );
    store.answered(&new).unwrap();
    assert!(jobs(&store).is_empty());
}

#[test]
fn stored_jobs_are_json_with_actor_names() {
    let stored = StoredJob {
        submitted_ms: 7,
        job: copy(None),
    };
    let text = serde_json::to_value(&stored).unwrap();
    assert_eq!(text["job"]["reply_to"], "repository/f", "{text}");
    assert_eq!(text["job"]["kind"]["Copy"]["into"], serde_json::Value::Null);
    let back: StoredJob = serde_json::from_value(text.clone()).unwrap();
    assert_eq!(back, stored);
    let mut bad = text;
    bad["job"]["reply_to"] = "nobody/x".into();
    assert!(serde_json::from_value::<StoredJob>(bad).is_err());
}

#[test]
fn a_durable_channel_keeps_what_it_hands_over_but_an_origin_check() {
    let store = JobStore::new(Store::in_memory().unwrap());
    let (sender, mut rx) = GitJobs::durable(store.clone());
    sender.submit(merge("merge 1")).unwrap();
    sender.submit(copy(None)).unwrap();
    assert_eq!(rx.try_recv().unwrap(), merge("merge 1"));
    assert_eq!(rx.try_recv().unwrap(), copy(None));
    assert_eq!(jobs(&store), [merge("merge 1")], "the check is not kept");
    // No worker: the submit fails and keeps nothing.
    drop(rx);
    assert!(sender.submit(fetch("rev 1 3", "+a:b")).is_err());
    assert_eq!(jobs(&store), [merge("merge 1")]);
}

#[test]
fn a_plain_channel_delivers_and_keeps_nothing_and_a_disconnected_one_refuses() {
    assert!(GitJobs::disconnected().submit(merge("m")).is_err());
    let (jobs, mut rx) = GitJobs::channel();
    jobs.submit(merge("m")).unwrap();
    assert_eq!(rx.try_recv().unwrap(), merge("m"));
}
