//! The Server-Sent Events side of a stream. A pump task feeds a small
//! channel that the response body drains; when the client stops reading for
//! the stall timeout, the pump ends and the browser's EventSource resumes
//! by itself with `Last-Event-ID`.

use super::StreamContext;
use super::driver::{BATCH, Driver, Wake};
use crate::app::OpenStream;
use crate::metrics::Transport;
use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use std::convert::Infallible;
use std::sync::atomic::Ordering::Relaxed;
use tokio::sync::mpsc;
use tokio::time::timeout;

const RETRY: &[u8] = b"retry: 2000\n\n";
const KEEPALIVE: &[u8] = b": keepalive\n\n";

/// The admission slot lives in the response body, so it is held for as long
/// as the connection lasts, not just as long as the pump.
pub fn respond(mut open: OpenStream, ctx: StreamContext) -> Response {
    let (tx, rx) = mpsc::channel::<Bytes>(4);
    let admission = open.admission.take();
    super::runtime::spawn_stream(open.role.is_staff(), pump(open, ctx, tx));
    let body = futures_util::stream::unfold((rx, admission), |(mut rx, admission)| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, Infallible>(chunk), (rx, admission)))
    });
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-store"),
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

async fn pump(open: OpenStream, ctx: StreamContext, tx: mpsc::Sender<Bytes>) {
    let StreamContext { metrics, stall, .. } = ctx;
    let _gauge = metrics.connection(open.role.is_staff(), Transport::Sse);
    let (mut driver, hello) = Driver::new(open, ctx.heartbeat);
    let mut first = BytesMut::from(RETRY);
    first.extend_from_slice(&hello.sse);
    if tx.send(first.freeze()).await.is_err() || driver.stopping() {
        return;
    }
    loop {
        let chunk = match driver.wait(tx.closed()).await {
            Wake::Transport(()) | Wake::Close(..) => return,
            Wake::Tick => Bytes::from_static(KEEPALIVE),
            Wake::Frame(frame) => {
                let mut written = 1;
                let mut chunk = frame.sse;
                if let Some(more) = driver.more() {
                    let mut joined = BytesMut::from(&chunk[..]);
                    joined.extend_from_slice(&more.sse);
                    written += 1;
                    while written < BATCH {
                        let Some(more) = driver.more() else { break };
                        joined.extend_from_slice(&more.sse);
                        written += 1;
                    }
                    chunk = joined.freeze();
                }
                metrics.frames_delivered.fetch_add(written, Relaxed);
                chunk
            }
        };
        match timeout(stall, tx.send(chunk)).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return,
            Err(_) => {
                metrics.slow_consumer_disconnects.fetch_add(1, Relaxed);
                return;
            }
        }
    }
}
