//! A Factory's Create of a fork (ForgeFed "Forks and Migrations"): a Create of a Repository
//! whose `origin` is another Repository's IRI, local or remote. Before creating anything the
//! Factory has the origin checked (a `Copy` git job without a target: the origin must be a
//! Repository the creator may read, listed over git); a refused check is a Reject and nothing
//! is created. Once created (the record keeps `origin`), the Factory's Accept goes to the
//! creator and to the origin, and a `Copy` git job copies the origin's branches and tags into
//! the fork, answered to the fork (`repository_fetch`).

use crate::actor::git_jobs::{CopyJob, GitJob, GitJobDone, GitJobKind, GitOutcome};
use crate::base::error::Result;
use crate::base::kind::{ActorKind, ActorRef};
use crate::data::listings;
use crate::kinds::creation::ORIGIN;
use crate::kinds::factory::{CreateRequest, Factory};
use crate::kinds::repository_fetch::COPY_TAG;
use crate::kinds::repository_visibility as visibility;
use crate::publish::reject::reject;
use actix::prelude::*;
use serde_json::{Map, Value};
use url::Url;

/// The tag of the check of a fork's origin (then the Create's id).
const CHECK_TAG: &str = "fork-check ";

/// The `origin` of a Create's object: None, or an http(s) IRI (a string or an object's `id`).
/// A `Link` to an F3 archive is not supported.
pub fn origin_of(object: &Value) -> std::result::Result<Option<Url>, String> {
    let iri = match object.get("origin") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s.as_str(),
        Some(Value::Object(o)) if o.get("type").is_none_or(|t| t != "Link") => {
            o.get("id").and_then(Value::as_str).unwrap_or_default()
        }
        Some(_) => {
            return Err(
                "origin must be the IRI of a Repository (F3 archives are not supported)".into(),
            )
        }
    };
    match Url::parse(iri) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(Some(u)),
        _ => Err(format!("origin {iri:?} is not an http(s) IRI")),
    }
}

/// What else a Create must satisfy: a valid visibility for a Repository; for a fork, a valid
/// `origin` that the Create addresses (so the origin sees it and can list the fork).
pub fn requested(
    activity: &schema::Activity,
    raw: &Value,
    kind: ActorKind,
) -> std::result::Result<Option<Url>, String> {
    let object = &raw["object"];
    if kind == ActorKind::Repository {
        crate::kinds::repository_visibility::requested(object)?;
    }
    let Some(origin) = origin_of(object)? else {
        return Ok(None);
    };
    if kind != ActorKind::Repository {
        return Err(format!(
            "only a Repository can be created from an origin, not a {kind}"
        ));
    }
    if !activity.recipients().contains(&&origin) {
        return Err(format!(
            "a fork's Create must address its origin {origin} (to or cc)"
        ));
    }
    Ok(Some(origin))
}

impl Factory {
    /// The origin a Create asks to fork, if any (`requested`).
    pub(crate) fn fork_origin(
        &self,
        activity: &schema::Activity,
        raw: &Value,
        kind: ActorKind,
    ) -> std::result::Result<Option<Url>, String> {
        requested(activity, raw, kind)
    }

    /// A fork's record fields: its `origin`; and private, unless its Create asks otherwise,
    /// when the origin is a private repository of this instance.
    pub(crate) fn fork_fields(&self, req: &CreateRequest, extra: &mut Map<String, Value>) {
        let Some(origin) = &req.origin else {
            return;
        };
        extra.insert(ORIGIN.into(), Value::from(origin.as_str()));
        let env = &self.core.env;
        let local = env.urls.parse_actor(origin);
        let record = local.and_then(|r| listings::stored_record(env, &r).ok().flatten());
        if record.is_some_and(|(_, rec)| listings::is_private(&rec)) {
            extra
                .entry(visibility::FIELD)
                .or_insert(Value::from("private"));
        }
    }

    /// Holds the Create and has its origin checked for its creator.
    pub(crate) fn check_origin(&mut self, req: CreateRequest, origin: Url) -> Result<()> {
        let job = GitJob {
            tag: format!("{CHECK_TAG}{}", req.create_id),
            reply_to: self.core.r.clone(),
            kind: GitJobKind::Copy(CopyJob {
                into: None,
                origin,
                reader: req.creator.clone(),
            }),
        };
        if let Err(e) = self.core.env.git_jobs.submit(job) {
            tracing::error!(error = %e, "cannot check a fork's origin");
            let why = "forks cannot be created on this instance now; try again";
            return reject(&self.core, &req.activity, &req.raw, why);
        }
        self.core.hold_current();
        self.pending = Some(req);
        Ok(())
    }

    /// The answer of an origin's check: create the fork, or Reject the Create.
    pub(crate) fn origin_checked(
        &mut self,
        done: GitJobDone,
        ctx: &mut Context<Self>,
    ) -> Result<()> {
        let matches = self
            .pending
            .as_ref()
            .is_some_and(|p| done.tag == format!("{CHECK_TAG}{}", p.create_id));
        let Some(req) = self.pending.take().filter(|_| matches) else {
            tracing::debug!(actor = %self.core.r, tag = %done.tag, "stale git job answer ignored");
            return Ok(());
        };
        self.core.resume_held();
        let why = match done.outcome {
            GitOutcome::Fetched { .. } => return self.start_create(req, ctx),
            GitOutcome::Refused(why) => why,
            other => format!("unexpected answer {other:?}"),
        };
        let origin = req.origin.as_ref().map(Url::as_str).unwrap_or_default();
        let refused = reject(
            &self.core,
            &req.activity,
            &req.raw,
            format!("cannot fork {origin}: {why}"),
        );
        self.core.release_held()?;
        ctx.notify(crate::runtime::messages::ProcessInbox);
        crate::runtime::handlers::stop_if_due(self, ctx);
        refused
    }

    /// Once a fork is created and accepted: its copy of the origin, answered to the fork.
    pub(crate) fn copy_origin(
        &self,
        fork: &ActorRef,
        origin: Url,
        creator: &Url,
        create: &Url,
    ) -> Result<()> {
        let job = GitJob {
            tag: format!("{COPY_TAG}{create}"),
            reply_to: fork.clone(),
            kind: GitJobKind::Copy(CopyJob {
                into: Some(fork.clone()),
                origin,
                reader: creator.clone(),
            }),
        };
        self.core.env.git_jobs.submit(job)
    }
}

#[cfg(test)]
mod tests {
    use super::origin_of;
    use serde_json::json;

    #[test]
    fn origins_are_http_iris() {
        let o = |v| origin_of(&json!({ "origin": v }));
        assert_eq!(origin_of(&json!({})), Ok(None));
        assert_eq!(
            o(json!("https://a.example/repos/r"))
                .unwrap()
                .unwrap()
                .as_str(),
            "https://a.example/repos/r"
        );
        assert!(o(json!({"id": "https://a.example/repos/r"}))
            .unwrap()
            .is_some());
        assert!(o(json!("not an iri")).is_err());
        assert!(o(json!("file:///etc/passwd")).is_err());
        assert!(o(json!({"type": "Link", "href": "https://a.example/f3.tar"})).is_err());
        assert!(o(json!(7)).is_err());
    }
}
