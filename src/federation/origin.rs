//! What a signed inbox POST must name: the signed `Host` is this instance (no replay of a
//! request signed for another server), and an activity's `id` is on its actor's origin and
//! never on this instance's (no pre-claiming of ids others will give out).

use crate::error::{Error, Result};
use actors::Urls;
use url::Url;

/// `host` or `host:port` of an IRI, as in a Host header.
pub fn authority(iri: &Url) -> String {
    match (iri.host_str(), iri.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        (None, _) => String::new(),
    }
}

/// The signed `Host` must be this instance's `public_url` authority (host, and port when not
/// the scheme's default): a request signed for another server and replayed here is refused.
pub fn check_signed_host(urls: &Urls, headers: &[(String, String)]) -> Result<()> {
    let mut hosts = headers
        .iter()
        .filter(|(n, _)| n == "host")
        .map(|(_, v)| v.trim());
    let host = hosts
        .next()
        .ok_or_else(|| Error::Signature("missing Host header".into()))?;
    if hosts.next().is_some() {
        return Err(Error::Signature("more than one Host header".into()));
    }
    let base = urls.base();
    let ours = Url::parse(&format!("{}://{host}/", base.scheme())).is_ok_and(|u| {
        u.path() == "/"
            && u.username().is_empty()
            && u.host_str() == base.host_str()
            && u.port_or_known_default() == base.port_or_known_default()
    });
    if !ours {
        let shown: String = host.chars().take(80).collect();
        return Err(Error::Signature(format!(
            "the request was signed for host {shown:?}, not for this instance ({})",
            urls.authority()
        )));
    }
    Ok(())
}

/// Same scheme, host and port.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// An activity's id is on its actor's origin (which is the signing key owner's: they are
/// equal), and never on this instance's: nobody can claim an id another server (or this one)
/// will give out, which would make the genuine activity a "duplicate".
pub fn check_id_origin(urls: &Urls, id: &Url, actor: &Url) -> Result<()> {
    if urls.is_local(id) {
        return Err(Error::BadRequest(format!(
            "the activity's id {id} is on this instance; an incoming activity's id must be on its actor's server"
        )));
    }
    if !same_origin(id, actor) {
        return Err(Error::BadRequest(format!(
            "the activity's id {id} is not on the origin of its actor {actor}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> Urls {
        Urls::new(Url::parse("https://forge.example").unwrap())
    }

    fn headers(host: &str) -> Vec<(String, String)> {
        vec![("host".into(), host.into())]
    }

    #[test]
    fn the_signed_host_is_this_instance() {
        for ok in ["forge.example", "FORGE.example", "forge.example:443"] {
            assert!(check_signed_host(&urls(), &headers(ok)).is_ok(), "{ok}");
        }
        for bad in [
            "other.example",
            "forge.example:8443",
            "forge.example/x",
            "u@forge.example",
        ] {
            assert!(check_signed_host(&urls(), &headers(bad)).is_err(), "{bad}");
        }
        assert!(check_signed_host(&urls(), &[]).is_err());
        let two = [headers("forge.example"), headers("forge.example")].concat();
        assert!(check_signed_host(&urls(), &two).is_err());
    }

    #[test]
    fn ids_are_on_the_actors_origin_and_not_ours() {
        let u = |s: &str| Url::parse(s).unwrap();
        let actor = u("https://a.example/users/x");
        assert!(check_id_origin(&urls(), &u("https://a.example/act/1"), &actor).is_ok());
        assert!(check_id_origin(&urls(), &u("https://a.example:443/act/1"), &actor).is_ok());
        for bad in [
            "http://a.example/act/1",
            "https://a.example:8443/act/1",
            "https://b.example/act/1",
            "https://forge.example/people/x/activities/1",
            "urn:orchard:sha256:00",
        ] {
            assert!(check_id_origin(&urls(), &u(bad), &actor).is_err(), "{bad}");
        }
    }
}
