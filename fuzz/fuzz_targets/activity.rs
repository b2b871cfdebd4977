// SPDX-License-Identifier: AGPL-3.0-or-later
//! Fuzzes activity parsing and dispatch: arbitrary bytes are parsed as the schema types
//! (`Activity`, `Actor`, `Object`, as fetched documents are), then taken through what an inbox
//! POST does after its signature verified (JSON object, `schema::Activity`, id or derived id,
//! `startTime` of an id-less activity), staged with `stage_received` and handed to each local
//! actor type as `process_pending` does (`runtime::processing::process_one`: parsed at the door
//! into the kind's accepted enum, then its handler). Handlers may refuse (errors are fine);
//! they must never panic.
//!
//! The instance is `https://orchard.example` with a person `alice`, a repository `r`, a project
//! `p`, a ticket tracker `t` and a factory `f`. `https://remote.example/people/mallory` holds an
//! `admin` Grant on `r`, `p` and `t` (`<resource>/activities/fuzz-admin`), so that the guarded
//! handlers (Invite, Remove, Add, Edit, tickets, ...) are reachable too. Not on `f`: a Factory's
//! Create generates keys and runs `git init` on a Tokio blocking thread, which this harness
//! does not run.
//!
//! One store is reused across iterations (libFuzzer runs many in one process) and replaced by
//! a fresh one every `RESET_EVERY` inputs, so that it does not grow without bound.

#![no_main]

use actors::actor::env::Env;
use actors::actor::record::{create, ActorRecord};
use actors::actor::state::ActorCore;
use actors::data::grants::GrantRecord;
use actors::factory::Factory;
use actors::person::Person;
use actors::project::Project;
use actors::repository::Repository;
use actors::runtime::resource::Resource;
use actors::storage::codec;
use actors::storage::delivery_queue::DeliveryQueue;
use actors::storage::layout::{self, GRANT, GRANTED, SEP};
use actors::ticket_tracker::TicketTracker;
use actors::{ActorKind, ActorRef, Store, Urls};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::cell::RefCell;
use std::sync::OnceLock;
use std::time::Duration;

const BASE: &str = "https://orchard.example";
const GRANTEE: &str = "https://remote.example/people/mallory";
/// Local id of the admin Grant on each resource.
const GRANT_ID: &str = "fuzz-admin";
const RESET_EVERY: u32 = 5_000;

/// One actor record, generated once (RSA key generation is slow); each actor gets a copy.
fn record() -> &'static ActorRecord {
    static RECORD: OnceLock<ActorRecord> = OnceLock::new();
    RECORD.get_or_init(|| {
        ActorRecord::generate(ActorKind::Person, "alice", None).expect("key generation")
    })
}

struct World {
    person: Person,
    repository: Repository,
    project: Project,
    tracker: TicketTracker,
    factory: Factory,
    inputs: u32,
    // Dropped last: the actors hold the store that lives in it.
    _dir: tempfile::TempDir,
}

fn load(env: &Env, kind: ActorKind, id: &str) -> ActorCore {
    let r = ActorRef::new(kind, id);
    let mut rec = record().clone();
    rec.kind = kind.as_type().to_string();
    rec.id = id.to_string();
    create(&env.store, &r, &rec).expect("create actor");
    let core = ActorCore::load(env, &r).expect("load actor");
    if matches!(
        kind,
        ActorKind::Repository | ActorKind::Project | ActorKind::TicketTracker
    ) {
        let iri = core.iri();
        let grant = GrantRecord {
            id: format!("{iri}/activities/{GRANT_ID}"),
            target: GRANTEE.into(),
            role: schema::Role::Admin,
            context: iri.to_string(),
            fulfills: None,
            start_time: Some("2020-01-01T00:00:00Z".into()),
            end_time: None,
            revoked: false,
            issued: "2020-01-01T00:00:00Z".into(),
        };
        let mut granted = layout::key(GRANTED, GRANTEE.as_bytes());
        granted.push(SEP);
        granted.extend_from_slice(GRANT_ID.as_bytes());
        core.tree
            .insert(
                layout::key(GRANT, GRANT_ID.as_bytes()),
                codec::encode(&grant).expect("encode grant"),
            )
            .expect("store grant");
        core.tree.insert(granted, &[][..]).expect("store grant");
    }
    core
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = Store::open(&dir.path().join("db")).expect("open store");
        let repos = dir.path().join("repos");
        std::fs::create_dir_all(&repos).expect("repos directory");
        let env = Env {
            delivery: DeliveryQueue::open(&store).expect("delivery queue"),
            store,
            urls: Urls::new(url::Url::parse(BASE).expect("base url")),
            repos: std::sync::Arc::new(repos),
            push_timeout: Duration::from_secs(10),
            git_jobs: actors::actor::git_jobs::GitJobs::disconnected(),
        };
        let activate = |kind, id| load(&env, kind, id);
        World {
            person: Person::activate(activate(ActorKind::Person, "alice")).expect("person"),
            repository: Repository::activate(activate(ActorKind::Repository, "r"))
                .expect("repository"),
            project: Project::activate(activate(ActorKind::Project, "p")).expect("project"),
            tracker: TicketTracker::activate(activate(ActorKind::TicketTracker, "t"))
                .expect("tracker"),
            factory: Factory::activate(activate(ActorKind::Factory, "f")).expect("factory"),
            inputs: 0,
            _dir: dir,
        }
    }
}

thread_local! {
    static WORLD: RefCell<Option<World>> = const { RefCell::new(None) };
}

/// What the inbox and `process_pending` do with one verified activity for actor `A`.
fn deliver<A: Resource>(actor: &mut A, raw: &Value, id: &str) {
    let _ = actor.core().stage_received(raw.clone(), id);
    let mut ctx = actix::Context::<A>::new();
    actors::runtime::processing::process_one(actor, raw, &mut ctx);
}

fuzz_target!(
    // Before the first input: key generation takes seconds in this instrumented build.
    init: {
        record();
    },
    |data: &[u8]| {
    // Documents fetched from remote servers are parsed straight from the bytes.
    let _ = serde_json::from_slice::<schema::Activity>(data);
    let _ = serde_json::from_slice::<schema::Actor>(data);
    let _ = serde_json::from_slice::<schema::Object>(data);

    // The inbox: a JSON object that parses as an Activity, with an id or a derived one.
    let Ok(raw) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if !raw.is_object() {
        return;
    }
    let _ = serde_json::from_value::<schema::Actor>(raw.clone());
    let _ = serde_json::from_value::<schema::Object>(raw.clone());
    let Ok(activity) = serde_json::from_value::<schema::Activity>(raw.clone()) else {
        return;
    };
    let _ = activity.actor_id();
    let id = match &activity.id {
        Some(id) => id.to_string(),
        None => {
            let start = activity.start_time.as_deref();
            if start.and_then(actors::base::clock::parse_time).is_none() {
                return;
            }
            orchard::federation::derived_id::derived_id(&raw)
        }
    };

    WORLD.with(|world| {
        let mut world = world.borrow_mut();
        if world.as_ref().is_none_or(|w| w.inputs >= RESET_EVERY) {
            *world = None;
            *world = Some(World::new());
        }
        let w = world.as_mut().expect("world");
        w.inputs += 1;
        deliver(&mut w.person, &raw, &id);
        deliver(&mut w.repository, &raw, &id);
        deliver(&mut w.project, &raw, &id);
        deliver(&mut w.tracker, &raw, &id);
        deliver(&mut w.factory, &raw, &id);
    });
});
