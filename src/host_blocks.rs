//! The text of a host block (`[federation] blocked_hosts`, the admin API) and the canonical form
//! of a host that blocks compare: validated and normalised in one place, below both the
//! settings and `federation::blocks`.

use url::Url;

/// A host block as the admin API or `blocked_hosts` gives it, normalised: `host` or
/// `host:port`, lowercase. Refuses what can never match an IRI's host (a path, a user, a scheme,
/// spaces, port 0, an empty host).
pub fn parse_block(text: &str) -> std::result::Result<String, String> {
    let text = text.trim().to_ascii_lowercase();
    let refuse = || format!("{text:?} is not a host name or host:port");
    if text.is_empty() || text.contains(['/', '@', ' ', '?', '#', '\\']) {
        return Err(refuse());
    }
    let url = Url::parse(&format!("http://{text}/")).map_err(|_| refuse())?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(refuse)?;
    // `Url` drops the default port 80: keep what was written.
    let port = match text.rsplit_once(':') {
        Some((_, p)) if !text.ends_with(']') => Some(
            p.parse::<u16>()
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(refuse)?,
        ),
        _ => None,
    };
    let host = canonical_host(host);
    Ok(match port {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// A host as blocks compare it: lowercase, without the trailing dot of an absolute name
/// (`evil.example.` is `evil.example`), an IPv4-mapped IPv6 address as the IPv4 address.
pub fn canonical_host(host: &str) -> String {
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare
        .parse::<std::net::Ipv6Addr>()
        .ok()
        .and_then(|v6| v6.to_ipv4_mapped())
    {
        Some(v4) => v4.to_string(),
        None => host.to_string(),
    }
}
