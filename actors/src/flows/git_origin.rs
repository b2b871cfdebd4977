//! Where a git job reads from: a local Repository's git directory, asked of that Repository
//! (`ReadableDir`, so its visibility rule decides), or a remote repository's `cloneUri` (a fork's
//! origin, a merge request's origin branch; Orchard's is the repository's IRI, another forge's
//! is wherever it serves git, e.g. `https://forge.example/alice/tree.git`), read from its actor
//! document (fetched by the server, `FetchDocument`: signed, address rules and
//! blocks applied). A remote `cloneUri` must be on the origin's own host (the host the fetcher
//! vetted), over http(s): git never goes anywhere else.

use crate::actor::git_jobs::GitSource;
use crate::base::error::{ActorError, Result};
use crate::base::kind::{ActorKind, ActorRef};
use crate::kinds::repository::Repository;
use crate::kinds::repository_fetch::{FetchFrom, ReadableDir};
use crate::registry::Registry;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use url::Url;

/// Fetches a remote actor document (the server's signed fetcher).
pub type FetchDocument =
    Arc<dyn Fn(Url) -> Pin<Box<dyn Future<Output = Result<Value>> + Send>> + Send + Sync>;

/// A `FetchDocument` that fetches nothing (instances without federation, unit tests).
pub fn no_documents() -> FetchDocument {
    Arc::new(|iri: Url| {
        Box::pin(async move {
            Err(ActorError::NotFound(format!(
                "{iri}: remote documents are not fetched here"
            )))
        })
    })
}

/// The git directory of a local Repository, if `reader` may read it.
pub async fn readable_dir(registry: &Registry, r: &ActorRef, reader: &Url) -> Result<FetchFrom> {
    if r.kind != ActorKind::Repository {
        return Err(ActorError::Invalid(format!(
            "{} is not a Repository",
            registry.urls().actor(r)
        )));
    }
    let addr = registry
        .get::<Repository>(&r.id)
        .await
        .map_err(|_| unreadable(registry, r))?;
    let msg = ReadableDir {
        reader: reader.clone(),
    };
    match addr.send(msg).await? {
        Ok(dir) => Ok(FetchFrom::Dir(dir)),
        Err(_) => Err(unreadable(registry, r)),
    }
}

fn unreadable(registry: &Registry, r: &ActorRef) -> ActorError {
    ActorError::NotFound(format!(
        "{} (it does not exist, or the asker may not read it)",
        registry.urls().actor(r)
    ))
}

/// Where a `GitSource` is read from, for `reader`: a remote Repository at the `cloneUri` of
/// its document (as a fork's origin, `origin`), whatever the server it is on.
pub async fn source(
    registry: &Registry,
    fetch: &FetchDocument,
    source: &GitSource,
    reader: &Url,
) -> Result<FetchFrom> {
    match source {
        GitSource::Local(r) => readable_dir(registry, r, reader).await,
        GitSource::Remote(u) => origin(registry, fetch, u, reader).await,
    }
}

/// Where a fork's origin (a Repository IRI, local or remote) is read from, for `reader`.
pub async fn origin(
    registry: &Registry,
    fetch: &FetchDocument,
    origin: &Url,
    reader: &Url,
) -> Result<FetchFrom> {
    let urls = registry.urls();
    if urls.is_local(origin) {
        let r = urls
            .parse_actor(origin)
            .ok_or_else(|| ActorError::Invalid(format!("{origin} is not a Repository")))?;
        return readable_dir(registry, &r, reader).await;
    }
    // The fetcher's reason (addresses, DNS) is logged, never told the asker.
    let doc = fetch(origin.clone()).await.map_err(|e| {
        tracing::info!(%origin, error = %e, "a git job's remote repository could not be fetched");
        ActorError::NotFound(format!("{origin} could not be fetched"))
    })?;
    clone_uri(origin, &doc).map(FetchFrom::Url)
}

/// The `cloneUri` of a remote Repository document: on the origin's host, http(s).
pub fn clone_uri(origin: &Url, doc: &Value) -> Result<Url> {
    let is_repo = match &doc["type"] {
        Value::String(t) => t == "Repository",
        Value::Array(ts) => ts.iter().any(|t| t == "Repository"),
        _ => false,
    };
    if !is_repo {
        return Err(ActorError::Invalid(format!("{origin} is not a Repository")));
    }
    let uri = match &doc["cloneUri"] {
        Value::Array(items) => items.first().and_then(Value::as_str),
        v => v.as_str(),
    };
    let uri = uri
        .and_then(|u| Url::parse(u).ok())
        .ok_or_else(|| ActorError::Invalid(format!("{origin} has no cloneUri")))?;
    if !matches!(uri.scheme(), "http" | "https") || uri.origin() != origin.origin() {
        return Err(ActorError::Invalid(format!(
            "{origin}: its cloneUri {uri} is not an http(s) URL on its own host"
        )));
    }
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::clone_uri;
    use serde_json::json;
    use url::Url;

    #[test]
    fn clone_uri_is_a_repository_s_on_its_own_host() {
        let o = Url::parse("https://a.example/repos/r").unwrap();
        let doc = |t: &str, c: &str| json!({"type": t, "cloneUri": c});
        let ok = clone_uri(&o, &doc("Repository", "https://a.example/r.git")).unwrap();
        assert_eq!(ok.as_str(), "https://a.example/r.git");
        assert!(clone_uri(&o, &doc("Person", "https://a.example/r.git")).is_err());
        assert!(clone_uri(&o, &doc("Repository", "https://b.example/r.git")).is_err());
        assert!(clone_uri(&o, &doc("Repository", "file:///etc")).is_err());
        assert!(clone_uri(&o, &json!({"type": "Repository"})).is_err());
    }
}
