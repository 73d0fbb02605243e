//! The narrator's updates.

use super::extract::{Bearer, Json, Path};
use crate::Result;
use crate::app::App;
use crate::domain::Role;
use crate::protocol::{EditUpdate, PostUpdate, SeqAck, UpdateAck};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{patch, post};
use axum::{Router, response::Json as JsonResponse};
use uuid::Uuid;

pub fn router() -> Router<App> {
    Router::new()
        .route("/api/sessions/{slug}/updates", post(create))
        .route(
            "/api/sessions/{slug}/updates/{id}",
            patch(edit).delete(retract),
        )
}

async fn create(
    State(app): State<App>,
    bearer: Bearer,
    Path(slug): Path<String>,
    Json(req): Json<PostUpdate>,
) -> Result<(StatusCode, JsonResponse<UpdateAck>)> {
    let (session, narrator) = app.member(&slug, bearer.get(), &[Role::Narrator]).await?;
    let ack = app.post_update(&session, &narrator, req).await?;
    Ok((StatusCode::CREATED, JsonResponse(ack)))
}

async fn edit(
    State(app): State<App>,
    bearer: Bearer,
    Path((slug, id)): Path<(String, Uuid)>,
    Json(req): Json<EditUpdate>,
) -> Result<JsonResponse<UpdateAck>> {
    let (session, _) = app.member(&slug, bearer.get(), &[Role::Narrator]).await?;
    Ok(JsonResponse(
        app.edit_update(&session, id, &req.text).await?,
    ))
}

async fn retract(
    State(app): State<App>,
    bearer: Bearer,
    Path((slug, id)): Path<(String, Uuid)>,
) -> Result<JsonResponse<SeqAck>> {
    let (session, _) = app.member(&slug, bearer.get(), &[Role::Narrator]).await?;
    Ok(JsonResponse(app.retract_update(&session, id).await?))
}
