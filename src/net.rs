//! Client addresses as limits see them: an IPv4 address, or an IPv6 /64
//! (one household or one device may hold a whole /64).

use axum::http::HeaderMap;
use std::net::{IpAddr, Ipv6Addr};

/// The client's address: the peer, or, when the peer is a trusted proxy,
/// the last address in `X-Forwarded-For` that is not a trusted proxy.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |a: &IpAddr| trusted.iter().any(|t| t.to_canonical() == *a);
    if !is_trusted(&peer) {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    // From the nearest hop back: the first address that is not a trusted
    // proxy is the client; anything unreadable stops the walk (the peer).
    for entry in entries.iter().rev() {
        match entry.parse::<IpAddr>() {
            Ok(a) if is_trusted(&a.to_canonical()) => continue,
            Ok(a) => return a.to_canonical(),
            Err(_) => return peer,
        }
    }
    peer
}

/// The address that per-client limits count: IPv6 addresses grouped by /64.
pub fn client_group(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.2".parse().unwrap(),
        );
        assert_eq!(
            client_ip(proxy, &headers, &[proxy]),
            "198.51.100.2".parse::<IpAddr>().unwrap()
        );
        let mapped: IpAddr = "::ffff:10.0.0.5".parse().unwrap();
        assert_eq!(
            client_ip(mapped, &headers, &[proxy]),
            "198.51.100.2".parse::<IpAddr>().unwrap(),
            "an IPv4 proxy seen on a dual-stack socket is still trusted"
        );
        let mut spoofed = HeaderMap::new();
        spoofed.insert(
            "x-forwarded-for",
            "203.0.113.9, garbage:99".parse().unwrap(),
        );
        assert_eq!(client_ip(proxy, &spoofed, &[proxy]), proxy);
        let stranger: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(client_ip(stranger, &headers, &[proxy]), stranger);
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }

    #[test]
    fn ipv6_addresses_are_grouped_by_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_group(a), client_group(b));
        assert_ne!(client_group(a), client_group(c));
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(client_group(v4), v4);
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_group(mapped), v4);
    }
}
