//! `orchard backup`, `orchard restore` and `orchard check` (see `crate::backup`): each prints
//! what it did, or one line per problem, and answers the exit status. `backup` here works on a
//! stopped instance; a running one holds its database, and is backed up from inside the server
//! (`backup::create` with `Repos::Live`).

use super::admin::{open_store, Failure};
use crate::backup::{check, create, restore};
use crate::settings::Settings;
use std::path::Path;

/// Backs up the stopped instance of `settings` into `to`.
pub async fn backup(settings: &Settings, to: &Path) -> Result<String, Failure> {
    let store = open_store(settings).map_err(|f| match f.status {
        2 => Failure {
            status: 2,
            message: format!(
                "the data directory {} is in use by a running Orchard server; `orchard backup` \
                 reads a stopped instance (a running one is backed up through its admin \
                 interface)",
                settings.storage.path.display()
            ),
        },
        _ => f,
    })?;
    let repos = create::Repos::Offline(settings.storage.repos_dir());
    let manifest = create::create(&store, repos, &settings.public_url, to)
        .await
        .map_err(|e| Failure {
            status: 1,
            message: e.to_string(),
        })?;
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

/// Checks the database `db` and repositories `repos` of a stopped instance; answers the exit
/// status (1 when anything is wrong, 2 when it cannot be checked).
pub fn check(db: &Path, repos: &Path) -> u8 {
    match check::check(db, repos) {
        Ok(report) => print_check(&report),
        Err(e) => {
            eprintln!("orchard: {e}");
            2
        }
    }
}
