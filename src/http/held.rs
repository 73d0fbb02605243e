//! Held items, for moderators: list, release (optionally redacted), discard;
//! and the published updates the screen flagged.

use super::extract::{Allowed, OptionalJson, Path, permit};
use crate::Result;
use crate::app::{App, Released};
use crate::protocol::{DiscardHeld, FlaggedList, HeldList, ReleaseHeld};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Json as JsonResponse;
use axum::routing::{get, post};
use uuid::Uuid;

pub fn router() -> Router<App> {
    Router::new()
        .route("/api/sessions/{slug}/held", get(list))
        .route("/api/sessions/{slug}/flagged", get(flagged))
        .route("/api/sessions/{slug}/held/{id}/release", post(release))
        .route("/api/sessions/{slug}/held/{id}/discard", post(discard))
}

async fn list(
    State(app): State<App>,
    allowed: Allowed<permit::ReviewHeld>,
) -> Result<JsonResponse<HeldList>> {
    let session = allowed.session;
    let items = app.held_items(&session).await?;
    Ok(JsonResponse(HeldList { items }))
}

async fn flagged(
    State(app): State<App>,
    allowed: Allowed<permit::ReviewHeld>,
) -> Result<JsonResponse<FlaggedList>> {
    let session = allowed.session;
    let items = app.flagged_updates(&session).await?;
    Ok(JsonResponse(FlaggedList { items }))
}

async fn release(
    State(app): State<App>,
    allowed: Allowed<permit::ReviewHeld>,
    Path((_, id)): Path<(String, Uuid)>,
    OptionalJson(req): OptionalJson<ReleaseHeld>,
) -> Result<JsonResponse<Released>> {
    Ok(JsonResponse(
        app.release_held(&allowed.session, &allowed.member, id, req)
            .await?,
    ))
}

async fn discard(
    State(app): State<App>,
    allowed: Allowed<permit::ReviewHeld>,
    Path((_, id)): Path<(String, Uuid)>,
    OptionalJson(req): OptionalJson<DiscardHeld>,
) -> Result<StatusCode> {
    app.discard_held(&allowed.session, &allowed.member, id, req)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
