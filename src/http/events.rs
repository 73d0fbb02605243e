//! Paging through a session's public history.

use super::extract::{Bearer, Path, Query};
use crate::Result;
use crate::app::App;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new().route("/api/sessions/{slug}/events", get(events))
}

#[derive(Deserialize)]
struct EventsQuery {
    #[serde(default)]
    since: u64,
    limit: Option<usize>,
    code: Option<String>,
}

async fn events(
    State(app): State<App>,
    bearer: Bearer,
    Path(slug): Path<String>,
    Query(q): Query<EventsQuery>,
) -> Result<impl IntoResponse> {
    let session = app.readable(&slug, bearer.get(), q.code.as_deref()).await?;
    let body = app.events_page(&session, q.since, q.limit).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body))
}
