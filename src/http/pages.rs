//! The pages, embedded in the binary from `web/` (read from disk in debug
//! builds, so a page edit shows on reload): `/` lists sessions, `/admin`
//! sets them up, `/s/{slug}` follows one live, `/s/{slug}/screen` is the
//! lecture theatre's projector view, and `/s/{slug}/{role}` is the console
//! of a staff role that its invite link opens.
//!
//! HTML is never cached (it names the current assets); each asset it names
//! carries its version (`?v=`, see `assets.rs`: a module's covers what it
//! imports, and modules are served naming their imports' versions), and at
//! that address it is cached for a year. Every asset has an ETag, so a
//! revalidation costs a 304. Pages and assets are gzip-compressed for
//! clients that accept it.
//!
//! Every page carries the Content-Security-Policy of `headers.rs`, which
//! allows no inline script and no other origin; the viewer page of a
//! session with a stream URL may also embed that one origin's player.

use super::assets::Versions;
use super::extract::{Path, Query};
use crate::app::App;
use crate::domain::Role;
use crate::{Error, Result};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::Embed;
use serde::Deserialize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tower_http::compression::CompressionLayer;

#[derive(Embed)]
#[folder = "web/"]
struct Web;

pub fn router() -> Router<App> {
    Router::new()
        .route("/", get(|| async { page("index.html", None) }))
        .route("/admin", get(|| async { page("admin.html", None) }))
        .route("/s/{slug}", get(viewer))
        .route("/s/{slug}/{role}", get(console))
        .route("/assets/{*file}", get(asset))
        .route("/favicon.ico", get(favicon))
        .layer(CompressionLayer::new())
}

/// Every asset's version: computed once in a release build; in a debug
/// build (files read from disk) again when a second has passed, so an edit
/// shows on reload while one page load's requests share one computation.
fn versions() -> Arc<Versions> {
    static BUILT: Mutex<Option<(Instant, Arc<Versions>)>> = Mutex::new(None);
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    match &*built {
        Some((at, v)) if !cfg!(debug_assertions) || at.elapsed() < Duration::from_secs(1) => {
            v.clone()
        }
        _ => {
            let v = Arc::new(Versions::build(Web::iter().filter_map(|name| {
                Web::get(&name).map(|f| (name.into_owned(), f.data.into_owned()))
            })));
            *built = Some((Instant::now(), v.clone()));
            v
        }
    }
}

/// `scheme://host[:port]` of an http(s) URL, if it is a plain one.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':');
    (matches!(scheme, "https" | "http") && !host.is_empty() && host.chars().all(plain))
        .then(|| format!("{scheme}://{host}"))
}

/// The viewer page, allowed to embed its session's video.
async fn viewer(State(app): State<App>, Path(slug): Path<String>) -> Response {
    let media = match app.session(&slug).await {
        Ok(row) => row.stream_url.as_deref().and_then(origin_of),
        Err(_) => None,
    };
    page("viewer.html", media.as_deref())
}

/// An HTML page whose asset links carry the assets' current versions.
fn page(name: &str, media: Option<&str>) -> Response {
    let Some(file) = Web::get(name) else {
        return Error::not_found("no_route", "there is nothing at this address").into_response();
    };
    let mut html = String::from_utf8_lossy(&file.data).into_owned();
    let versions = versions();
    for asset in Web::iter().filter(|f| !f.ends_with(".html")) {
        if let Some(version) = versions.of(&asset) {
            let from = format!("/assets/{asset}\"");
            let to = format!("/assets/{asset}?v={version}\"");
            html = html.replace(&from, &to);
        }
    }
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                super::headers::content_security_policy(media),
            ),
        ],
        html,
    )
        .into_response()
}

async fn console(Path((_, role)): Path<(String, String)>) -> Result<Response> {
    if role == "screen" {
        return Ok(page("screen.html", None));
    }
    match Role::parse(&role) {
        Some(role) if role.is_staff() => Ok(page(&format!("{}.html", role.as_str()), None)),
        _ => Err(Error::not_found(
            "unknown_role",
            format!("there is no '{role}' page"),
        )),
    }
}

/// Browsers ask for /favicon.ico by themselves: the icon, cached a day.
async fn favicon() -> Response {
    match Web::get("icon.svg") {
        Some(file) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            file.data.into_owned(),
        )
            .into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
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
    let versions = versions();
    let version = versions.of(&name).unwrap_or_default().to_owned();
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
        match versions.module(&name) {
            Some(module) => module.to_vec(),
            None => file.data.into_owned(),
        },
    )
        .into_response())
}
