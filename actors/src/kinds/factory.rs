//! A Factory actor: creates Repository, TicketTracker, PatchTracker and Project actors for people holding a
//! Grant of at least `write` on it, among its `availableActorTypes` (which its admins edit).
//! Tree `factory/<id>`; its record's `extra` holds `availableActorTypes`.

use crate::activities::edit;
use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::base::kind::ActorKind;
use crate::grants::capability;
use crate::grants::issue::issue_grant;
use crate::kinds::accepted::FactoryActivity;
use crate::kinds::creation;
use crate::publish::reject::reject;
use crate::runtime::resource::Resource;
use actix::prelude::*;
use schema::Role;
use serde_json::{json, Value};
use url::Url;

/// The types a Factory can create.
pub const CREATABLE: [ActorKind; 4] = [
    ActorKind::Repository,
    ActorKind::TicketTracker,
    ActorKind::PatchTracker,
    ActorKind::Project,
];

/// Parses an `availableActorTypes` value: a subset of Repository, TicketTracker, PatchTracker,
/// Project.
pub fn parse_types(value: Option<&Value>) -> std::result::Result<Vec<String>, String> {
    let Some(value) = value else {
        return Ok(CREATABLE.iter().map(|k| k.as_type().to_string()).collect());
    };
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let name = item
            .as_str()
            .ok_or("availableActorTypes must be type names")?;
        match ActorKind::from_type(name) {
            Some(k) if CREATABLE.contains(&k) => {
                if !out.iter().any(|o| o == name) {
                    out.push(name.to_string());
                }
            }
            _ => {
                return Err(format!(
                    "{name} is not a type a Factory creates (Repository, TicketTracker, PatchTracker, Project)"
                ))
            }
        }
    }
    Ok(out)
}

/// A Create that passed the Factory's checks, waiting to be carried out.
pub struct CreateRequest {
    pub kind: ActorKind,
    pub name: String,
    pub activity: schema::Activity,
    pub raw: Value,
    pub creator: Url,
    pub create_id: Url,
    /// The repository a fork copies (None: not a fork).
    pub origin: Option<Url>,
}

/// A local Factory.
pub struct Factory {
    pub core: ActorCore,
    /// A fork's Create held while its origin is checked (`factory_fork`).
    pub pending: Option<CreateRequest>,
}

impl Factory {
    fn available(&self) -> Vec<String> {
        parse_types(self.core.record.extra.get("availableActorTypes")).unwrap_or_default()
    }

    fn create(
        &mut self,
        activity: &schema::Activity,
        raw: &Value,
        ctx: &mut Context<Self>,
    ) -> Result<()> {
        let (kind, name) = match self.creation_request(activity, raw) {
            Ok(request) => request,
            Err(why) => return reject(&self.core, activity, raw, why),
        };
        let (Some(creator), Some(create_id)) = (activity.actor_id().cloned(), activity.id.clone())
        else {
            return reject(
                &self.core,
                activity,
                raw,
                "the Create needs an id and an actor",
            );
        };
        if let Some(done) = creation::created_for(&self.core.tree, &create_id)? {
            // A re-run after a crash: the actor exists; finish what may be missing.
            tracing::info!(actor = %done, create = %create_id, "Create already carried out");
            return self.announce_created(&done, raw, &creator, &create_id);
        }
        let origin = match self.fork_origin(activity, raw, kind) {
            Ok(origin) => origin,
            Err(why) => return reject(&self.core, activity, raw, why),
        };
        let request = CreateRequest {
            kind,
            name,
            activity: activity.clone(),
            raw: raw.clone(),
            creator,
            create_id,
            origin,
        };
        match request.origin.clone() {
            Some(origin) => self.check_origin(request, origin),
            None => self.start_create(request, ctx),
        }
    }

