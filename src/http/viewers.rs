//! Joining as a viewer, and trading a token for a stream ticket.

use super::extract::{Allowed, ClientIp, OptionalJson, Path, permit};
use crate::Result;
use crate::app::App;
use crate::protocol::{Join, Joined, Ticket};
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
    ClientIp(client): ClientIp,
    Path(slug): Path<String>,
    OptionalJson(req): OptionalJson<Join>,
) -> Result<(StatusCode, JsonResponse<Joined>)> {
    app.check_join(client)?;
    Ok((
        StatusCode::CREATED,
        JsonResponse(app.join(&slug, req).await?),
    ))
}

async fn ticket(
    State(app): State<App>,
    allowed: Allowed<permit::TakeTicket>,
) -> Result<JsonResponse<Ticket>> {
    Ok(JsonResponse(Ticket {
        ticket: app.issue_ticket(allowed.member),
    }))
}
