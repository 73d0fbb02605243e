//! The pages, embedded in the binary: `/` lists sessions, `/s/{slug}`
//! follows one live, and `/s/{slug}/{role}` is the staff console that the
//! invite links open (the narrator's composer and state controls).

use super::extract::Path;
use crate::app::App;
use crate::domain::Role;
use crate::{Error, Result};
use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;

const INDEX: &str = include_str!("../../web/index.html");
const SESSION: &str = include_str!("../../web/session.html");
const CONSOLE: &str = include_str!("../../web/console.html");
const CSS: &str = include_str!("../../web/gallery.css");
const INDEX_JS: &str = include_str!("../../web/index.js");
const SESSION_JS: &str = include_str!("../../web/session.js");
const CONSOLE_JS: &str = include_str!("../../web/console.js");

const JS: &str = "text/javascript; charset=utf-8";

pub fn router() -> Router<App> {
    Router::new()
        .route("/", get(|| async { Html(INDEX) }))
        .route("/s/{slug}", get(|| async { Html(SESSION) }))
        .route("/s/{slug}/{role}", get(console))
        .route(
            "/assets/gallery.css",
            get(|| async { asset("text/css; charset=utf-8", CSS) }),
        )
        .route("/assets/index.js", get(|| async { asset(JS, INDEX_JS) }))
        .route(
            "/assets/session.js",
            get(|| async { asset(JS, SESSION_JS) }),
        )
        .route(
            "/assets/console.js",
            get(|| async { asset(JS, CONSOLE_JS) }),
        )
}

async fn console(Path((_, role)): Path<(String, String)>) -> Result<Html<&'static str>> {
    match Role::parse(&role) {
        Some(role) if role.is_staff() => Ok(Html(CONSOLE)),
        _ => Err(Error::not_found(
            "unknown_role",
            format!("there is no '{role}' console"),
        )),
    }
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
