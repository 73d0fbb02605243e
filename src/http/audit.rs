//! `GET /api/sessions/{slug}/audit?format=jsonl|csv`: a session's audit
//! trail, for the admin and the session's moderators.

use super::extract::{Bearer, Path, Query};
use crate::Result;
use crate::app::{App, AuditFormat, Caller, render_audit};
use crate::domain::Action;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new().route("/api/sessions/{slug}/audit", get(export))
}

#[derive(Deserialize)]
struct AuditQuery {
    format: Option<String>,
}

async fn export(
    State(app): State<App>,
    bearer: Bearer,
    Path(slug): Path<String>,
    Query(q): Query<AuditQuery>,
) -> Result<Response> {
    let session = match app.caller(bearer.get()).await? {
        Some(Caller::Admin) => app.session(&slug).await?,
        _ => {
            app.member_for(&slug, bearer.get(), Action::ReadAudit)
                .await?
                .0
        }
    };
    let format = AuditFormat::parse(q.format.as_deref())?;
    let rows = app.audit_trail(&session).await?;
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type()),
            (header::CACHE_CONTROL, "no-store"),
        ],
        render_audit(&rows, format),
    )
        .into_response())
}
