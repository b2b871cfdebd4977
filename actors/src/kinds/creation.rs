//! Creating new local resource actors (Factory, Repository, TicketTracker, Project): a readable
//! unique id from the name, a fresh key, a bare git repository for a Repository, and the record
//! written atomically. Key generation and `git init` are blocking: run `prepare` off the async
//! threads.

use crate::actor::env::Env;
use crate::actor::record::{self, ActorRecord};
use crate::actor::state::ActorCore;
use crate::base::error::{ActorError, Result};
use crate::base::kind::{ActorKind, ActorRef};
use crate::grants::issue::issue_grant;
use serde_json::{json, Map, Value};
use std::path::PathBuf;

/// The record field (and document property) of a fork: the IRI of the repository it was
/// created from (ForgeFed `origin`).
pub const ORIGIN: &str = "origin";

/// Longest accepted name of a new actor.
pub const MAX_NAME: usize = 100;

/// A lowercase id from a name: `[a-z0-9-]`, at most 24 characters, never empty.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 24 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "x".into()
    } else {
        out
    }
}

fn random_suffix() -> String {
    crate::base::hex::random_hex(3)
}

/// Where a repository's bare git directory lives.
pub fn repo_path(env: &Env, id: &str) -> PathBuf {
    env.repos.join(format!("{id}.git"))
}

/// Checks a new actor's name.
pub fn validate_name(name: Option<&str>) -> std::result::Result<String, String> {
    let name = name.map(str::trim).unwrap_or_default();
    if name.is_empty() {
        return Err("a name is required".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("the name is longer than {MAX_NAME} characters"));
    }
    Ok(name.to_string())
}

/// A new actor, ready to be committed.
pub struct Prepared {
    pub r: ActorRef,
    pub record: ActorRecord,
}

/// Picks an id, generates the key and (for a Repository) initialises the bare repository.
/// Blocking.
pub fn prepare(
    env: &Env,
    kind: ActorKind,
    name: &str,
    summary: Option<String>,
    extra: Map<String, Value>,
) -> Result<Prepared> {
    let base = slug(name);
    let mut id = base.clone();
    for _ in 0..8 {
        let r = ActorRef::new(kind, &id);
        // A deleted actor's id stays taken until an admin releases it (`deletion::release`).
        let taken = env.store.actor_exists(&r)?
            || crate::data::tombstones::is_deleted(&env.store, &r)?
            || (kind == ActorKind::Repository && repo_path(env, &id).exists());
        if !taken {
            break;
        }
        id = format!("{base}-{}", random_suffix());
    }
    let mut record = ActorRecord::generate(kind, &id, Some(name.to_string()))?;
    record.summary = summary;
    record.extra = extra;
    if kind == ActorKind::Repository {
        git_init_bare(&repo_path(env, &id))?;
    }
    Ok(Prepared {
        r: ActorRef::new(kind, id),
        record,
    })
}

/// Runs `git init --bare` (the repository directory must not exist yet).
pub fn git_init_bare(path: &std::path::Path) -> Result<()> {
    if path.exists() {
        return Err(ActorError::Conflict(format!(
            "{} already exists",
            path.display()
        )));
    }
    let out = std::process::Command::new("git")
        .args(["init", "--quiet", "--bare", "--initial-branch=main"])
        .arg(path)
        .output()
        .map_err(|e| ActorError::Task(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(ActorError::Task(format!(
            "git init failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

/// Writes the prepared actor; undoes the repository directory if that fails.
pub fn commit(env: &Env, p: &Prepared) -> Result<()> {
    if let Err(e) = record::create(&env.store, &p.r, &p.record) {
        if p.r.kind == ActorKind::Repository {
            let _ = std::fs::remove_dir_all(repo_path(env, &p.r.id));
        }
        return Err(e);
    }
    tracing::info!(actor = %p.r, "created actor");
    Ok(())
}

/// After commit: the new actor sends its creator an admin Grant fulfilling the Create.
/// Commits a prepared actor that a Factory creates for a `Create`, with the Factory's
/// `created` entry for that Create in the same transaction.
pub fn commit_for_create(
    env: &Env,
    p: &Prepared,
    factory: &crate::storage::keyspace::ActorKeyspace,
    create: &url::Url,
) -> Result<()> {
    let tree = env.store.keyspace(&p.r)?;
    let marker = factory.full_key(&crate::storage::layout::key(
        crate::storage::layout::CREATED,
        create.as_str().as_bytes(),
    ));
    let name = p.r.tree_name();
    let trees = [env.store.instance(), tree.raw(), factory.raw()];
    let created = env.store.transaction(&trees, |t| {
        record::create_in_transaction(t[0], t[1], tree.prefix(), &p.r, &p.record)?;
        t[2].insert(&marker, name.as_bytes())
    });
    if let Err(e) = created {
        if p.r.kind == ActorKind::Repository {
            let _ = std::fs::remove_dir_all(repo_path(env, &p.r.id));
        }
        return Err(e);
    }
    tracing::info!(actor = %p.r, create = %create, "created actor");
    Ok(())
}

/// The actor a Factory already created for a `Create`, if any (see `commit_for_create`).
pub fn created_for(
    factory: &crate::storage::keyspace::ActorKeyspace,
    create: &url::Url,
) -> Result<Option<ActorRef>> {
    let key =
        crate::storage::layout::key(crate::storage::layout::CREATED, create.as_str().as_bytes());
    Ok(factory
        .get(key)?
        .and_then(|v| ActorRef::from_tree_name(&String::from_utf8_lossy(&v))))
}

pub fn grant_creator(
    env: &Env,
    r: &ActorRef,
    creator: &url::Url,
    create: &url::Url,
) -> Result<url::Url> {
    let core = ActorCore::load(env, r)?;
    // The same id if this is re-run after a crash: publishing it again is then a no-op.
    *core.emit_seed.borrow_mut() = Some((format!("grant to the creator for {create}"), 0));
    issue_grant(
        &core,
        creator,
        schema::Role::Admin,
        Some(create),
        &crate::data::grants::Window::default(),
        &[],
    )
}

/// The extra record fields every created resource keeps.
pub fn provenance(creator: &url::Url, factory: Option<&url::Url>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("creator".into(), json!(creator));
    if let Some(f) = factory {
        m.insert("factory".into(), json!(f));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(
            slug("Tree Growth 3D Simulation"),
            "tree-growth-3d-simulatio"
        );
        assert_eq!(slug("  --Hello__World--  "), "hello-world");
        assert_eq!(slug("ünïcode"), "n-code");
        assert_eq!(slug("!!!"), "x");
        for s in ["Tree Growth 3D Simulation", "a", "!!!", "ünïcode"] {
            assert!(crate::base::kind::is_valid_local_id(&slug(s)));
        }
    }
}
