//! Durable git jobs for merge requests, and an origin branch on a forge that is not Orchard
//! (`fake_forge`, read at its document's `cloneUri`). bob opens an MR from that branch; the
//! fetch of version 1 is held at the origin when A stops; the job is in A's database; A starts
//! again and the MR is accepted with the fetched commit. Then a merge that was made but whose
//! answer was lost (its job and the tracker's wait put back, as a stop right after the merge
//! leaves them): after a restart the tracker answers the Apply with an Accept again and the
//! branch is not merged twice. Refused: a remote origin with no readable document, or whose
//! `cloneUri` is on another host.

use crate::common::git::{commit, git_in, ok, rev};
use crate::common::Instance;
use crate::fake_forge::FakeForge;
use crate::forge::vector;
use crate::forge::{answer, branch, doc, linked, person, post, remote_head, result, send, site};
use actors::actor::git_job_store::{JobStore, StoredJob};
use actors::actor::git_jobs::{GitJob, GitJobKind, GitSource, MergeJob};
use actors::data::mr_jobs::{PendingJob, Purpose};
use actors::storage::{codec, layout};
use actors::{ActorKind, ActorRef, Store};
use serde_json::{json, Value};

fn store_of(inst: &Instance) -> Store {
    Store::open(&inst.data_dir().join("db")).expect("open the stopped instance's database")
}

/// The last path segment of an actor's IRI (its local id).
fn id_of(iri: &str) -> String {
    iri.rsplit('/').next().unwrap_or_default().to_string()
}

fn now_ms() -> u64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map(|d| d.as_millis() as u64).unwrap_or_default()
}

