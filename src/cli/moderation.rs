//! `orchard admin blocks list|add|remove` and `delivery list|retry|drop`: the domain functions
//! of `federation::block_admin` and `federation::delivery_admin` (which the admin API shares)
//! on the context's blocks and delivery queue, printed for the operator.

use super::context::Context;
use super::failure::Failure;
use super::table;
use crate::federation::block_admin::{self, BlockTarget};
use crate::federation::delivery_admin;
use time::format_description::well_known::Rfc3339;

/// Who the records of blocks made on the command line name.
pub const OPERATOR: &str = "operator";

/// `blocks list [--json]`.
pub fn blocks_list(ctx: &Context, json: bool) -> Result<String, Failure> {
    let blocks = ctx.blocks().list()?;
    if json {
        return serde_json::to_string_pretty(&blocks).map_err(Failure::other);
    }
    if blocks.is_empty() {
        return Ok("no blocks".into());
    }
    let rows: Vec<[String; 4]> = blocks
        .into_iter()
        .map(|b| {
            let (kind, what) = match (b.host, b.actor) {
                (Some(h), _) => ("host", h),
                (None, Some(a)) => ("actor", a),
                (None, None) => ("?", String::new()),
            };
            let since = if b.since.is_empty() {
                "-".into()
            } else {
                b.since
            };
            [kind.to_string(), what, b.by, since]
        })
        .collect();
    Ok(table::render(["KIND", "BLOCKED", "BY", "SINCE"], &rows))
}

/// `blocks add HOST_OR_ACTOR_IRI`.
pub async fn blocks_add(ctx: &Context, text: &str) -> Result<String, Failure> {
    let target = BlockTarget::from_text(text)?;
    let (blocks, urls) = (ctx.blocks(), ctx.urls());
    let record = block_admin::add((&blocks, &ctx.store, &urls), OPERATOR, &target).await?;
    Ok(match (record.host, record.actor) {
        (Some(h), _) => format!("blocked the host {h}"),
        (_, a) => format!("blocked the actor {}", a.unwrap_or_default()),
    })
}

/// `blocks remove HOST_OR_ACTOR_IRI`.
pub async fn blocks_remove(ctx: &Context, text: &str) -> Result<String, Failure> {
    let target = BlockTarget::from_text(text)?;
    block_admin::remove(&ctx.blocks(), &ctx.store, &target)
        .await
        .map_err(|e| match e {
            crate::error::Error::NotFound(_) => Failure::other(format!(
                "{text} is not blocked (blocks of [federation] blocked_hosts are lifted in the \
                 settings)"
            )),
            e => e.into(),
        })?;
    Ok(format!("lifted the block of {text}"))
}

fn time_of(ms: u64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| ms.to_string())
}

/// `delivery list [--json]`.
pub fn delivery_list(ctx: &Context, json: bool) -> Result<String, Failure> {
    let queue = ctx.delivery()?;
    let hosts = delivery_admin::hosts(&queue)?;
    if json {
        return serde_json::to_string_pretty(&hosts).map_err(Failure::other);
    }
    let routes = queue.routes_waiting();
    let mut out = if hosts.is_empty() {
        "no deliveries are queued".to_string()
    } else {
        let rows: Vec<[String; 5]> = hosts
            .into_iter()
            .map(|h| {
                [
                    h.host,
                    h.pending.to_string(),
                    h.failing.to_string(),
                    time_of(h.next_attempt_ms),
                    h.last_error.unwrap_or_else(|| "-".into()),
                ]
            })
            .collect();
        table::render(
            ["HOST", "PENDING", "FAILING", "NEXT ATTEMPT", "LAST ERROR"],
            &rows,
        )
    };
    if routes > 0 {
        out.push_str(&format!(
            "\n{routes} activities not yet routed to their hosts"
        ));
    }
    Ok(out)
}

/// `delivery retry HOST`.
pub async fn delivery_retry(ctx: &Context, host: &str) -> Result<String, Failure> {
    let (host, n) = delivery_admin::retry(&ctx.delivery()?, host)?;
    ctx.store.flush().await.map_err(Failure::other)?;
    Ok(format!("{n} delivery job(s) for {host} are due now"))
}

/// `delivery drop HOST`.
pub async fn delivery_drop(ctx: &Context, host: &str) -> Result<String, Failure> {
    let (host, n) = delivery_admin::drop_host(&ctx.delivery()?, host)?;
    ctx.store.flush().await.map_err(Failure::other)?;
    Ok(format!("dropped {n} delivery job(s) for {host}"))
}
