//! `orchard check`: verifies a stopped instance's data directory and says exactly what is wrong,
//! one line per problem: the database opens (a clear error when a running server holds it),
//! every actor record and account record parses with its key or password hash
//! (`actors::data::records_check`), the instance key and the SSH host key parse, and every
//! repository of the actor index is present and passes `git fsck`.
//!
//! It does not compare a repository's refs with the database's push log: a backup may hold
//! refs ahead of the log (see `create`), and the refs are what the repository holds.

use crate::error::{Error, Result};
use actors::storage::layout::{self, HOST_KEY, META};
use actors::{KeyPair, Store};
use std::path::Path;

/// What the check found.
#[derive(Debug, Default)]
pub struct Report {
    pub actors: usize,
    pub repositories: usize,
    pub accounts: usize,
    /// One line per problem, naming the actor, account, key or repository.
    pub problems: Vec<String>,
}

impl Report {
    /// The line printed when nothing is wrong.
    pub fn summary(&self) -> String {
        format!(
            "ok: {} actors, {} repositories",
            self.actors, self.repositories
        )
    }
}

/// Opens the database of a data directory for a check or a restore; refuses a directory
/// without one and says so when a running server holds it.
pub fn open_existing(db: &Path) -> Result<Store> {
    if !actors::storage::integrity::was_used(db) {
        return Err(Error::NotFound(format!(
            "there is no Orchard database at {}",
            db.display()
        )));
    }
    Store::open(db).map_err(|e| {
        if e.to_string().contains("could not acquire lock") {
            Error::Forbidden(format!(
                "the database at {} is in use by a running Orchard server: stop it first \
                 (a running instance is backed up with `orchard backup`)",
                db.display()
            ))
        } else {
            Error::Actor(e)
        }
    })
}

fn key_problems(store: &Store) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    if let Some(pem) = store.instance().get(crate::instance::instance_key_key())? {
        let parsed = String::from_utf8(pem)
            .map_err(|e| e.to_string())
            .and_then(|p| KeyPair::from_pkcs8_pem(&p).map_err(|e| e.to_string()));
        if let Err(e) = parsed {
            problems.push(format!(
                "key instance-key (the instance actor's): does not parse: {e}"
            ));
        }
    }
    if let Some(bytes) = store
        .instance()
        .get(layout::key(META, HOST_KEY.as_bytes()))?
    {
        if let Err(e) = russh::keys::PrivateKey::from_openssh(&bytes) {
            problems.push(format!(
                "key ssh-host-key (the SSH host key): does not parse: {e}"
            ));
        }
    }
    Ok(problems)
}

/// `git fsck` of one bare repository: None when it passes, else why not.
fn fsck(dir: &Path) -> Option<String> {
    if !dir.join("HEAD").is_file() {
        return Some(format!("its git directory {} is missing", dir.display()));
    }
    let out = std::process::Command::new("git")
        .arg("--git-dir")
        .arg(dir)
        .args(["fsck", "--no-progress", "--no-dangling"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output();
    match out {
        Err(e) => Some(format!("cannot run git fsck: {e}")),
        Ok(o) if o.status.success() => None,
        Ok(o) => {
            let text = String::from_utf8_lossy(&o.stderr).into_owned()
                + &String::from_utf8_lossy(&o.stdout);
            let first: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(3)
                .collect();
            Some(format!("git fsck failed: {}", first.join("; ")))
        }
    }
}

/// Checks the database `db` and the repositories directory `repos`. Blocking (parses every key,
/// runs git).
pub fn check(db: &Path, repos: &Path) -> Result<Report> {
    let store = open_existing(db)?;
    let records = actors::data::records_check::check(&store)?;
    let mut problems = records.problems;
    problems.extend(key_problems(&store)?);
    drop(store);
    for id in &records.repositories {
        if let Some(why) = fsck(&repos.join(format!("{id}.git"))) {
            problems.push(format!("repository {id}: {why}"));
        }
    }
    Ok(Report {
        actors: records.actors,
        repositories: records.repositories.len(),
        accounts: records.accounts,
        problems,
    })
}
