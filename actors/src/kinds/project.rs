//! The Project actor: a collection of components (repositories, trackers), with its own tree
//! (`project/<id>`), key, inbox and outbox. Its document names its `components` collection
//! (storage: `data::components`; the Add/Remove flow: `activities::components`).

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::data::components::components_iri;
use crate::runtime::resource::Resource;
use actix::prelude::*;
use serde_json::json;

/// A local Project.
pub struct Project {
    pub core: ActorCore,
}

impl Actor for Project {
    type Context = Context<Self>;
}

impl Resource for Project {
    const KIND: ActorKind = ActorKind::Project;

    const ACCEPTS: &'static [&'static str] = &[
        "Follow", "Undo", "Invite", "Accept", "Remove", "Like", "Add",
    ];

    fn activate(core: ActorCore) -> Result<Self> {
        Ok(Project { core })
    }

    fn core(&self) -> &ActorCore {
        &self.core
    }

    fn core_mut(&mut self) -> &mut ActorCore {
        &mut self.core
    }

    fn document(&self) -> schema::Actor {
        let mut doc = self.core.document();
        doc.extra
            .insert("components".into(), json!(components_iri(&self.core)));
        doc
    }
}

common_handlers!(Project);
