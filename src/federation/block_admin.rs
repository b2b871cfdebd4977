//! Adding and lifting blocks, as the admin API, the web admin page and `orchard admin blocks`
//! do it: one validation of the target (a host or an actor IRI), the refusal to block this
//! instance itself, the record of who blocked what and when, and the flush.

use super::blocks::{BlockRecord, Blocks};
use crate::error::{Error, Result};
use actors::{Store, Urls};

/// What to block: a host (normalised, see `host_blocks::parse_block`) or an actor IRI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockTarget {
    Host(String),
    Actor(String),
}

impl BlockTarget {
    /// Exactly one of a host or an actor IRI; 400 (BadRequest) unless it is a valid one.
    pub fn parse(host: Option<String>, actor: Option<String>) -> Result<BlockTarget> {
        match (host, actor) {
            (Some(h), None) => Ok(BlockTarget::Host(
                crate::host_blocks::parse_block(&h).map_err(Error::BadRequest)?,
            )),
            (None, Some(a)) => {
                let u = url::Url::parse(&a)
                    .map_err(|_| Error::BadRequest(format!("{a:?} is not an actor IRI")))?;
                if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none() {
                    return Err(Error::BadRequest(format!("{a:?} is not an actor IRI")));
                }
                Ok(BlockTarget::Actor(u.to_string()))
            }
            _ => Err(Error::BadRequest(
                "give exactly one of host or actor".into(),
            )),
        }
    }

    /// A host or, when it has a scheme (`https://...`), an actor IRI (the command line).
    pub fn from_text(text: &str) -> Result<BlockTarget> {
        match text.contains("://") {
            true => BlockTarget::parse(None, Some(text.to_string())),
            false => BlockTarget::parse(Some(text.to_string()), None),
        }
    }

    fn parts(&self) -> (Option<&str>, Option<&str>) {
        match self {
            BlockTarget::Host(h) => (Some(h), None),
            BlockTarget::Actor(a) => (None, Some(a)),
        }
    }
}

/// Whether a host block would match this instance's own `public_url`.
fn blocks_this_instance(urls: &Urls, host: &str) -> bool {
    let own_port = urls.base().port_or_known_default();
    match host.rsplit_once(':').filter(|_| !host.ends_with(']')) {
        Some((h, port)) => h == urls.host() && port.parse::<u16>().ok() == own_port,
        None => host == urls.host(),
    }
}

/// Blocks `target` on behalf of `by` (an admin's username, or "operator" for the command
/// line) and flushes; 400 for this instance itself.
pub async fn add(
    (blocks, store, urls): (&Blocks, &Store, &Urls),
    by: &str,
    target: &BlockTarget,
) -> Result<BlockRecord> {
    if let BlockTarget::Host(h) = target {
        if blocks_this_instance(urls, h) {
            return Err(Error::BadRequest(
                "this instance cannot block itself".into(),
            ));
        }
    }
    let (host, actor) = target.parts();
    let record = BlockRecord {
        host: host.map(str::to_string),
        actor: actor.map(str::to_string),
        by: by.to_string(),
        since: actors::base::clock::now_rfc3339(),
    };
    blocks.add(&record)?;
    store.flush().await?;
    tracing::warn!(host = ?record.host, actor = ?record.actor, by = %record.by, "blocked");
    Ok(record)
}

/// Lifts the block of `target` and flushes; 404 (NotFound) when there is none.
pub async fn remove(blocks: &Blocks, store: &Store, target: &BlockTarget) -> Result<()> {
    let (host, actor) = target.parts();
    if !blocks.remove(host, actor)? {
        return Err(Error::NotFound("no such block".into()));
    }
    store.flush().await?;
    tracing::warn!(?host, ?actor, "block lifted");
    Ok(())
}