    /// Creates the actor a checked Create asks for (holding the inbox item and the mailbox).
    pub(crate) fn start_create(
        &mut self,
        req: CreateRequest,
        ctx: &mut Context<Self>,
    ) -> Result<()> {
        let (kind, raw) = (req.kind, &req.raw);
        let summary = raw["object"]["summary"].as_str().map(str::to_string);
        let mut extra = creation::provenance(&req.creator, Some(&self.core.iri()));
        // Checked by `factory_fork::requested` before.
        if let (ActorKind::Repository, Ok(Some(v))) = (
            kind,
            crate::kinds::repository_visibility::requested(&raw["object"]),
        ) {
            extra.insert("visibility".into(), Value::from(v));
        }
        self.fork_fields(&req, &mut extra);
        let (env, name) = (self.core.env.clone(), req.name.clone());
        let job = tokio::task::spawn_blocking(move || {
            creation::prepare(&env, kind, &name, summary, extra)
        });
        // The inbox item stays unprocessed until the actor is created (a crash re-runs it), and
        // the mailbox is held while the key is generated off-thread: creations stay in order.
        if !self.core.is_held() {
            self.core.hold_current();
        }
        ctx.wait(
            actix::fut::wrap_future::<_, Self>(job).map(move |res, act, ctx| {
                act.core.resume_held();
                let res = res.map_err(ActorError::from).and_then(|r| r);
                let (activity, raw) = (&req.activity, &req.raw);
                if let Err(e) = act.finish_create(res, activity, raw, &req.creator, &req.create_id)
                {
                    tracing::error!(error = %e, "creating an actor failed");
                }
                if let Err(e) = act.core.release_held() {
                    tracing::error!(error = %e, "cannot mark the Create processed");
                }
                ctx.notify(crate::runtime::messages::ProcessInbox);
                crate::runtime::handlers::stop_if_due(act, ctx);
            }),
        );
        Ok(())
    }

    /// What a Create asks this Factory for (the kind and the name of the new actor), or why it
    /// is refused: a kind it does not create, no `write` Grant, an invalid name.
    fn creation_request(
        &self,
        activity: &schema::Activity,
        raw: &Value,
    ) -> std::result::Result<(ActorKind, String), String> {
        let object = &raw["object"];
        let type_name = object["type"].as_str().unwrap_or_default();
        let Some(kind) = ActorKind::from_type(type_name).filter(|k| CREATABLE.contains(k)) else {
            return Err(format!("a Factory cannot create {type_name:?}"));
        };
        if !self.available().iter().any(|t| t == type_name) {
            return Err(format!("this Factory does not create {type_name}"));
        }
        capability::check(&self.core, activity, Role::Write).map_err(|why| why.to_string())?;
        creation::validate_name(object["name"].as_str()).map(|name| (kind, name))
    }

    fn edit(&mut self, activity: &schema::Activity, raw: &Value) -> Result<()> {
        let field = ("this Factory", "availableActorTypes");
        edit::edit_field(&mut self.core, activity, raw, field, |object| {
            let value = object
                .get("availableActorTypes")
                .ok_or("nothing to edit: availableActorTypes is missing")?;
            parse_types(Some(value)).map(|types| json!(types))
        })
    }
}

/// Issues a Grant of this Factory (e.g. `write` to every new person of a resident Factory).
#[derive(Message)]
#[rtype(result = "Result<Url>")]
pub struct GrantRole {
    pub target: Url,
    pub role: Role,
}

impl Handler<GrantRole> for Factory {
    type Result = Result<Url>;
    fn handle(&mut self, msg: GrantRole, _: &mut Self::Context) -> Self::Result {
        issue_grant(
            &self.core,
            &msg.target,
            msg.role,
            None,
            &Default::default(),
            &[],
        )
    }
}

impl Actor for Factory {
    type Context = Context<Self>;
}

impl Resource for Factory {
    const KIND: ActorKind = ActorKind::Factory;
    type Accepted = FactoryActivity;

    fn activate(core: ActorCore) -> Result<Self> {
        Ok(Self {
            core,
            pending: None,
        })
    }

    fn core(&self) -> &ActorCore {
        &self.core
    }

    fn core_mut(&mut self) -> &mut ActorCore {
        &mut self.core
    }

    fn git_job_done(
        &mut self,
        done: crate::actor::git_jobs::GitJobDone,
        ctx: &mut Context<Self>,
    ) -> Result<()> {
        self.origin_checked(done, ctx)
    }

    fn document(&self) -> schema::Actor {
        let mut doc = self.core.document();
        doc.available_actor_types = Some(schema::OneOrMany::Many(self.available()));
        doc
    }

    fn handle_activity(
        &mut self,
        activity: FactoryActivity,
        raw: &Value,
        ctx: &mut Context<Self>,
    ) -> Result<()> {
        use crate::activities::{follow, invite};
        use crate::runtime::dispatch;
        match activity {
            FactoryActivity::Follow(a) => follow::received(&mut self.core, &a, raw),
            FactoryActivity::Undo(a) => dispatch::undo(&mut self.core, &a, raw),
            FactoryActivity::Invite(a) => invite::received(&mut self.core, &a, raw),
            FactoryActivity::Accept(a) => dispatch::accept_by_resource(&mut self.core, &a, raw),
            FactoryActivity::Remove(a) => dispatch::remove_by_resource(&mut self.core, &a, raw),
            FactoryActivity::Create(a) => self.create(&a, raw, ctx),
            FactoryActivity::Edit(a) => self.edit(&a, raw),
        }
    }
}

common_handlers!(Factory);
