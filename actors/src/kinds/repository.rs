//! The Repository actor: a git repository with its own tree (`repository/<id>`), key, inbox and
//! outbox, and a bare git directory `<repos>/<id>.git`; who may read and push
//! (`Repository::role_of`), the repositories it federates stars to, and `Edit`. Its git services
//! (push, clone, push log) are `kinds::repository_git`. Its `sendPatchesTo` is the PatchTracker
//! it granted `write` (`activities::merge_requests::repo_link`).

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::base::kind::ActorKind;
use crate::data::grants;
use crate::kinds::accepted::RepositoryActivity;
use crate::kinds::repository_visibility::{self as visibility, MayRead};
use crate::runtime::resource::Resource;
use crate::urls::vocabulary;
use actix::prelude::*;
use schema::Role;
use std::path::PathBuf;
use url::Url;

/// A local Repository.
pub struct Repository {
    pub core: ActorCore,
}

impl Repository {
    /// The bare git directory.
    pub fn git_dir(&self) -> PathBuf {
        crate::kinds::creation::repo_path(&self.core.env, &self.core.r.id)
    }

    /// Everyone may read a public repository, only Grant holders a private one
    /// (`repository_visibility`); Grants give more.
    pub(crate) fn role_of(&self, who: Option<&Url>) -> Option<Role> {
        let held = who.and_then(|w| grants::role_held_by(&self.core, w));
        if crate::kinds::repository_visibility::is_private(&self.core.record) {
            return held;
        }
        Some(held.map_or(Role::Visit, |r| r.max(Role::Visit)))
    }
}

/// The repositories on other instances this one federates its local stars to (an orchard
/// extension, like Forgejo's "following repositories"): a local person's Like of this
/// repository is also sent, as their own Like, to each of them. Never incoming Likes.
#[derive(Message)]
#[rtype(result = "Vec<Url>")]
pub struct GetFederatedRepositories;

/// Most federated repositories one repository may list.
pub const MAX_FEDERATED: usize = 16;

impl Handler<GetFederatedRepositories> for Repository {
    type Result = Vec<Url>;

    fn handle(&mut self, _: GetFederatedRepositories, _: &mut Self::Context) -> Vec<Url> {
        self.federated()
    }
}

