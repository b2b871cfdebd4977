// SPDX-License-Identifier: AGPL-3.0-or-later
//! Fuzzes the parser of SSH `exec` commands (`orchard::ssh::command::parse`): it must never
//! panic, and whatever it accepts must name a Repository by a valid local id (so the path it
//! becomes on disk cannot escape the repositories directory) with the service the command asked
//! for.

#![no_main]

use actors::kind::is_valid_local_id;
use actors::ActorKind;
use libfuzzer_sys::fuzz_target;
use orchard::ssh::command::{parse, GitService};

fuzz_target!(|data: &[u8]| {
    let Ok((service, repo)) = parse(data) else {
        return;
    };
    let command = std::str::from_utf8(data).expect("an accepted command is UTF-8");
    assert!(
        data.len() <= 1024,
        "accepted a command of {} bytes",
        data.len()
    );
    assert_eq!(repo.kind, ActorKind::Repository, "{command:?}");
    assert!(
        is_valid_local_id(&repo.id),
        "{command:?} gave id {:?}",
        repo.id
    );
    for bad in ["..", "/", "\\", "'", "~", "\0", " ", "\n"] {
        assert!(!repo.id.contains(bad), "{command:?} gave id {:?}", repo.id);
    }
    assert!(
        command.contains(&repo.id),
        "{command:?} gave id {:?}",
        repo.id
    );
    let asked_push = command.contains("receive-pack");
    let asked_fetch = command.contains("upload-pack");
    match service {
        GitService::ReceivePack => assert!(asked_push, "{command:?} parsed as a push"),
        GitService::UploadPack => assert!(asked_fetch, "{command:?} parsed as a fetch"),
    }
    // The canonical form of what was accepted parses to the same thing.
    let canonical = format!("{} '/repos/{}'", service.as_str(), repo.id);
    assert_eq!(
        parse(canonical.as_bytes()),
        Ok((service, repo)),
        "{command:?}"
    );
});
