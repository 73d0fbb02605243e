//! The narrator's updates. A post answers 201 with the update, or 202 with
//! the held item when the screen held it for a moderator.

use super::extract::{Allowed, Json, Path, permit};
use crate::Result;
use crate::app::App;
use crate::protocol::{EditUpdate, PostUpdate, Posted, SeqAck};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json as JsonResponse, Response};
use axum::routing::{patch, post};
use uuid::Uuid;

pub fn router() -> Router<App> {
    Router::new()
        .route("/api/sessions/{slug}/updates", post(create))
        .route(
            "/api/sessions/{slug}/updates/{id}",
            patch(edit).delete(retract),
        )
}

fn respond(posted: Posted, published: StatusCode) -> Response {
    match posted {
        Posted::Published(ack) => (published, JsonResponse(ack)).into_response(),
        Posted::Held(held) => (StatusCode::ACCEPTED, JsonResponse(held)).into_response(),
    }
}

async fn create(
    State(app): State<App>,
    allowed: Allowed<permit::PostUpdate>,
    Json(req): Json<PostUpdate>,
) -> Result<Response> {
    let posted = app
        .post_update(&allowed.session, &allowed.member, req)
        .await?;
    Ok(respond(posted, StatusCode::CREATED))
}

async fn edit(
    State(app): State<App>,
    allowed: Allowed<permit::EditUpdate>,
    Path((_, id)): Path<(String, Uuid)>,
    Json(req): Json<EditUpdate>,
) -> Result<Response> {
    let posted = app
        .edit_update(&allowed.session, &allowed.member, id, req)
        .await?;
    Ok(respond(posted, StatusCode::OK))
}

async fn retract(
    State(app): State<App>,
    allowed: Allowed<permit::RetractUpdate>,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<JsonResponse<SeqAck>> {
    Ok(JsonResponse(
        app.retract_update(&allowed.session, id).await?,
    ))
}
