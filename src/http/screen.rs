//! `POST …/screen`: staff ask the privacy screen about a text while they
//! type; nothing is stored.

use super::extract::{Allowed, Json, permit};
use crate::Result;
use crate::app::App;
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
    _allowed: Allowed<permit::PreviewScreen>,
    Json(req): Json<ScreenRequest>,
) -> Result<JsonResponse<ScreenAnswer>> {
    Ok(JsonResponse(app.preview_screen(&req)?))
}
