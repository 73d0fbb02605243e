//! `POST …/screen`: staff ask the privacy screen about a text while they
//! type; nothing is stored.

use super::extract::{Bearer, Json, Path};
use crate::Result;
use crate::app::App;
use crate::domain::Role;
use crate::protocol::{ScreenAnswer, ScreenRequest};
use axum::Router;
use axum::extract::State;
use axum::response::Json as JsonResponse;
use axum::routing::post;

pub fn router() -> Router<App> {
    Router::new().route("/api/sessions/{slug}/screen", post(screen))
}

async fn screen(
    State(app): State<App>,
    bearer: Bearer,
    Path(slug): Path<String>,
    Json(req): Json<ScreenRequest>,
) -> Result<JsonResponse<ScreenAnswer>> {
    let staff = [Role::Narrator, Role::Moderator, Role::Specialist];
    app.member(&slug, bearer.get(), &staff).await?;
    Ok(JsonResponse(app.preview_screen(&req)?))
}
