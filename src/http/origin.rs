//! Which browser pages may send commands and open streams. A request with
//! no `Origin` comes from a program, not a page, and carries no victim's
//! credentials, so it is not refused for that. A page may when its origin is
//! listed in `allowed_origins`, or when it is this server's own: its origin
//! names the host the request was sent to (`Host`), and that host is one of
//! this server's names (the public URL's, or loopback on the same port).
//! Checking the host too stops DNS rebinding, where a hostile name resolves
//! to this server and its page and `Host` agree with each other.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The server's own names, as `host:port` (lower case).
#[derive(Debug, Clone)]
pub struct OwnHosts(Vec<String>);

impl OwnHosts {
    /// From the public URL: its host and port, and loopback on that port.
    pub fn from_base_url(base_url: &str) -> Self {
        let (scheme, rest) = base_url.split_once("://").unwrap_or(("http", base_url));
        let authority = rest.split('/').next().unwrap_or("").to_ascii_lowercase();
        let default_port = if scheme == "https" { "443" } else { "80" };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
                (h.to_owned(), p.to_owned())
            }
            _ => (authority.clone(), default_port.to_owned()),
        };
        let mut hosts = vec![format!("{host}:{port}")];
        if port == default_port {
            hosts.push(host.clone());
        }
        for loopback in ["localhost", "127.0.0.1", "[::1]"] {
            hosts.push(format!("{loopback}:{port}"));
        }
        Self(hosts)
    }

    fn contains(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.0.contains(&host)
    }
}

pub fn allowed(headers: &HeaderMap, allow_list: &[String], own: &OwnHosts) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    if allow_list
        .iter()
        .any(|a| a == "*" || a.trim_end_matches('/').eq_ignore_ascii_case(origin))
    {
        return true;
    }
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|host| host.eq_ignore_ascii_case(origin_host) && own.contains(host))
}

/// Refuses commands (anything but GET and HEAD) and stream upgrades from
/// pages of other origins, with 403 `origin_not_allowed`.
pub async fn guard(
    State(policy): State<(std::sync::Arc<Vec<String>>, OwnHosts)>,
    request: Request,
    next: Next,
) -> Response {
    let changes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let upgrade = request.headers().contains_key(header::UPGRADE);
    if (changes || upgrade) && !allowed(request.headers(), &policy.0, &policy.1) {
        tracing::warn!(
            method = %request.method(),
            path = request.uri().path(),
            "refused a request from a page of another origin"
        );
        return crate::Error::forbidden(
            "origin_not_allowed",
            "pages from this origin may not use this Gallery server",
        )
        .into_response();
    }
    next.run(request).await
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
    fn own_origins_and_listed_origins_pass() {
        let own = OwnHosts::from_base_url("https://gallery.local:8080");
        assert!(allowed(&headers(None, "gallery.local:8080"), &[], &own));
        assert!(allowed(
            &headers(Some("https://gallery.local:8080"), "gallery.local:8080"),
            &[],
            &own
        ));
        assert!(allowed(
            &headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"),
            &[],
            &own
        ));
        assert!(!allowed(
            &headers(Some("https://evil.example"), "gallery.local:8080"),
            &[],
            &own
        ));
        let list = vec!["https://teaching.example".to_string()];
        assert!(allowed(
            &headers(Some("https://teaching.example"), "gallery.local:8080"),
            &list,
            &own
        ));
    }

    #[test]
    fn a_rebound_name_whose_origin_and_host_agree_is_refused() {
        let own = OwnHosts::from_base_url("http://127.0.0.1:8080");
        assert!(!allowed(
            &headers(Some("http://evil.example:8080"), "evil.example:8080"),
            &[],
            &own
        ));
        let public = OwnHosts::from_base_url("https://gallery.example-hospital.org");
        assert!(allowed(
            &headers(
                Some("https://gallery.example-hospital.org"),
                "gallery.example-hospital.org"
            ),
            &[],
            &public
        ));
    }
}
