//! Strict parsing of the command of an SSH `exec` request. Only git's two transport commands
//! are offered, on a repository named by its IRI path:
//!
//! - `git-receive-pack '<path>'` and `git-upload-pack '<path>'` (what git sends), also
//!   `git receive-pack '<path>'` and `git upload-pack '<path>'`;
//! - quotes are optional, but only balanced single quotes around the whole path;
//! - `<path>` is `/repos/<id>` or `repos/<id>`, optionally followed by `.git` and/or `/`.
//!
//! Anything else (other commands, extra arguments, filesystem paths, `..`, `~`, shell
//! metacharacters, non-UTF-8) is refused with a message for the client.

use actors::kind::is_valid_local_id;
use actors::urls::{captures, routes};
use actors::{ActorKind, ActorRef};

/// Longest command accepted, in bytes.
const MAX_COMMAND: usize = 1024;

/// The git service an exec request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitService {
    /// `git-receive-pack`: a push.
    ReceivePack,
    /// `git-upload-pack`: a clone or fetch.
    UploadPack,
}

impl GitService {
    /// The command name, as git spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            GitService::ReceivePack => "git-receive-pack",
            GitService::UploadPack => "git-upload-pack",
        }
    }

    /// The service of a subcommand name of `git` (`receive-pack`, `upload-pack`).
    fn from_subcommand(name: &str) -> Option<GitService> {
        match name {
            "receive-pack" => Some(GitService::ReceivePack),
            "upload-pack" => Some(GitService::UploadPack),
            _ => None,
        }
    }
}

const OFFERED: &str =
    "only git-receive-pack and git-upload-pack are offered, e.g. git-upload-pack '/repos/<id>'";

/// Parses an exec command into the service and the Repository it names. The error is a
/// message for the client.
pub fn parse(command: &[u8]) -> Result<(GitService, ActorRef), String> {
    if command.len() > MAX_COMMAND {
        return Err("the command is too long".into());
    }
    let command = std::str::from_utf8(command).map_err(|_| "the command is not UTF-8")?;
    let words: Vec<&str> = command.split(' ').filter(|w| !w.is_empty()).collect();
    let (service, arg) = match words.as_slice() {
        ["git", sub, arg] => (GitService::from_subcommand(sub), *arg),
        [name, arg] => (
            name.strip_prefix("git-")
                .and_then(GitService::from_subcommand),
            *arg,
        ),
        _ => (None, ""),
    };
    let service = service.ok_or_else(|| OFFERED.to_string())?;
    let path = unquote(arg)?;
    Ok((service, repository(path)?))
}

/// Removes balanced single quotes around the whole argument.
fn unquote(arg: &str) -> Result<&str, String> {
    let inner = match arg.strip_prefix('\'') {
        Some(rest) => rest
            .strip_suffix('\'')
            .ok_or_else(|| "unbalanced quotes in the command".to_string())?,
        None => arg,
    };
    if inner.contains('\'') {
        return Err("unbalanced quotes in the command".into());
    }
    Ok(inner)
}

