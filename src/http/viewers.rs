//! Joining as a viewer, and trading a token for a stream ticket.

use super::extract::{Bearer, Path};
use crate::app::App;
use crate::domain::Role;
use crate::protocol::{Join, Joined, Ticket};
use crate::{Error, Result};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Router, response::Json as JsonResponse};

pub fn router() -> Router<App> {
    Router::new()
        .route("/api/sessions/{slug}/viewers", post(join))
        .route("/api/sessions/{slug}/tickets", post(ticket))
}

/// The body is optional: an empty POST joins anonymously.
async fn join(
    State(app): State<App>,
    Path(slug): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, JsonResponse<Joined>)> {
    let req: Join = if body.iter().all(u8::is_ascii_whitespace) {
        Join::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            Error::bad_request(
                "invalid_json",
                format!("the body is not valid JSON for this request: {e}"),
            )
        })?
    };
    Ok((
        StatusCode::CREATED,
        JsonResponse(app.join(&slug, req).await?),
    ))
}

async fn ticket(
    State(app): State<App>,
    bearer: Bearer,
    Path(slug): Path<String>,
) -> Result<JsonResponse<Ticket>> {
    let all = [
        Role::Narrator,
        Role::Moderator,
        Role::Specialist,
        Role::Viewer,
    ];
    let (_, member) = app.member(&slug, bearer.get(), &all).await?;
    Ok(JsonResponse(Ticket {
        ticket: app.tickets.issue(member),
    }))
}