impl Repository {
    fn federated(&self) -> Vec<Url> {
        self.core
            .record
            .extra
            .get("federatedRepositories")
            .and_then(|v| v.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().and_then(|s| Url::parse(s).ok()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `Edit{object: {id: <this>, federatedRepositories: [...]}}` by an admin.
    fn edit(&mut self, activity: &schema::Activity, raw: &serde_json::Value) -> Result<()> {
        let me = self.core.iri();
        let field = ("this repository", "federatedRepositories");
        crate::activities::edit::edit_field(&mut self.core, activity, raw, field, |object| {
            federated_list(object, &me).map(|iris| serde_json::json!(iris))
        })
    }
}

impl Repository {
    /// An Edit of name, summary, visibility or default branch; followers get the new document.
    fn edit_profile(&mut self, activity: &schema::Activity, raw: &serde_json::Value) -> Result<()> {
        if crate::kinds::repository_edit::edit(&mut self.core, activity, raw)? {
            crate::kinds::repository_edit::announce(&self.core, &self.document())?;
        }
        Ok(())
    }
}

impl Actor for Repository {
    type Context = Context<Self>;
}

impl Resource for Repository {
    const KIND: ActorKind = ActorKind::Repository;
    type Accepted = RepositoryActivity;

    core_accessors!();

    fn document(&self) -> schema::Actor {
        let mut doc = self.core.document();
        let me = self.core.iri();
        doc.extra.insert("cloneUri".into(), serde_json::json!(me));
        crate::kinds::repository_archive::describe(&self.core.record, &mut doc);
        crate::kinds::repository_visibility::describe(&self.core.record, &mut doc);
        if let Some(b) = crate::kinds::repository_edit::default_branch(&self.core) {
            let field = crate::kinds::repository_edit::DEFAULT_BRANCH;
            doc.extra.insert(field.into(), serde_json::json!(b));
        }
        let context = doc.context.take().unwrap_or_default();
        doc.context = Some(vocabulary::with_orchard_context(
            &self.core.env.urls,
            context,
        ));
        if let Some(push) = self.core.env.urls.push_uri(&self.core.r) {
            doc.extra.insert("pushUri".into(), serde_json::json!(push));
        }
        self.describe_origin(&mut doc);
        let forks = self
            .core
            .env
            .urls
            .collection(&self.core.r, crate::urls::Collection::Forks);
        doc.extra.insert("forks".into(), serde_json::json!(forks));
        if let Some(p) = crate::activities::merge_requests::repo_link::send_patches_to(&self.core) {
            doc.extra
                .insert("sendPatchesTo".into(), serde_json::json!(p));
        }
        let federated = self.federated();
        if !federated.is_empty() {
            doc.extra
                .insert("federatedRepositories".into(), serde_json::json!(federated));
        }
        doc
    }

    fn git_job_done(
        &mut self,
        done: crate::actor::git_jobs::GitJobDone,
        _: &mut Context<Self>,
    ) -> Result<()> {
        self.copy_done(done)
    }

    fn handle_activity(
        &mut self,
        activity: RepositoryActivity,
        raw: &serde_json::Value,
        ctx: &mut Context<Self>,
    ) -> Result<()> {
        use crate::activities::merge_requests::repo_link as patch_link;
        use crate::activities::{components::dispatch as components, follow, forks, invite, stars};
        use crate::runtime::dispatch;
        let core = &mut self.core;
        match activity {
            RepositoryActivity::Follow(a) if !visibility::may_follow(core, &a) => {
                let why = "following this repository needs a Grant on it";
                crate::publish::reject::reject(core, &a, raw, why)
            }
            RepositoryActivity::Follow(a) => follow::received(core, &a, raw),
            RepositoryActivity::Undo(a) => dispatch::undo(core, &a, raw),
            RepositoryActivity::Invite(a) => invite::received(core, &a, raw),
            RepositoryActivity::Accept(a) if forks::is_fork_accept(core, &a, raw) => {
                forks::accepted(core, &a)
            }
            RepositoryActivity::Accept(a) => {
                dispatch::accept_by_resource(core, &a, raw)?;
                patch_link::after_accept(core, &a, raw)
            }
            RepositoryActivity::Remove(a) => {
                dispatch::remove_by_resource(core, &a, raw)?;
                self.after_remove()
            }
            RepositoryActivity::Leave(a) => {
                crate::activities::leave::received(core, &a, raw)?;
                self.after_remove()
            }
            RepositoryActivity::Like(a) => stars::liked(core, &a, raw),
            RepositoryActivity::Add(a) => components::add(core, &a, raw),
            RepositoryActivity::Edit(a)
                if crate::kinds::repository_archive::edits_archived(raw) =>
            {
                crate::kinds::repository_archive::edit(&mut self.core, &a, raw)
            }
            RepositoryActivity::Edit(a) if crate::kinds::repository_edit::edits_profile(raw) => {
                self.edit_profile(&a, raw)
            }
            RepositoryActivity::Edit(a) => self.edit(&a, raw),
            RepositoryActivity::Delete(a) => self.delete(&a, raw, ctx),
            RepositoryActivity::Create(a) if forks::forks(raw, &core.iri()) => {
                forks::created(core, &a)
            }
            RepositoryActivity::Create(_) => Ok(()),
        }
    }
}

common_handlers!(Repository);

impl Repository {
    /// After a Remove or a Leave: a tracker that lost its `write` is no longer pointed to, and
    /// the followers are told by `Update`.
    fn after_remove(&mut self) -> Result<()> {
        if crate::activities::merge_requests::repo_link::after_remove(&mut self.core)? {
            crate::kinds::repository_edit::announce(&self.core, &self.document())?;
        }
        Ok(())
    }
}

impl Handler<MayRead> for Repository {
    type Result = bool;

    fn handle(&mut self, msg: MayRead, _: &mut Self::Context) -> bool {
        crate::kinds::repository_visibility::may_read(&self.core, &msg.reader)
    }
}

/// The `federatedRepositories` of an Edit's object: distinct http(s) IRIs other than this
/// repository, at most `MAX_FEDERATED`.
fn federated_list(object: &serde_json::Value, me: &Url) -> std::result::Result<Vec<Url>, String> {
    let list = object["federatedRepositories"]
        .as_array()
        .ok_or("nothing to edit: federatedRepositories is missing")?;
    let mut iris: Vec<Url> = Vec::new();
    for item in list {
        let u = item
            .as_str()
            .and_then(|s| Url::parse(s).ok())
            .ok_or("federatedRepositories must be IRIs")?;
        if !matches!(u.scheme(), "http" | "https") || u == *me {
            return Err(format!("{u} cannot be a federated repository"));
        }
        if !iris.contains(&u) {
            iris.push(u);
        }
    }
    if iris.len() > MAX_FEDERATED {
        return Err(format!("at most {MAX_FEDERATED} federated repositories"));
    }
    Ok(iris)
}

#[cfg(test)]
mod tests {
    use super::{federated_list, MAX_FEDERATED};
    use serde_json::json;
    use url::Url;

    #[test]
    fn federated_repositories_are_distinct_http_iris_other_than_this_one() {
        let me = Url::parse("https://a.example/repos/me").unwrap();
        let list = |v: serde_json::Value| federated_list(&json!({"federatedRepositories": v}), &me);
        let other = "https://b.example/repos/r";
        assert_eq!(list(json!([other, other])).unwrap().len(), 1);
        assert!(federated_list(&json!({}), &me)
            .unwrap_err()
            .contains("missing"));
        assert!(list(json!(["not an iri"]))
            .unwrap_err()
            .contains("must be IRIs"));
        assert!(list(json!(["ftp://b.example/r"])).is_err());
        assert!(list(json!([me.as_str()])).is_err());
        let many: Vec<String> = (0..=MAX_FEDERATED)
            .map(|i| format!("https://b.example/repos/{i}"))
            .collect();
        assert!(list(json!(many)).unwrap_err().contains("at most"));
    }
}
