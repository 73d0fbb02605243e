//! Sessions: create, list, read, change state, rotate invites.

use super::extract::{Allowed, Bearer, Json, Path, Query, permit};
use crate::app::App;
use crate::domain::Role;
use crate::protocol::{CreateSession, CreatedSession, Session, SessionList, SetState};
use crate::{Error, Result};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Router, response::Json as JsonResponse};
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new()
        .route("/api/admin", get(admin_check))
        .route("/api/sessions", post(create).get(list))
        .route("/api/sessions/{slug}", get(read))
        .route("/api/sessions/{slug}/state", post(set_state))
        .route("/api/sessions/{slug}/invites/{role}/rotate", post(rotate))
        .route("/api/sessions/{slug}/invites/viewer", get(viewer_link))
        .route("/api/sessions/{slug}/invites/viewer/qr.svg", get(viewer_qr))
}

#[derive(Deserialize)]
pub struct CodeQuery {
    pub code: Option<String>,
}

async fn create(
    State(app): State<App>,
    bearer: Bearer,
    Json(req): Json<CreateSession>,
) -> Result<(StatusCode, JsonResponse<CreatedSession>)> {
    app.require_admin(bearer.get()).await?;
    let created = app.create_session(req).await?;
    tracing::info!(slug = %created.session.slug, "session created");
    Ok((StatusCode::CREATED, JsonResponse(created)))
}

async fn list(State(app): State<App>, bearer: Bearer) -> Result<JsonResponse<SessionList>> {
    let caller = app.caller(bearer.get()).await.unwrap_or(None);
    Ok(JsonResponse(SessionList {
        sessions: app.list_sessions(caller.as_ref()).await?,
    }))
}

async fn read(
    State(app): State<App>,
    bearer: Bearer,
    Path(slug): Path<String>,
    Query(q): Query<CodeQuery>,
) -> Result<JsonResponse<Session>> {
    let session = app.readable(&slug, bearer.get(), q.code.as_deref()).await?;
    Ok(JsonResponse(app.to_protocol(&session)))
}

async fn set_state(
    State(app): State<App>,
    allowed: Allowed<permit::SetState>,
    Json(req): Json<SetState>,
) -> Result<JsonResponse<Session>> {
    Ok(JsonResponse(
        app.set_state(allowed.session, req.state).await?,
    ))
}

/// The viewer link as a QR code (admin: a private session's carries its
/// join code), for the lecture theatre's screen.
/// Whether a token is the admin's (200), for the admin page's sign-in;
/// any other token is 401 or 403, and nothing changes.
async fn admin_check(
    State(app): State<App>,
    bearer: Bearer,
) -> Result<JsonResponse<serde_json::Value>> {
    app.require_admin(bearer.get()).await?;
    Ok(JsonResponse(serde_json::json!({"admin": true})))
}

/// The viewer link (admin or the session's staff).
async fn viewer_link(
    State(app): State<App>,
    bearer: Bearer,
    Path(slug): Path<String>,
) -> Result<JsonResponse<crate::protocol::ViewerInvite>> {
    Ok(JsonResponse(app.viewer_link(&slug, bearer.get()).await?))
}

/// The viewer link as a QR code (admin or the session's staff).
async fn viewer_qr(
    State(app): State<App>,
    bearer: Bearer,
    Path(slug): Path<String>,
) -> Result<Response> {
    let svg = app.viewer_qr_svg(&slug, bearer.get()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        svg,
    )
        .into_response())
}

/// Rotates a staff token (`{token, url}`), or, for `viewer`, a private
/// session's join code (`{url, join_code}`).
async fn rotate(
    State(app): State<App>,
    bearer: Bearer,
    Path((slug, role)): Path<(String, String)>,
) -> Result<Response> {
    app.require_admin(bearer.get()).await?;
    let role = Role::parse(&role).ok_or_else(|| {
        Error::not_found(
            "unknown_role",
            format!("'{role}' is not a role; use narrator, moderator, specialist or viewer"),
        )
    })?;
    if role == Role::Viewer {
        return Ok(JsonResponse(app.rotate_join_code(&slug).await?).into_response());
    }
    Ok(JsonResponse(app.rotate_invite(&slug, role).await?).into_response())
}