/// The Repository named by `/repos/<id>[.git][/]`.
fn repository(path: &str) -> Result<ActorRef, String> {
    let refuse = || format!("{path:?} is not a repository path; use /repos/<id>");
    let rest = path.strip_suffix('/').unwrap_or(path);
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let absolute = format!("/{}", rest.strip_prefix('/').unwrap_or(rest));
    let caps = captures(routes::ACTOR, &absolute).ok_or_else(refuse)?;
    let [("segment", segment), ("id", id)] = caps[..] else {
        return Err(refuse());
    };
    if ActorKind::from_path_segment(segment) != Some(ActorKind::Repository)
        || !is_valid_local_id(id)
    {
        return Err(refuse());
    }
    Ok(ActorRef::new(ActorKind::Repository, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(command: &str) -> (GitService, String) {
        match parse(command.as_bytes()) {
            Ok((s, r)) => {
                assert_eq!(r.kind, ActorKind::Repository);
                (s, r.id)
            }
            Err(e) => panic!("{command:?} refused: {e}"),
        }
    }

    #[test]
    fn accepts_the_forms_git_sends() {
        use GitService::*;
        let expect = |c: &str, s: GitService| assert_eq!(ok(c), (s, "tree-sim".into()), "{c}");
        expect("git-receive-pack '/repos/tree-sim'", ReceivePack);
        expect("git-upload-pack '/repos/tree-sim'", UploadPack);
        expect("git receive-pack '/repos/tree-sim'", ReceivePack);
        expect("git upload-pack '/repos/tree-sim'", UploadPack);
        expect("git-upload-pack 'repos/tree-sim'", UploadPack);
        expect("git-upload-pack /repos/tree-sim", UploadPack);
        expect("git-upload-pack repos/tree-sim", UploadPack);
        expect("git-upload-pack '/repos/tree-sim.git'", UploadPack);
        expect("git-upload-pack '/repos/tree-sim/'", UploadPack);
        expect("git-upload-pack '/repos/tree-sim.git/'", UploadPack);
        expect("git-receive-pack  '/repos/tree-sim'", ReceivePack);
        assert_eq!(ok("git-upload-pack '/repos/a_1'").1, "a_1");
    }

    fn refused(command: &[u8]) -> String {
        match parse(command) {
            Ok(r) => panic!("{:?} accepted as {r:?}", String::from_utf8_lossy(command)),
            Err(e) => e,
        }
    }

    #[test]
    fn refuses_other_commands_and_arguments() {
        for c in [
            "",
            "ls",
            "sh -c 'id'",
            "git-upload-archive '/repos/x'",
            "git-upload-pack",
            "git upload-pack",
            "git-upload-pack '/repos/x' extra",
            "git upload-pack '/repos/x' extra",
            "git --exec-path=/tmp upload-pack '/repos/x'",
            "git-upload-pack --strict '/repos/x'",
            "git git-upload-pack '/repos/x'",
            "scp -t /repos/x",
            "/usr/bin/git-upload-pack '/repos/x'",
        ] {
            refused(c.as_bytes());
        }
        assert!(refused(b"ls").contains("only git-receive-pack and git-upload-pack"));
    }

    #[test]
    fn refuses_bad_paths() {
        for c in [
            "git-upload-pack '/var/lib/x.git'",
            "git-upload-pack '/repos/../x'",
            "git-upload-pack '/repos/..'",
            "git-upload-pack '../repos/x'",
            "git-upload-pack '~/repos/x'",
            "git-upload-pack '~x'",
            "git-upload-pack '//repos/x'",
            "git-upload-pack '/repos/x/y'",
            "git-upload-pack '/repos/'",
            "git-upload-pack '/repos/.git'",
            "git-upload-pack '/repos/X'",
            "git-upload-pack '/people/alice'",
            "git-upload-pack '/repos/x//'",
            "git-upload-pack '/repos/x.git.git'",
            "git-upload-pack '/repos/x/.git'",
        ] {
            assert!(
                refused(c.as_bytes()).contains("not a repository path"),
                "{c}"
            );
        }
        let long = format!("git-upload-pack '/repos/{}'", "a".repeat(33));
        refused(long.as_bytes());
        refused(format!("git-upload-pack '/repos/{}'", "a".repeat(2000)).as_bytes());
    }

    #[test]
    fn refuses_quotes_and_metacharacters() {
        for c in [
            "git-upload-pack '/repos/x",
            "git-upload-pack /repos/x'",
            "git-upload-pack ''/repos/x''",
            "git-upload-pack '/repos/x'\\''y'",
            "git-upload-pack \"/repos/x\"",
            "git-upload-pack '/repos/x';id",
            "git-upload-pack '/repos/x' ; id",
            "git-upload-pack '/repos/x' && id",
            "git-upload-pack '/repos/x'|id",
            "git-upload-pack '/repos/$(id)'",
            "git-upload-pack '/repos/`id`'",
            "git-upload-pack '/repos/x'\nid",
            "git-upload-pack\t'/repos/x'",
            "git-upload-pack '/repos/x\0'",
            "git-upload-pack '/repos/*'",
        ] {
            refused(c.as_bytes());
        }
        assert!(refused(b"git-upload-pack '/repos/\xff'").contains("UTF-8"));
    }
}
