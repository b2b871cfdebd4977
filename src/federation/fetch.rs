// SPDX-License-Identifier: AGPL-3.0-or-later
//! Fetching remote ActivityPub documents: the shared HTTP client (timeouts, no automatic
//! redirects), refusing private and loopback destinations (checked before each request and again
//! by the client's resolver, so DNS rebinding cannot slip through), signed GETs by the instance
//! actor, a 1 MiB body cap, the `id` check, and resolving a signature's `keyId` to its key.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, LOCATION};
use schema::{KeyDocument, KeyOwner, PublicKey};
use serde_json::Value;
use url::{Host, Url};

use crate::error::Error;
use crate::federation::signature::sign_request;

/// The largest document we read.
const MAX_DOCUMENT: usize = 1024 * 1024;
/// What we ask for: the two ActivityPub media types (`schema::context`).
const ACCEPT_AP: &str = "application/activity+json, application/ld+json; \
                         profile=\"https://www.w3.org/ns/activitystreams\"";

/// Whether `ip` is a public unicast address: not loopback, private, link-local, unique-local,
/// unspecified, shared (100.64/10), documentation, benchmarking, multicast or reserved.
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
            match s {
                // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
                [0, 0, 0, 0, 0, 0xffff, ..] | [0x64, 0xff9b, 0, 0, 0, 0, ..] => {
                    is_public_v4(v4(s[6], s[7]))
                }
                // ::, ::1 and the deprecated IPv4-compatible addresses.
                [0, 0, 0, 0, 0, 0, ..] => false,
                [0x2001, 0xdb8, ..] => false, // documentation
                [0x2002, ..] => is_public_v4(v4(s[1], s[2])), // 6to4
                [first, ..] => {
                    first & 0xfe00 != 0xfc00 // unique local fc00::/7
                        && first & 0xffc0 != 0xfe80 // link-local fe80::/10
                        && first & 0xffc0 != 0xfec0 // site-local fec0::/10
                        && first & 0xff00 != 0xff00 // multicast
                }
            }
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0 // "this network", unspecified
        || a == 10
        || a == 127
        || a >= 224 // multicast, reserved, broadcast
        || (a == 100 && (64..128).contains(&b)) // shared address space
        || (a == 169 && b == 254)
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 168)
        || (a == 192 && b == 0 && (c == 0 || c == 2)) // protocol assignments, TEST-NET-1
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113))
}

/// The client's resolver when private addresses are refused: drops non-public addresses, so a
/// name that resolved to a public address in `check_destination` cannot connect elsewhere later.
struct PublicOnlyResolver;

impl reqwest::dns::Resolve for PublicOnlyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|addr| is_public_address(addr.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// An error and its causes, `: `-separated (reqwest's own message omits the cause).
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Fetches remote documents, signed by the instance actor.
#[derive(Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    key: actors::KeyPair,
    key_id: Url,
    allow_private: bool,
}

