//! An admin's `Edit` (or Vervis's older `Patch`) of a repository's `name`, `summary`,
//! `visibility` and `defaultBranch` (an Orchard term: the branch the bare repository's `HEAD`
//! names, so what a fresh clone checks out) together: every field given is checked first, then
//! all are applied in one record write, or none (a Reject names the first bad field). The
//! caller then publishes `Update` of the new document to the followers.

use crate::actor::state::ActorCore;
use crate::base::error::Result;
use crate::grants::capability;
use crate::kinds::repository_visibility as visibility;
use crate::publish::reject::reject;
use schema::Role;
use serde_json::{json, Value};

/// The document property naming the default branch.
pub const DEFAULT_BRANCH: &str = "defaultBranch";

/// Longest summary kept.
pub const MAX_SUMMARY: usize = 4096;

/// Whether an Edit's object sets a field this file handles.
pub fn edits_profile(raw: &Value) -> bool {
    let o = &raw["object"];
    ["name", "summary", visibility::FIELD, DEFAULT_BRANCH]
        .iter()
        .any(|f| o.get(f).is_some())
}

/// The checked changes of an Edit's object.
#[derive(Debug, Default, PartialEq)]
pub struct Changes {
    pub name: Option<String>,
    pub summary: Option<String>,
    pub visibility: Option<Value>,
    pub default_branch: Option<String>,
}

/// Reads every field the object sets, or says why it is refused.
pub fn parse(object: &Value) -> std::result::Result<Changes, String> {
    let mut c = Changes::default();
    if let Some(n) = object.get("name") {
        let n = n.as_str().ok_or("name must be a string")?;
        c.name = Some(crate::kinds::creation::validate_name(Some(n))?);
    }
    if let Some(s) = object.get("summary") {
        let s = s.as_str().ok_or("summary must be a string")?;
        if s.chars().count() > MAX_SUMMARY {
            return Err(format!(
                "the summary is longer than {MAX_SUMMARY} characters"
            ));
        }
        c.summary = Some(s.to_string());
    }
    c.visibility = visibility::requested(object)?.map(Value::from);
    if let Some(b) = object.get(DEFAULT_BRANCH) {
        let b = b.as_str().ok_or("defaultBranch must be a branch name")?;
        let bad = || format!("{b:?} is not a branch name");
        crate::browse::revision::check_ref(b).map_err(|_| bad())?;
        if b == "HEAD" || b.starts_with("refs/") {
            return Err(bad());
        }
        c.default_branch = Some(b.to_string());
    }
    Ok(c)
}

/// Applies the Edit; answers whether it was applied (else a Reject was sent).
pub fn edit(core: &mut ActorCore, activity: &schema::Activity, raw: &Value) -> Result<bool> {
    let object = &raw["object"];
    if object["id"].as_str() != Some(core.iri().as_str()) {
        reject(
            core,
            activity,
            raw,
            "the Edit's object is not this repository",
        )?;
        return Ok(false);
    }
    if let Err(why) = capability::check(core, activity, Role::Admin) {
        reject(core, activity, raw, &why)?;
        return Ok(false);
    }
    let changes = match parse(object).and_then(|c| branch_exists(core, c)) {
        Ok(c) => c,
        Err(why) => {
            reject(core, activity, raw, why)?;
            return Ok(false);
        }
    };
    if let Some(b) = &changes.default_branch {
        write_head(&git_dir(core), b)?;
    }
    if let Some(n) = changes.name {
        core.record.name = Some(n);
    }
    if let Some(s) = changes.summary {
        core.record.summary = Some(s);
    }
    if let Some(v) = changes.visibility {
        core.record.extra.insert(visibility::FIELD.into(), v);
    }
    core.save_record()?;
    tracing::info!(actor = %core.r, "repository edited");
    Ok(true)
}

fn git_dir(core: &ActorCore) -> std::path::PathBuf {
    crate::kinds::creation::repo_path(&core.env, &core.r.id)
}

/// The changes, if the default branch they name (if any) exists.
fn branch_exists(core: &ActorCore, c: Changes) -> std::result::Result<Changes, String> {
    let Some(b) = &c.default_branch else {
        return Ok(c);
    };
    let refs = crate::git::read_refs(&git_dir(core)).map_err(|e| e.to_string())?;
    if refs.contains_key(&format!("refs/heads/{b}")) {
        Ok(c)
    } else {
        Err(format!("no branch {b:?} in this repository"))
    }
}

/// Points `HEAD` at `refs/heads/<branch>` as git does, atomically (a temporary file renamed).
fn write_head(dir: &std::path::Path, branch: &str) -> Result<()> {
    let tmp = dir.join("HEAD.orchard-new");
    std::fs::write(&tmp, format!("ref: refs/heads/{branch}\n"))
        .and_then(|_| std::fs::rename(&tmp, dir.join("HEAD")))
        .map_err(crate::base::error::ActorError::Storage)
}

/// The branch `HEAD` names, if it names one.
pub fn default_branch(core: &ActorCore) -> Option<String> {
    let head = std::fs::read_to_string(git_dir(core).join("HEAD")).ok()?;
    head.trim_end()
        .strip_prefix("ref: refs/heads/")
        .map(str::to_string)
}

/// Publishes `Update{object: doc}` to the followers.
pub fn announce(core: &ActorCore, doc: &schema::Actor) -> Result<()> {
    let followers = core
        .env
        .urls
        .collection(&core.r, crate::urls::Collection::Followers);
    let update = json!({"type": "Update", "object": doc, "to": [followers]});
    crate::publish::outbox::publish(core, update).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde_json::json;

    #[test]
    fn every_field_is_checked_before_any_is_applied() {
        let c = parse(&json!({"name": "New", "summary": "s", "visibility": "private"})).unwrap();
        assert_eq!(c.name.as_deref(), Some("New"));
        assert_eq!(c.visibility, Some(json!("private")));
        assert!(parse(&json!({"name": "New", "visibility": "x"})).is_err());
        assert!(parse(&json!({"name": ""})).is_err());
        assert!(parse(&json!({"summary": 3})).is_err());
    }
}
