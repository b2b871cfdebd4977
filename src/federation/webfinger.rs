//! Finding a person by handle (`user@host`, as people write it): the WebFinger lookup
//! (RFC 7033) `GET {scheme}://{host}/.well-known/webfinger?resource=acct:user@host`, through the
//! fetcher's client after its destination check (no private addresses unless allowed), its
//! `self` link of an ActivityPub type answered. Used by the web forms that name a person.

use super::fetch::Fetcher;
use crate::error::{Error, Result};
use serde_json::Value;
use url::Url;

/// Largest WebFinger answer read.
const MAX_JRD: usize = 64 * 1024;

/// Splits a handle `user@host` (a leading `@` allowed); None when it is not one.
pub fn split_handle(handle: &str) -> Option<(&str, &str)> {
    let (user, host) = handle.trim().trim_start_matches('@').split_once('@')?;
    let ok = |s: &str| !s.is_empty() && !s.contains(['/', '?', '#', '@', ' ']);
    (ok(user) && ok(host)).then_some((user, host))
}

/// The actor IRI of `user@host`, asked of `host` over `scheme` (`https`, or `http` where the
/// instance itself runs on http: tests and the demo).
pub async fn resolve(fetcher: &Fetcher, scheme: &str, user: &str, host: &str) -> Result<Url> {
    let mut url = Url::parse(&format!("{scheme}://{host}/.well-known/webfinger"))
        .map_err(|e| Error::BadRequest(format!("{host:?} is not a host name: {e}")))?;
    url.query_pairs_mut()
        .append_pair("resource", &format!("acct:{user}@{host}"));
    fetcher.check_destination(&url).await?;
    let failed = |e: reqwest::Error| Error::Remote(format!("WebFinger of {user}@{host}: {e}"));
    let answer = fetcher
        .client()
        .get(url.as_str())
        .header(reqwest::header::ACCEPT, "application/jrd+json")
        .send()
        .await
        .map_err(failed)?;
    if !answer.status().is_success() {
        return Err(Error::NotFound(format!(
            "{host} knows no {user}@{host} (WebFinger: HTTP {})",
            answer.status()
        )));
    }
    let mut answer = answer;
    let mut body = Vec::new();
    // Read a chunk at a time, so an endless answer costs at most `MAX_JRD` of memory.
    while let Some(chunk) = answer.chunk().await.map_err(failed)? {
        if body.len() + chunk.len() > MAX_JRD {
            return Err(Error::Remote(format!(
                "WebFinger of {user}@{host}: too large"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    let jrd: Value = serde_json::from_slice(&body)
        .map_err(|e| Error::Remote(format!("WebFinger of {user}@{host}: {e}")))?;
    self_link(&jrd).ok_or_else(|| {
        Error::NotFound(format!(
            "WebFinger of {user}@{host} names no ActivityPub actor"
        ))
    })
}

/// The `self` link of a JRD whose type is ActivityPub's.
pub fn self_link(jrd: &Value) -> Option<Url> {
    let links = jrd["links"].as_array()?;
    links
        .iter()
        .filter(|l| l["rel"] == "self")
        .filter(|l| {
            let t = l["type"].as_str().unwrap_or_default();
            t == "application/activity+json" || t.starts_with("application/ld+json")
        })
        .find_map(|l| Url::parse(l["href"].as_str()?).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_split_and_checked() {
        assert_eq!(split_handle("@bob@b.example"), Some(("bob", "b.example")));
        assert_eq!(
            split_handle("bob@127.0.0.1:7001"),
            Some(("bob", "127.0.0.1:7001"))
        );
        assert_eq!(split_handle("bob"), None);
        assert_eq!(split_handle("bob@"), None);
        assert_eq!(split_handle("b/ob@host"), None);
    }

    #[test]
    fn the_self_link_of_an_activitypub_type_is_taken() {
        let jrd = serde_json::json!({"links": [
            {"rel": "http://webfinger.net/rel/profile-page", "href": "https://x/@bob"},
            {"rel": "self", "type": "application/activity+json", "href": "https://x/people/bob"},
        ]});
        assert_eq!(self_link(&jrd).unwrap().as_str(), "https://x/people/bob");
        assert_eq!(self_link(&serde_json::json!({"links": []})), None);
    }
}