impl Fetcher {
    /// A fetcher signing with the instance actor's key. `allow_private_addresses` lets it contact
    /// loopback and private addresses (tests, the demo).
    pub fn new(
        instance_key: actors::KeyPair,
        instance_key_id: Url,
        allow_private_addresses: bool,
    ) -> Result<Fetcher, Error> {
        let mut builder = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("orchard/", env!("CARGO_PKG_VERSION")));
        if !allow_private_addresses {
            builder = builder.dns_resolver(Arc::new(PublicOnlyResolver));
        }
        let client = builder.build().map_err(|e| {
            Error::Remote(format!("cannot build the HTTP client: {}", describe(&e)))
        })?;
        Ok(Fetcher {
            client,
            key: instance_key,
            key_id: instance_key_id,
            allow_private: allow_private_addresses,
        })
    }

    /// The HTTP client (also used for deliveries).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Refuses URLs that are not http(s), and (unless private addresses are allowed) URLs whose
    /// host is or resolves to a non-public address.
    pub async fn check_destination(&self, url: &Url) -> Result<(), Error> {
        let host = match url.host() {
            Some(host) if matches!(url.scheme(), "http" | "https") => host,
            _ => {
                return Err(Error::Forbidden(format!(
                    "refusing to contact {url}: only http(s) URLs with a host are allowed"
                )))
            }
        };
        if self.allow_private {
            return Ok(());
        }
        let refuse = |ip: IpAddr| match is_public_address(ip) {
            true => Ok(()),
            false => Err(Error::Forbidden(format!(
                "refusing to contact private address {ip} (for {url})"
            ))),
        };
        match host {
            Host::Ipv4(ip) => refuse(ip.into()),
            Host::Ipv6(ip) => refuse(ip.into()),
            Host::Domain(name) => {
                let port = url.port_or_known_default().unwrap_or(443);
                let mut found = false;
                for addr in tokio::net::lookup_host((name, port))
                    .await
                    .map_err(|e| Error::Remote(format!("cannot resolve {name}: {e}")))?
                {
                    refuse(addr.ip())?;
                    found = true;
                }
                match found {
                    true => Ok(()),
                    false => Err(Error::Remote(format!("{name} has no address"))),
                }
            }
        }
    }

    /// One signed GET, without following redirects.
    async fn signed_get(&self, url: &Url) -> Result<reqwest::Response, Error> {
        let mut request = self.client.get(url.as_str()).header(ACCEPT, ACCEPT_AP);
        for (name, value) in sign_request("GET", url, None, &self.key_id, &self.key)? {
            request = request.header(name, value);
        }
        request
            .send()
            .await
            .map_err(|e| Error::Remote(format!("fetching {url} failed: {}", describe(&e))))
    }

    /// Fetches the JSON document `iri` (without its fragment) with a signed GET, following at
    /// most one redirect; the document's `id` must be `iri` without its fragment.
    pub async fn fetch_json(&self, iri: &Url) -> Result<Value, Error> {
        let mut wanted = iri.clone();
        wanted.set_fragment(None);
        let mut url = wanted.clone();
        let mut response = None;
        for _hop in 0..2 {
            self.check_destination(&url).await?;
            let answer = self.signed_get(&url).await?;
            if !matches!(answer.status().as_u16(), 301 | 302 | 303 | 307 | 308) {
                response = Some(answer);
                break;
            }
            let location = answer.headers().get(LOCATION).and_then(|v| v.to_str().ok());
            url = location
                .and_then(|location| url.join(location).ok())
                .ok_or_else(|| {
                    Error::Remote(format!("redirect from {url} has no valid Location"))
                })?;
            url.set_fragment(None);
        }
        let mut response = response.ok_or_else(|| {
            Error::Remote(format!("fetching {wanted} was redirected more than once"))
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(Error::Remote(format!(
                "fetching {url} failed: HTTP {status}"
            )));
        }
        let too_large = || Error::Remote("document larger than 1 MiB".into());
        let length = response.content_length().unwrap_or(0);
        if length > MAX_DOCUMENT as u64 {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(length as usize);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| Error::Remote(format!("reading {url} failed: {}", describe(&e))))?
        {
            if body.len() + chunk.len() > MAX_DOCUMENT {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let document: Value = serde_json::from_slice(&body)
            .map_err(|e| Error::Remote(format!("{url} did not return a JSON document: {e}")))?;
        let id = document
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if Url::parse(id).is_ok_and(|id| id == wanted) {
            return Ok(document);
        }
        let shown: String = id.chars().take(200).collect();
        Err(Error::Remote(format!(
            "fetched document id {shown:?} does not match {wanted}"
        )))
    }

    /// Fetches a signature's `keyId` and returns the key. A standalone key document must be
    /// listed by its owner's document, which is fetched too.
    pub async fn fetch_key(&self, key_id: &Url) -> Result<PublicKey, Error> {
        let document: KeyDocument = serde_json::from_value(self.fetch_json(key_id).await?)
            .map_err(|_| {
                Error::Signature(format!(
                    "{key_id} is neither a key nor a document with keys"
                ))
            })?;
        let key = document.key_for(key_id).cloned().ok_or_else(|| {
            Error::Signature(format!("fetched document has no key with id {key_id}"))
        })?;
        if let KeyDocument::Key(_) = document {
            let owner: KeyOwner = serde_json::from_value(self.fetch_json(&key.owner).await?)
                .map_err(|_| {
                    Error::Signature(format!("the owner of key {key_id} is not an actor"))
                })?;
            let listed = owner.id == key.owner
                && owner
                    .public_key
                    .as_ref()
                    .is_some_and(|keys| schema::key::lists_key(keys, key_id));
            if !listed {
                return Err(Error::Signature(format!(
                    "key {key_id} is not listed by its owner {}",
                    key.owner
                )));
            }
        }
        Ok(key)
    }
}

#[cfg(test)]
#[path = "fetch_tests.rs"]
mod tests;
