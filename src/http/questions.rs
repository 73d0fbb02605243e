//! Questions over HTTP: viewers ask, list their own and vote; moderators
//! list, moderate and mute; the specialist takes approved questions.

use super::extract::{Allowed, Bearer, ClientIp, Json, Path, Query, permit};
use crate::Result;
use crate::app::{Answered, App};
use crate::domain::{Action, Role};
use crate::protocol::{
    AnswerQuestion, AskQuestion, Moderate, Mute, Muted, Question, QuestionAck, QuestionList,
    QueueStats, StaffHere,
};
use axum::Router;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Json as JsonResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<App> {
    let q = "/api/sessions/{slug}/questions";
    Router::new()
        .route(q, post(ask).get(list))
        .route(&format!("{q}/mine"), get(mine))
        .route(&format!("{q}/stats"), get(stats))
        .route(&format!("{q}/{{id}}/moderate"), post(moderate))
        .route(&format!("{q}/{{id}}/vote"), post(vote).delete(vote))
        .route(&format!("{q}/{{id}}/answering"), post(answering))
        .route(&format!("{q}/{{id}}/answer"), post(answer))
        .route(&format!("{q}/{{id}}/dismiss"), post(dismiss))
        .route("/api/sessions/{slug}/viewers/{viewer_id}/mute", post(mute))
        .route("/api/sessions/{slug}/presence", post(presence))
}

async fn ask(
    State(app): State<App>,
    allowed: Allowed<permit::AskQuestion>,
    ClientIp(client): ClientIp,
    Json(req): Json<AskQuestion>,
) -> Result<Response> {
    let question = app
        .ask(&allowed.session, &allowed.member, client, req)
        .await?;
    Ok((StatusCode::ACCEPTED, JsonResponse(QuestionAck { question })).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    muted: Option<bool>,
    code: Option<String>,
}

/// With a token: what that role may see. Without one: the published
/// questions of a session the caller can read (what every viewer's stream
/// already carries), so a page can show them before its reader joins.
async fn list(
    State(app): State<App>,
    bearer: Bearer,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<JsonResponse<QuestionList>> {
    let (session, role) = match bearer.get() {
        Some(token) => {
            let (session, member) = app
                .member_for(&slug, Some(token), Action::ListQuestions)
                .await?;
            (session, member.role)
        }
        None => (
            app.readable(&slug, None, q.code.as_deref()).await?,
            Role::Viewer,
        ),
    };
    let questions = app
        .list_questions(&session, role, q.status.as_deref(), q.muted)
        .await?;
    Ok(JsonResponse(QuestionList { questions }))
}

async fn mine(
    State(app): State<App>,
    allowed: Allowed<permit::ReadOwnQuestions>,
) -> Result<JsonResponse<QuestionList>> {
    let questions = app.my_questions(&allowed.session, &allowed.member).await?;
    Ok(JsonResponse(QuestionList { questions }))
}

async fn stats(
    State(app): State<App>,
    allowed: Allowed<permit::ReadQueueStats>,
) -> Result<JsonResponse<QueueStats>> {
    Ok(JsonResponse(app.queue_stats(&allowed.session).await?))
}

async fn moderate(
    State(app): State<App>,
    allowed: Allowed<permit::Moderate>,
    Path((_, id)): Path<(String, Uuid)>,
    Json(req): Json<Moderate>,
) -> Result<JsonResponse<Question>> {
    let question = app
        .moderate(&allowed.session, &allowed.member, id, req)
        .await?;
    Ok(JsonResponse(question))
}

/// POST votes, DELETE takes the vote back.
async fn vote(
    State(app): State<App>,
    method: Method,
    allowed: Allowed<permit::Vote>,
    ClientIp(client): ClientIp,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<JsonResponse<Question>> {
    let on = method != Method::DELETE;
    let q = app
        .vote(&allowed.session, &allowed.member, client, id, on)
        .await?;
    Ok(JsonResponse(q))
}

async fn answering(
    State(app): State<App>,
    allowed: Allowed<permit::AnswerQuestion>,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<JsonResponse<Question>> {
    let q = app
        .now_answering(&allowed.session, &allowed.member, id)
        .await?;
    Ok(JsonResponse(q))
}

async fn answer(
    State(app): State<App>,
    allowed: Allowed<permit::AnswerQuestion>,
    Path((_, id)): Path<(String, Uuid)>,
    Json(req): Json<AnswerQuestion>,
) -> Result<Response> {
    let answered = app
        .answer(&allowed.session, &allowed.member, id, req)
        .await?;
    Ok(match answered {
        Answered::Published(ack) => JsonResponse(ack).into_response(),
        Answered::Held(held) => (StatusCode::ACCEPTED, JsonResponse(held)).into_response(),
    })
}

async fn dismiss(
    State(app): State<App>,
    allowed: Allowed<permit::AnswerQuestion>,
    Path((_, id)): Path<(String, Uuid)>,
) -> Result<JsonResponse<Question>> {
    let q = app.dismiss(&allowed.session, &allowed.member, id).await?;
    Ok(JsonResponse(q))
}

async fn mute(
    State(app): State<App>,
    allowed: Allowed<permit::Mute>,
    Path((_, viewer_id)): Path<(String, Uuid)>,
    Json(req): Json<Mute>,
) -> Result<JsonResponse<Muted>> {
    let muted = app
        .mute(&allowed.session, &allowed.member, viewer_id, req.muted)
        .await?;
    Ok(JsonResponse(muted))
}

async fn presence(
    State(app): State<App>,
    allowed: Allowed<permit::ShowPresence>,
    Json(req): Json<StaffHere>,
) -> Result<StatusCode> {
    app.staff_here(&allowed.member, &req)?;
    Ok(StatusCode::NO_CONTENT)
}