/// How many answers (Accept or Reject) `from` sent `user` about `id`, and their types.
async fn answers(inst: &Instance, user: &str, from: &str, id: &str) -> Vec<String> {
    let token = inst.login(user).await;
    let inbox = inst.at(&format!("/people/{user}/inbox"));
    let items = inst.collection(&inbox, Some(&token)).await;
    items
        .iter()
        .filter(|v| v["actor"] == from && (v["object"]["id"] == id || v["object"] == id))
        .filter_map(|v| v["type"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn an_mr_from_another_forge_opens_across_a_restart_and_a_lost_merge_answer_is_given() {
    let (mut a, factory) = site("a").await;
    let (alice, alice_on_factory) = person(&a, &factory, "alice").await;
    person(&a, &factory, "bob").await;
    let tmp = tempfile::tempdir().unwrap();
    let alices = (factory.as_str(), alice_on_factory.as_str());
    let l = linked(&a, alices, tmp.path(), None).await;
    let (repo, tracker, alice_work) = (l.repo.as_str(), l.tracker.as_str(), &l.work);
    // bob's branch `fix` on the other forge.
    let bob_work = tmp.path().join("bob");
    let alice_s = alice_work.display().to_string();
    ok(git_in(tmp.path(), &["clone", "-q", &alice_s, "bob"], None));
    ok(git_in(&bob_work, &["checkout", "-q", "-b", "fix"], None));
    commit(&bob_work, "fix.txt", "bob fixes");
    let fix = rev(&bob_work, "fix");
    let forge = FakeForge::start(&bob_work);

    forge.stall(true);
    let offer_id = send(&a, "bob", &offer(&a, tracker, repo, &forge.repo())).await;
    let held = crate::common::eventually(20, || async { forge.stalled() > 0 });
    assert!(
        held.await,
        "the fetch of version 1 reached the origin and waits there"
    );
    assert!(answers(&a, "bob", tracker, &offer_id).await.is_empty());
    a.stop().await;
    let jobs = JobStore::new(store_of(&a)).all().unwrap();
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    let GitJobKind::Fetch(fetch) = &jobs[0].job.kind else {
        panic!("a fetch: {jobs:?}")
    };
    assert_eq!(
        fetch.source,
        GitSource::Remote(forge.repo().parse().unwrap())
    );

    forge.stall(false);
    a.restart().await;
    let opened = answer(&a, "bob", tracker, &offer_id).await;
    let mr = result(&opened.expect("the Offer is answered after the restart"));
    let got = doc(&a, &mr).await;
    assert_eq!(got["attachment"]["object"]["target"]["hash"], fix, "{got}");

    lost_merge_answer(&mut a, (&alice, &l.on_tracker), (tracker, repo, &mr), &fix).await;
}

/// alice merges (a fast-forward to `fix`); then the job and the tracker's wait are put back as
/// a stop right after the merge leaves them; after a restart the Apply is accepted again and
/// `main` is still `fix`.
async fn lost_merge_answer(
    a: &mut Instance,
    (alice, capability): (&str, &str),
    (tracker, repo, mr): (&str, &str, &str),
    fix: &str,
) {
    let mut apply = json!({"type": "Apply", "to": [tracker], "object": mr,
        "target": branch(repo, "main"), "capability": capability});
    let submitted = now_ms();
    let (apply_id, accepted) = post(a, "alice", tracker, &apply).await;
    assert_eq!(accepted["type"], "Accept", "{accepted}");
    assert_eq!(remote_head(repo, "main").as_deref(), Some(fix));
    a.stop().await;
    apply["id"] = json!(apply_id);
    apply["actor"] = json!(alice);
    put_back(a, (tracker, repo, mr), (apply, &apply_id, submitted), fix);
    a.restart().await;
    let twice = crate::common::eventually(20, || async {
        answers(a, "alice", tracker, &apply_id).await.len() == 2
    });
    assert!(twice.await, "the resumed merge is answered");
    assert_eq!(
        answers(a, "alice", tracker, &apply_id).await,
        ["Accept", "Accept"]
    );
    assert_eq!(
        remote_head(repo, "main").as_deref(),
        Some(fix),
        "not merged twice"
    );
    let (_, log) = a.get_ap(&format!("{repo}/pushes")).await;
    let items = log["items"].as_array().cloned().unwrap_or_default();
    let merges = items
        .iter()
        .filter(|p| p["updates"].to_string().contains(fix));
    assert_eq!(merges.count(), 1, "one merge in the push log: {log}");
}

/// bob's Offer of an MR from `fix` of `origin` into `main` of `repo` (the spec's example).
fn offer(a: &Instance, tracker: &str, repo: &str, origin: &str) -> Value {
    let bob = a.at("/people/bob");
    let swaps = [
        (
            "https://dev.example/projects/game-of-life/pr-tracker",
            tracker,
        ),
        ("https://dev.example/projects/game-of-life/repo", repo),
        ("https://forge.example/luke/game-of-life", origin),
        ("https://forge.example/luke", &bob),
        ("refs/heads/fix-animation-bug", "refs/heads/fix"),
    ];
    let mut offer = vector("Offer-Ticket--opening-mr.json", &swaps);
    let attachment = offer["object"]["attachment"].as_object_mut().unwrap();
    attachment.remove("object");
    offer
}

/// Puts back, in the stopped instance's database, what a stop right after the merge of `apply`
/// (submitted at `submitted` ms) leaves: the tracker's wait for the job and the job itself.
fn put_back(
    a: &Instance,
    (tracker, repo, mr): (&str, &str, &str),
    (apply, apply_id, submitted): (Value, &str, u64),
    fix: &str,
) {
    let store = store_of(a);
    let tag = format!("merge {apply_id}");
    let tracker_ref = ActorRef::new(ActorKind::PatchTracker, id_of(tracker));
    let by = apply["actor"].as_str().unwrap().parse().unwrap();
    let wait = PendingJob {
        number: id_of(mr).parse().unwrap(),
        purpose: Purpose::Merge { apply },
    };
    let key = layout::key(layout::MR_JOB, tag.as_bytes());
    let keyspace = store.keyspace(&tracker_ref).unwrap();
    keyspace.insert(key, codec::encode(&wait).unwrap()).unwrap();
    let merge = MergeJob {
        repo: ActorRef::new(ActorKind::Repository, id_of(repo)),
        head: fix.to_string(),
        branch: "main".into(),
        message: String::new(),
        by,
        fast_forward_only: false,
    };
    let job = GitJob {
        tag,
        reply_to: tracker_ref,
        kind: GitJobKind::Merge(merge),
    };
    let stored = StoredJob {
        submitted_ms: submitted,
        job,
    };
    JobStore::new(store.clone()).keep(&stored).unwrap();
}

/// An MR whose remote origin has no readable document, or a `cloneUri` on another host, is
/// rejected and opens nothing: git never reads what the fetcher did not vet.
#[tokio::test]
async fn an_mr_from_a_remote_origin_git_may_not_read_is_rejected() {
    let (a, factory) = site("a").await;
    let (_, alice_on_factory) = person(&a, &factory, "alice").await;
    person(&a, &factory, "bob").await;
    let tmp = tempfile::tempdir().unwrap();
    let alices = (factory.as_str(), alice_on_factory.as_str());
    let l = linked(&a, alices, tmp.path(), None).await;
    let forge = FakeForge::start(&l.work);
    let refused = [
        (
            format!("{}/alice/nothing", forge.base),
            "could not be fetched",
        ),
        (
            format!("{}/alice/elsewhere", forge.base),
            "is not an http(s) URL on its own host",
        ),
    ];
    for (origin, why) in refused {
        let offer = offer(&a, &l.tracker, &l.repo, &origin);
        let (_, answer) = post(&a, "bob", &l.tracker, &offer).await;
        crate::forge::rejected(&answer, "the tracker cannot fetch the origin branch");
        crate::forge::rejected(&answer, why);
    }
    let list = a
        .total(&format!("{}/merge-requests", l.tracker), None)
        .await;
    assert_eq!(list, 0, "no merge request was opened");
}
