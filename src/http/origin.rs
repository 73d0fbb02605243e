//! Which browser origins may open a stream: the server's own (same host) and
//! those listed in `allowed_origins`. Requests without an Origin header come
//! from programs, not pages, and carry no cookies of a victim.

use axum::http::{HeaderMap, header};

pub fn allowed(headers: &HeaderMap, allow_list: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    if allow_list
        .iter()
        .any(|a| a == "*" || a.trim_end_matches('/') == origin)
    {
        return true;
    }
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|host| host == origin_host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, host.parse().unwrap());
        if let Some(o) = origin {
            h.insert(header::ORIGIN, o.parse().unwrap());
        }
        h
    }

    #[test]
    fn same_origin_and_listed_origins_pass() {
        assert!(allowed(&headers(None, "gallery.local:8080"), &[]));
        assert!(allowed(
            &headers(Some("https://gallery.local:8080"), "gallery.local:8080"),
            &[]
        ));
        assert!(!allowed(
            &headers(Some("https://evil.example"), "gallery.local:8080"),
            &[]
        ));
        let list = vec!["https://teaching.example".to_string()];
        assert!(allowed(
            &headers(Some("https://teaching.example"), "gallery.local:8080"),
            &list
        ));
    }
}
