//! Health, readiness and Prometheus metrics.

use super::extract::Bearer;
use crate::app::App;
use crate::{Error, Result};
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use subtle::ConstantTimeEq;

pub fn router() -> Router<App> {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
}

/// Ready when the database answers and the server is not shutting down.
async fn ready(State(app): State<App>) -> Result<&'static str> {
    if app.shutdown().is_cancelled() {
        return Err(Error::unavailable("shutting_down", "shutting down"));
    }
    if !app.database_answers().await {
        return Err(Error::unavailable(
            "store_unavailable",
            "the database is not answering",
        ));
    }
    Ok("ready\n")
}

/// Prometheus metrics, for the admin token or `metrics_token`: counters
/// reveal when a private session is active, so they are not public.
async fn metrics(State(app): State<App>, bearer: Bearer) -> Result<impl IntoResponse> {
    let token = bearer.get().ok_or_else(|| {
        Error::unauthorized(
            "token_missing",
            "metrics need the metrics token (or the admin token) as 'Authorization: Bearer <token>'",
        )
    })?;
    let scraper = app
        .config()
        .metrics_token
        .as_deref()
        .is_some_and(|expected| bool::from(expected.as_bytes().ct_eq(token.as_bytes())));
    if !scraper {
        app.require_admin(Some(token)).await?;
    }
    let mut text = app.metrics().render();
    text.push_str(&format!(
        "# HELP gallery_store_queue_depth Writes waiting for the writer or being committed.\n\
         # TYPE gallery_store_queue_depth gauge\ngallery_store_queue_depth {}\n",
        app.store_queue_depth()
    ));
    text.push_str(&format!(
        "# HELP gallery_hub_topics Session topics (public and staff) held in memory.\n\
         # TYPE gallery_hub_topics gauge\ngallery_hub_topics {}\n",
        app.hub().topics_in_memory()
    ));
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text))
}
