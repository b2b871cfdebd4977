//! A test actor for unit tests of activity handlers: a stored actor over an in-memory store
//! (`Store::in_memory`), loaded as its actor would be, without a server, a registry or a disk.
//! A test hands it activities as they would be processed from its inbox and reads what they
//! changed: its collections, and what it published in answer (an Accept, a Reject).

use crate::actor::env::Env;
use crate::actor::record::{create, ActorRecord};
use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::base::kind::{ActorKind, ActorRef};
use crate::runtime::messages::GetCollection;
use crate::storage::codec;
use crate::storage::layout::{self, OUTBOX};
use crate::storage::store::Store;
use crate::urls::Urls;
use serde_json::Value;

/// The instance's base IRI in tests.
pub const BASE: &str = "http://orchard.test";

/// A stored, loaded actor over its own in-memory store.
pub struct TestActor {
    pub core: ActorCore,
}

impl TestActor {
    /// Stores and loads the actor `<kind>/<id>` (with a real key) in a fresh in-memory store.
    pub fn new(kind: ActorKind, id: &str) -> TestActor {
        let store = Store::in_memory().expect("an in-memory store");
        let r = ActorRef::new(kind, id);
        let record = ActorRecord::generate(kind, id, None).expect("a key");
        create(&store, &r, &record).expect("a stored actor");
        let env = Env {
            store: store.clone(),
            urls: Urls::new(url::Url::parse(BASE).expect("the base IRI")),
            delivery: crate::storage::delivery_queue::DeliveryQueue::open(&store)
                .expect("the delivery queue"),
            repos: Default::default(),
            push_timeout: std::time::Duration::from_secs(60),
            git_jobs: crate::actor::git_jobs::GitJobs::disconnected(),
        };
        TestActor {
            core: ActorCore::load(&env, &r).expect("a loadable actor"),
        }
    }

    /// This actor's IRI, as a string.
    pub fn iri(&self) -> String {
        self.core.iri().to_string()
    }

    /// Parses `raw` as the actor's processing does and gives it to `handler`.
    pub fn receive(
        &mut self,
        raw: Value,
        handler: impl FnOnce(&mut ActorCore, &schema::Activity, &Value) -> Result<()>,
    ) -> Result<()> {
        let activity: schema::Activity =
            serde_json::from_value(raw.clone()).expect("a parsable activity");
        handler(&mut self.core, &activity, &raw)
    }

    /// What this actor published, oldest first.
    pub fn published(&self) -> Vec<Value> {
        self.core
            .tree
            .scan_prefix(layout::prefix(OUTBOX))
            .map(|e| codec::decode(&e.expect("an outbox entry").1).expect("JSON"))
            .collect()
    }

    /// The types of what this actor published, oldest first.
    pub fn published_types(&self) -> Vec<String> {
        let types = self.published().into_iter();
        types
            .map(|a| a["type"].as_str().unwrap_or("?").to_string())
            .collect()
    }

    /// Page `page` (or the collection document) of one of its collections, as its owner.
    pub fn collection(&self, name: &str, page: Option<u64>) -> Value {
        self.collection_as(name, page, crate::publish::audience::Reader::Owner)
    }

    /// Page `page` (or the collection document) of one of its collections, as `reader`.
    pub fn collection_as(
        &self,
        name: &str,
        page: Option<u64>,
        reader: crate::publish::audience::Reader,
    ) -> Value {
        let msg = GetCollection {
            name: name.into(),
            page,
            reader,
        };
        crate::collections::get(&self.core, &msg).expect("a collection")
    }
}
