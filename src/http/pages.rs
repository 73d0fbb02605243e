//! The viewer pages, embedded in the binary: `/` lists sessions, `/s/{slug}`
//! follows one live.

use crate::app::App;
use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;

const INDEX: &str = include_str!("../../web/index.html");
const SESSION: &str = include_str!("../../web/session.html");
const CSS: &str = include_str!("../../web/gallery.css");
const INDEX_JS: &str = include_str!("../../web/index.js");
const SESSION_JS: &str = include_str!("../../web/session.js");

pub fn router() -> Router<App> {
    Router::new()
        .route("/", get(|| async { Html(INDEX) }))
        .route("/s/{slug}", get(|| async { Html(SESSION) }))
        .route(
            "/assets/gallery.css",
            get(|| async { asset("text/css; charset=utf-8", CSS) }),
        )
        .route(
            "/assets/index.js",
            get(|| async { asset("text/javascript; charset=utf-8", INDEX_JS) }),
        )
        .route(
            "/assets/session.js",
            get(|| async { asset("text/javascript; charset=utf-8", SESSION_JS) }),
        )
}

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
}
