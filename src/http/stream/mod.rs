//! `GET /api/sessions/{slug}/stream`: a WebSocket when the request is an
//! upgrade, Server-Sent Events otherwise. Both carry the same frames in the
//! same order with the same resume rule.

mod driver;
mod runtime;
mod sse;
mod ws;

use super::extract::{ClientIp, Path, Query};
use crate::Error;
use crate::app::{App, StreamRequest};
use crate::error::Kind;
use crate::hub::Heartbeat;
use crate::metrics::Metrics;
use axum::Router;
use axum::extract::ws::{CloseFrame, Message, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// Close codes that tell a client to reconnect with `since`.
pub const CLOSE_RESTART: u16 = 1012;
pub const CLOSE_TOO_SLOW: u16 = 4008;
pub const CLOSE_BAD_TICKET: u16 = 4001;

/// What a stream's task needs from the app, and nothing more.
pub struct StreamContext {
    pub metrics: Arc<Metrics>,
    pub stall: Duration,
    pub heartbeat: Heartbeat,
    /// Messages (pings included) a client may send per heartbeat interval.
    pub max_incoming: u32,
}

impl StreamContext {
    fn new(app: &App) -> Self {
        Self {
            metrics: app.metrics().clone(),
            stall: Duration::from_millis(app.config().stream.stall_timeout_ms),
            heartbeat: app.hub().heartbeat(),
            max_incoming: app.config().limits.ws_max_incoming_per_heartbeat,
        }
    }
}

pub fn router() -> Router<App> {
    Router::new().route("/api/sessions/{slug}/stream", get(stream))
}

#[derive(Deserialize)]
struct StreamQuery {
    since: Option<u64>,
    staff_since: Option<u64>,
    ticket: Option<String>,
    code: Option<String>,
    name: Option<String>,
}

fn is_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// SSE's `Last-Event-ID` (sent by a reconnecting EventSource) beats `since`.
fn last_event_id(headers: &HeaderMap) -> Option<u64> {
    headers
        .get("last-event-id")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

async fn stream(
    State(app): State<App>,
    ClientIp(client): ClientIp,
    Path(slug): Path<String>,
    Query(q): Query<StreamQuery>,
    request: Request,
) -> Response {
    let (mut parts, _) = request.into_parts();
    let upgrade = if is_upgrade(&parts.headers) {
        match WebSocketUpgrade::from_request_parts(&mut parts, &app).await {
            Ok(upgrade) => Some(upgrade),
            Err(rejection) => {
                return Error::bad_request("invalid_query", rejection.body_text()).into_response();
            }
        }
    } else {
        None
    };
    let since = if upgrade.is_none() {
        last_event_id(&parts.headers).or(q.since)
    } else {
        q.since
    };
    let request = StreamRequest {
        slug: &slug,
        since,
        staff_since: q.staff_since,
        ticket: q.ticket.as_deref(),
        name: q.name.as_deref(),
        code: q.code.as_deref(),
        peer: client,
    };
    let opened = app.open_stream(request).await;
    match (upgrade, opened) {
        (Some(upgrade), Ok(open)) => {
            let limits = &app.config().limits;
            let stream = &app.config().stream;
            let ctx = StreamContext::new(&app);
            upgrade
                .read_buffer_size(stream.ws_read_buffer_bytes)
                .write_buffer_size(stream.ws_write_buffer_bytes)
                .max_write_buffer_size(limits.ws_max_write_buffer_bytes)
                .max_message_size(limits.ws_max_message_bytes)
                .max_frame_size(limits.ws_max_message_bytes)
                .on_upgrade({
                    let staff = open.role.is_staff();
                    let open = Box::new(open);
                    move |socket| {
                        runtime::spawn_stream(staff, ws::serve(socket, open, ctx));
                        std::future::ready(())
                    }
                })
        }
        (Some(upgrade), Err(e)) if e.kind() == Kind::Unauthorized => {
            let message = e.message().to_owned();
            upgrade.on_upgrade(move |mut socket| async move {
                let frame = CloseFrame {
                    code: CLOSE_BAD_TICKET,
                    reason: message.into(),
                };
                let _ = socket.send(Message::Close(Some(frame))).await;
            })
        }
        (None, Ok(open)) => sse::respond(open, StreamContext::new(&app)),
        (_, Err(e)) => e.into_response(),
    }
}
