//! Who an authenticating SSH key belongs to: a local person who registered it, else a remote
//! person holding a Grant here whose home lists it (`remote_keys`).

use super::context::SshContext;

/// The person a key belongs to: a local person, else a remote person holding a Grant
/// here whose home lists the key; None otherwise (storage errors are logged).
pub async fn owner(ctx: &SshContext, fp: &str) -> Option<url::Url> {
    match ctx.keys.owner(fp) {
        Ok(Some(username)) => {
            return Some(
                ctx.urls
                    .actor(&actors::ActorRef::new(actors::ActorKind::Person, username)),
            )
        }
        Ok(None) => {}
        Err(e) => {
            tracing::error!(error = %e, "cannot read SSH keys");
            return None;
        }
    }
    ctx.remote_keys.owner(fp).await
}
