//! Headers on every answer, and the protocol's error form on every error:
//! pages get a Content-Security-Policy that allows no inline script and no
//! other origin and may not be framed; every answer says `nosniff` and sends
//! no Referer; API answers are never cached (some carry tokens, tickets or
//! join codes). An error that some layer answered in another form (axum's
//! 405, a 413 from a limit) is rewritten into `{"error": {code, reason,
//! message}}`.

use crate::Error;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The pages' policy: scripts, styles, images (`blob:` for a QR code read
/// with a token) and connections from this origin only; `media` adds one
/// origin for a session's embedded video (the viewer page sets it).
pub fn content_security_policy(media: Option<&str>) -> String {
    let (media_src, frame_src) = match media {
        Some(origin) => (format!(" {origin}"), format!(" {origin}")),
        None => (String::new(), " 'none'".to_owned()),
    };
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; \
         connect-src 'self'; media-src 'self' blob:{media_src}; frame-src{frame_src}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

pub async fn secure(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let mut response = if response.status().is_client_error() || response.status().is_server_error()
    {
        in_error_form(response)
    } else {
        response
    };
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if html && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy =
            HeaderValue::from_str(&content_security_policy(None)).expect("the policy is ASCII");
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    if html {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if api && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// An error answer that is not JSON becomes one in the protocol's form.
fn in_error_form(response: Response) -> Response {
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let upgrade = response.status() == StatusCode::SWITCHING_PROTOCOLS;
    if json || upgrade {
        return response;
    }
    let status = response.status();
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let error = match status {
        StatusCode::METHOD_NOT_ALLOWED => Error::method_not_allowed(
            "method_not_allowed",
            "this address does not take that method",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => Error::payload_too_large(
            "body_too_large",
            "the request body is larger than this server accepts",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            Error::bad_request("unsupported_media_type", "send the body as JSON")
        }
        StatusCode::REQUEST_TIMEOUT => {
            Error::request_timeout("request_timeout", "the request took too long to arrive")
        }
        StatusCode::NOT_FOUND => Error::not_found("no_route", "there is nothing at this address"),
        s if s.is_server_error() => {
            Error::unavailable("unavailable", "the server could not answer; retry shortly")
        }
        _ => Error::bad_request("bad_request", "the request could not be used"),
    };
    let mut fixed = error.into_response();
    *fixed.status_mut() = status;
    if let Some(v) = retry_after {
        fixed.headers_mut().insert(header::RETRY_AFTER, v);
    }
    fixed
}
