//! Looking up what a person pastes into the web "look up" form: an actor IRI (fetched with a
//! signed GET, `Fetcher::fetch_json`) or a `user@host` handle (WebFinger at that host first,
//! RFC 7033, then the actor IRI its `self` link names). The fetcher's rules hold throughout:
//! http(s) only, no private addresses unless allowed, timeouts, a size cap, the `id` check.

use super::fetch::Fetcher;
use crate::error::{Error, Result};
use reqwest::header::ACCEPT;
use schema::webfinger::{parse_acct, Jrd, JRD_JSON};
use serde_json::Value;
use url::{Host, Url};

/// The largest JRD read.
const MAX_JRD: usize = 64 * 1024;

/// What was pasted: an IRI, or a handle's user and host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Iri(Url),
    Handle { user: String, host: String },
}

/// Parses a pasted query: an http(s) URL, or `user@host` (also `@user@host`, `acct:user@host`).
pub fn parse(text: &str) -> Result<Query> {
    let text = text.trim();
    if text.starts_with("http://") || text.starts_with("https://") {
        return Url::parse(text)
            .map(Query::Iri)
            .map_err(|e| Error::BadRequest(format!("{text:?} is not a valid URL: {e}")));
    }
    match parse_acct(text) {
        Some((user, host)) if !host.contains('/') => Ok(Query::Handle {
            user: user.to_string(),
            host: host.to_string(),
        }),
        _ => Err(Error::BadRequest(format!(
            "{text:?} is neither an http(s) URL nor a user@host handle"
        ))),
    }
}

/// The IRI a query names: itself, or the actor a handle's WebFinger answer links to.
pub async fn actor_iri(fetcher: &Fetcher, query: &Query) -> Result<Url> {
    match query {
        Query::Iri(iri) => Ok(iri.clone()),
        Query::Handle { user, host } => webfinger(fetcher, user, host).await,
    }
}

/// Resolves a pasted query to the JSON document it names.
pub async fn resolve(fetcher: &Fetcher, text: &str) -> Result<Value> {
    let iri = actor_iri(fetcher, &parse(text)?).await?;
    fetcher.fetch_json(&iri).await
}

/// Asks `host` who `user` is: https first; plain http only for a loopback or IP-literal host
/// (a development instance) that does not answer https.
async fn webfinger(fetcher: &Fetcher, user: &str, host: &str) -> Result<Url> {
    let resource = format!("acct:{user}@{host}");
    let mut last = Error::Remote(format!("{host} did not answer WebFinger"));
    for scheme in ["https", "http"] {
        let url = Url::parse(&format!("{scheme}://{host}/.well-known/webfinger"))
            .map_err(|e| Error::BadRequest(format!("{host:?} is not a valid host: {e}")))?;
        if scheme == "http" && !is_development_host(&url) {
            break;
        }
        match jrd(fetcher, &url, &resource).await {
            Ok(jrd) => {
                let href = jrd.actor_href().ok_or_else(|| {
                    Error::Remote(format!("{host} names no ActivityPub actor for {resource}"))
                })?;
                return Url::parse(href)
                    .map_err(|e| Error::Remote(format!("{host} answered a bad actor IRI: {e}")));
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Whether a URL's host is loopback, an IP literal or `localhost`.
fn is_development_host(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(_) | Host::Ipv6(_)) => true,
        Some(Host::Domain(name)) => name == "localhost",
        None => false,
    }
}

/// One WebFinger request, its answer size-capped and parsed.
async fn jrd(fetcher: &Fetcher, url: &Url, resource: &str) -> Result<Jrd> {
    fetcher.check_destination(url).await?;
    let failed = |e: reqwest::Error| Error::Remote(format!("WebFinger at {url} failed: {e}"));
    let mut response = (fetcher.client().get(url.as_str()))
        .query(&[("resource", resource)])
        .header(ACCEPT, JRD_JSON)
        .send()
        .await
        .map_err(failed)?;
    if !response.status().is_success() {
        return Err(Error::Remote(format!(
            "WebFinger at {url} answered HTTP {}",
            response.status()
        )));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        if body.len() + chunk.len() > MAX_JRD {
            return Err(Error::Remote(format!(
                "WebFinger at {url}: answer too large"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&body)
        .map_err(|e| Error::Remote(format!("WebFinger at {url}: not a JRD: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_handles_are_told_apart() {
        let iri = "https://forge.example/repos/tree";
        assert_eq!(parse(iri).unwrap(), Query::Iri(Url::parse(iri).unwrap()));
        let handle = Query::Handle {
            user: "bob".into(),
            host: "127.0.0.1:7000".into(),
        };
        assert_eq!(parse(" bob@127.0.0.1:7000 ").unwrap(), handle);
        assert_eq!(parse("@bob@127.0.0.1:7000").unwrap(), handle);
        assert_eq!(parse("acct:bob@127.0.0.1:7000").unwrap(), handle);
        for bad in [
            "",
            "bob",
            "ftp://x.example/a",
            "bob@",
            "@x.example",
            "a@b/c",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
