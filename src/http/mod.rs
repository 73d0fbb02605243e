//! The HTTP surface: one router per area, merged here, all answering errors
//! in the protocol's `{"error": {code, reason, message, detail?}}` form.

mod assets;
mod audit;
mod events;
mod extract;
mod headers;
mod held;
mod ops;
mod origin;
mod pages;
mod questions;
mod screen;
mod sessions;
mod stream;
mod updates;
mod viewers;

pub use extract::PeerAddr;

use crate::Error;
use crate::app::App;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use std::time::Duration;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::TraceLayer;

pub fn router(app: App) -> Router {
    let limits = app.config().limits.clone();
    let body_limit = limits.max_body_bytes;
    let origins = (
        std::sync::Arc::new(app.config().allowed_origins.clone()),
        origin::OwnHosts::from_base_url(app.base_url()),
    );
    Router::new()
        .merge(sessions::router())
        .merge(audit::router())
        .merge(updates::router())
        .merge(held::router())
        .merge(questions::router())
        .merge(screen::router())
        .merge(viewers::router())
        .merge(events::router())
        .merge(stream::router())
        .merge(ops::router())
        .merge(pages::router())
        .fallback(|| async { Error::not_found("no_route", "there is nothing at this address") })
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(RequestBodyTimeoutLayer::new(Duration::from_millis(
            limits.body_read_timeout_ms,
        )))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_millis(limits.request_timeout_ms),
        ))
        .layer(middleware::from_fn_with_state(origins, origin::guard))
        .layer(middleware::from_fn(headers::secure))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(app)
}

/// Each request's span: method, path and request id. Never the query
/// string (stream tickets and join codes travel there) or any header.
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = request.uri().path(),
        request_id = id,
    )
}
