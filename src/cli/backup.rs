//! `orchard backup`, `orchard restore` and `orchard check` (see `crate::backup`). `backup` is
//! an admin command (`dispatch` runs it on a `Context`): in a running server, through the admin
//! socket, it dumps the live store and copies each repository through its actor; on a stopped
//! instance it reads the data directly. `restore` and `check` print what they did, or one line
//! per problem, and answer the exit status.

use super::context::Context;
use super::failure::Failure;
use crate::backup::{check, create, restore};
use std::path::{Path, PathBuf};

/// Backs up the instance of `ctx` into `to`; answers the line for the operator.
pub async fn backup_in(ctx: &Context, to: &Path) -> Result<String, Failure> {
    let repos = match &ctx.live {
        Some(live) => create::Repos::Live(&live.registry),
        None => create::Repos::Offline(ctx.settings.storage.repos_dir()),
    };
    let manifest = create::create(&ctx.store, repos, &ctx.settings.public_url, to)
        .await
        .map_err(Failure::other)?;
    let c = &manifest.counts;
    Ok(format!(
        "backed up {} actors ({} repositories), {} accounts and {} database keys to {} \
         (it holds private keys and password hashes: keep it safe)",
        c.actors,
        c.repositories,
        c.accounts,
        c.keys,
        to.display()
    ))
}

fn print_check(report: &check::Report) -> u8 {
    for p in &report.problems {
        println!("{p}");
    }
    if report.problems.is_empty() {
        println!("{}", report.summary());
        0
    } else {
        eprintln!("orchard: {} problems found", report.problems.len());
        1
    }
}

/// Restores the archive `from` into the empty directory `to`; answers the exit status.
pub fn restore(from: &Path, to: &Path) -> u8 {
    match restore::restore(from, to) {
        Ok(r) => {
            println!(
                "restored the backup of {} taken at {} into {} (set [storage] path = \"{}\" \
                 and public_url = \"{}\")",
                r.manifest.public_url,
                r.manifest.created,
                to.display(),
                to.join("db").display(),
                r.manifest.public_url
            );
            print_check(&r.check)
        }
        Err(e) => {
            eprintln!("orchard: {e}");
            1
        }
    }
}

/// Checks a stopped instance's data, named by its settings file or as a data directory;
/// answers the exit status (1 when anything is wrong, 2 when it cannot be checked).
pub fn check(settings: Option<PathBuf>, data: Option<PathBuf>) -> u8 {
    let (db, repos) = match (settings, data) {
        (_, Some(dir)) => (dir.join("db"), dir.join("repos")),
        (settings, None) => {
            let path = settings.unwrap_or_else(|| PathBuf::from("settings.toml"));
            match crate::settings::Settings::load(&path) {
                Ok(s) => (s.storage.path.clone(), s.storage.repos_dir()),
                Err(e) => {
                    eprintln!("orchard: {e}");
                    return 2;
                }
            }
        }
    };
    match check::check(&db, &repos) {
        Ok(report) => print_check(&report),
        Err(e) => {
            eprintln!("orchard: {e}");
            2
        }
    }
}
