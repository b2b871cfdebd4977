//! Who the client of an HTTP request is, for the per-address limits (logins, registrations,
//! inbox POSTs): the TCP peer, or — when the peer is one of `[http] trusted_proxies` — the
//! address that proxy says it forwarded for (the right-most `X-Forwarded-For` entry that is not
//! itself a trusted proxy). A client cannot choose its key by sending the header: it is read
//! only from trusted peers. Also the one place that turns an address into a limit key (an IPv6
//! client counts per /64, which one subscriber usually holds whole).

use actix_web::HttpRequest;
use ipnet::IpNet;
use std::net::IpAddr;

/// Whether `ip` is one of the trusted proxies.
fn trusted(proxies: &[IpNet], ip: &IpAddr) -> bool {
    proxies.iter().any(|net| net.contains(&canonical(*ip)))
}

/// The client's address: the peer, or what a trusted peer (`[http] trusted_proxies`)
/// forwarded for.
pub fn client_ip(req: &HttpRequest, proxies: &[IpNet]) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    if !trusted(proxies, &peer) {
        return Some(peer);
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for entry in forwarded.iter().rev() {
        match entry.parse::<IpAddr>() {
            Ok(ip) if trusted(proxies, &ip) => continue,
            Ok(ip) => return Some(ip),
            // A garbled entry: nothing left of it can be believed; the proxy is the client.
            Err(_) => return Some(peer),
        }
    }
    Some(peer)
}

/// The limit key of the request's client (see `client_key`).
pub fn request_key(req: &HttpRequest, proxies: &[IpNet]) -> String {
    client_key(client_ip(req, proxies))
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The key a per-address limit counts under: an IPv4 address, or an IPv6 /64.
pub fn client_key(ip: Option<IpAddr>) -> String {
    match ip.map(canonical) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        None => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn request(peer: &str, forwarded: Option<&str>) -> HttpRequest {
        let mut r = TestRequest::default().peer_addr(format!("{peer}:4000").parse().unwrap());
        if let Some(f) = forwarded {
            r = r.insert_header(("X-Forwarded-For", f));
        }
        r.to_http_request()
    }

    fn proxies(list: &[&str]) -> Vec<IpNet> {
        list.iter()
            .map(|s| crate::settings::parse_proxy(s).unwrap())
            .collect()
    }

    #[test]
    fn the_header_of_an_untrusted_peer_is_ignored() {
        let p = proxies(&[]);
        let r = request("203.0.113.9", Some("198.51.100.1"));
        assert_eq!(request_key(&r, &p), "203.0.113.9");
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_spoofed_entries_on_the_left_do_not_count() {
        let p = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        let r = request("127.0.0.1", Some("6.6.6.6, 198.51.100.1, 10.1.2.3"));
        assert_eq!(request_key(&r, &p), "198.51.100.1");
        let no_header = request("127.0.0.1", None);
        assert_eq!(request_key(&no_header, &p), "127.0.0.1");
        let garbled = request("127.0.0.1", Some("6.6.6.6, not-an-ip"));
        assert_eq!(request_key(&garbled, &p), "127.0.0.1");
    }

    #[test]
    fn ipv6_clients_count_per_64_and_mapped_ipv4_as_ipv4() {
        let a = "2001:db8:1:2:aaaa::1".parse().ok();
        let b = "2001:db8:1:2:bbbb::9".parse().ok();
        assert_eq!(client_key(a), client_key(b));
        assert_eq!(client_key("::ffff:10.0.0.1".parse().ok()), "10.0.0.1");
    }
}
