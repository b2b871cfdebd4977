//! One commit as the browsing API shows it: hash, parents, author and committer (name, email,
//! time in RFC 3339 with the offset git recorded, as `git log --format=%aI` prints it), summary
//! and description, and its ForgeFed Commit IRI.

use crate::base::error::Result;
use crate::base::kind::ActorRef;
use crate::git::git_err;
use crate::urls::Urls;
use serde::Serialize;

/// A person and a time as a commit records them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Signature {
    pub name: String,
    pub email: String,
    pub time: String,
}

/// One commit of a log.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CommitView {
    pub hash: String,
    pub parents: Vec<String>,
    pub author: Signature,
    pub committer: Signature,
    /// The first paragraph of the message, its lines joined by spaces (git's `%s`).
    pub summary: String,
    /// The rest of the message, `None` when there is none.
    pub description: Option<String>,
    /// The commit's ForgeFed `Commit` object.
    pub iri: String,
}

/// RFC 3339 of `t` in the offset it was recorded with.
pub fn rfc3339(t: gix::date::Time) -> String {
    let offset = time::UtcOffset::from_whole_seconds(t.offset).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::from_unix_timestamp(t.seconds)
        .map(|d| d.to_offset(offset))
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn signature(s: gix::actor::SignatureRef<'_>) -> Result<Signature> {
    Ok(Signature {
        name: s.name.to_string(),
        email: s.email.to_string(),
        time: rfc3339(s.time().map_err(git_err)?),
    })
}

/// The view of commit `commit` of the repository `r`.
pub fn view(urls: &Urls, r: &ActorRef, commit: &gix::Commit<'_>) -> Result<CommitView> {
    let decoded = commit.decode().map_err(git_err)?;
    let message = decoded.message();
    let hash = commit.id.to_hex().to_string();
    let description = message
        .body
        .map(|b| b.to_string().trim().to_string())
        .filter(|b| !b.is_empty());
    Ok(CommitView {
        parents: decoded.parents().map(|p| p.to_hex().to_string()).collect(),
        author: signature(decoded.author().map_err(git_err)?)?,
        committer: signature(decoded.committer().map_err(git_err)?)?,
        summary: message.summary().to_string(),
        description,
        iri: urls.commit(r, &hash).to_string(),
        hash,
    })
}
