//! Health, readiness and Prometheus metrics.

use crate::app::App;
use crate::{Error, Result};
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

pub fn router() -> Router<App> {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
}

/// Ready when the database answers and the server is not shutting down.
async fn ready(State(app): State<App>) -> Result<&'static str> {
    if app.shutdown.is_cancelled() {
        return Err(Error::unavailable("shutting_down", "shutting down"));
    }
    app.store
        .read(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?))
        .await
        .map_err(|_| Error::unavailable("store_unavailable", "the database is not answering"))?;
    Ok("ready\n")
}

async fn metrics(State(app): State<App>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics.render(),
    )
}
