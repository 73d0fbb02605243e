//! The pages, embedded in the binary from `web/` (read from disk in debug
//! builds, so a page edit shows on reload): `/` lists sessions, `/s/{slug}`
//! follows one live, and `/s/{slug}/{role}` is the staff console that the
//! invite links open.
//!
//! HTML is never cached (it names the current assets); each asset it names
//! carries its content hash (`?v=`), and at that address it is cached for
//! a year. Every asset has an ETag, so a revalidation costs a 304. Pages and
//! assets are gzip-compressed for clients that accept it.

use super::extract::{Path, Query};
use crate::app::App;
use crate::domain::Role;
use crate::{Error, Result};
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::Embed;
use serde::Deserialize;
use tower_http::compression::CompressionLayer;

#[derive(Embed)]
#[folder = "web/"]
struct Web;

pub fn router() -> Router<App> {
    Router::new()
        .route("/", get(|| async { page("index.html") }))
        .route("/s/{slug}", get(|| async { page("session.html") }))
        .route("/s/{slug}/{role}", get(console))
        .route("/assets/{*file}", get(asset))
        .layer(CompressionLayer::new())
}

/// The first 16 hex digits of a file's SHA-256: its version and ETag.
fn version(file: &rust_embed::EmbeddedFile) -> String {
    file.metadata.sha256_hash()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An HTML page whose asset links carry the assets' current versions.
fn page(name: &str) -> Response {
    let Some(file) = Web::get(name) else {
        return Error::not_found("no_route", "there is nothing at this address").into_response();
    };
    let mut html = String::from_utf8_lossy(&file.data).into_owned();
    for asset in Web::iter().filter(|f| !f.ends_with(".html")) {
        if let Some(embedded) = Web::get(&asset) {
            let from = format!("/assets/{asset}\"");
            let to = format!("/assets/{asset}?v={}\"", version(&embedded));
            html = html.replace(&from, &to);
        }
    }
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        html,
    )
        .into_response()
}

async fn console(Path((_, role)): Path<(String, String)>) -> Result<Response> {
    match Role::parse(&role) {
        Some(role) if role.is_staff() => Ok(page("console.html")),
        _ => Err(Error::not_found(
            "unknown_role",
            format!("there is no '{role}' console"),
        )),
    }
}

#[derive(Deserialize)]
struct AssetQuery {
    v: Option<String>,
}

async fn asset(
    Path(name): Path<String>,
    Query(q): Query<AssetQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let file = Web::get(&name)
        .filter(|_| !name.ends_with(".html"))
        .ok_or_else(|| Error::not_found("no_asset", format!("there is no asset '{name}'")))?;
    let version = version(&file);
    let etag = format!("\"{version}\"");
    let cache = if q.v.as_deref() == Some(version.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let tag = HeaderValue::from_str(&etag).map_err(Error::internal)?;
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    if fresh {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, tag),
                (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            ],
        )
            .into_response());
    }
    let mime = file.metadata.mimetype();
    let content_type = if mime.starts_with("text/") || mime.ends_with("javascript") {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_owned()
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&content_type).map_err(Error::internal)?,
            ),
            (header::ETAG, tag),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        file.data.into_owned(),
    )
        .into_response())
}
