//! The Project actor: a collection of components (repositories, trackers), with its own tree
//! (`project/<id>`), key, inbox and outbox. Its document names its `components` collection
//! (storage: `data::components`; the Add/Remove flow: `activities::components`).

use crate::activities::components::dispatch as components;
use crate::activities::{follow, invite, stars};
use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::data::components::components_iri;
use crate::kinds::accepted::ProjectActivity;
use crate::runtime::dispatch;
use crate::runtime::resource::Resource;
use actix::prelude::*;
use serde_json::{json, Value};

/// A local Project.
pub struct Project {
    pub core: ActorCore,
}

impl Actor for Project {
    type Context = Context<Self>;
}

impl Resource for Project {
    const KIND: ActorKind = ActorKind::Project;

    type Accepted = ProjectActivity;

    core_accessors!();

    fn document(&self) -> schema::Actor {
        let mut doc = self.core.document();
        doc.extra
            .insert("components".into(), json!(components_iri(&self.core)));
        doc
    }

    fn handle_activity(
        &mut self,
        activity: ProjectActivity,
        raw: &Value,
        _ctx: &mut Context<Self>,
    ) -> Result<()> {
        let core = &mut self.core;
        match activity {
            ProjectActivity::Follow(a) => follow::received(core, &a, raw),
            ProjectActivity::Undo(a) => dispatch::undo(core, &a, raw),
            ProjectActivity::Invite(a) => invite::received(core, &a, raw),
            ProjectActivity::Accept(a) => dispatch::accept_by_resource(core, &a, raw),
            ProjectActivity::Remove(a) => dispatch::remove_by_resource(core, &a, raw),
            ProjectActivity::Like(a) => stars::liked(core, &a, raw),
            ProjectActivity::Add(a) => components::add(core, &a, raw),
        }
    }
}

common_handlers!(Project);
