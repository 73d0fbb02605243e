//! The WebSocket side of a stream: one task per connection that writes
//! frames as the follower yields them (feeding every ready frame, then
//! flushing once), answers the shared heartbeat with pings, and closes with
//! a code that says what to do next.

use super::{CLOSE_RESTART, CLOSE_TOO_SLOW};
use crate::app::{App, OpenStream};
use crate::hub::{Follower, Frame};
use crate::metrics::{Metrics, Transport};
use axum::extract::ws::{CloseFrame, Message, WebSocket, close_code};
use futures_util::SinkExt;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;
use tokio::time::timeout;

/// Most frames written before one flush.
const BATCH: usize = 64;

enum End {
    /// Close with this code and reason.
    Close(u16, &'static str),
    /// The client made no write progress: close with 4008.
    Stalled,
    /// The client is gone; nothing to say.
    Gone,
}

pub async fn serve(mut socket: WebSocket, open: OpenStream, app: App) {
    let OpenStream {
        role,
        hello,
        mut follower,
        admission: _admission,
    } = open;
    let _gauge = app
        .metrics
        .connection(role.is_staff(), Transport::WebSocket);
    let stall = Duration::from_millis(app.config.stream.stall_timeout_ms);
    let mut heartbeat = app.hub.heartbeat();
    let mut answered = true;
    let end = match timeout(stall, socket.send(Message::Text(hello.ws))).await {
        Ok(Ok(())) => loop {
            tokio::select! {
                _ = app.shutdown.cancelled() => break End::Close(CLOSE_RESTART, "server restarting; reconnect with since"),
                next = follower.next() => match next {
                    Ok(frame) => {
                        if let Err(end) = write_batch(&mut socket, frame, &mut follower, stall, &app.metrics).await {
                            break end;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = ?e, "stream history unavailable");
                        break End::Close(close_code::ERROR, "history unavailable; reconnect with since");
                    }
                },
                incoming = socket.recv() => match incoming {
                    None | Some(Ok(Message::Close(_))) => break End::Gone,
                    Some(Ok(_)) => answered = true,
                    Some(Err(e)) => break classify(e),
                },
                _ = heartbeat.changed() => {
                    if !answered {
                        app.metrics.heartbeat_timeouts.fetch_add(1, Relaxed);
                        break End::Gone;
                    }
                    answered = false;
                    match timeout(stall, socket.send(Message::Ping(Default::default()))).await {
                        Ok(Ok(())) => {}
                        Ok(Err(_)) => break End::Gone,
                        Err(_) => break End::Stalled,
                    }
                }
            }
        },
        Ok(Err(_)) => End::Gone,
        Err(_) => End::Stalled,
    };
    let (code, reason) = match end {
        End::Gone => return,
        End::Close(code, reason) => (code, reason),
        End::Stalled => {
            app.metrics.slow_consumer_disconnects.fetch_add(1, Relaxed);
            (CLOSE_TOO_SLOW, "too slow; reconnect with since")
        }
    };
    let close = Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }));
    let _ = timeout(Duration::from_secs(1), socket.send(close)).await;
}

/// Writes `first` and whatever else is ready, then flushes once.
async fn write_batch(
    socket: &mut WebSocket,
    first: Frame,
    follower: &mut Follower,
    stall: Duration,
    metrics: &Metrics,
) -> Result<(), End> {
    let published = first.published;
    let write = async {
        socket.feed(Message::Text(first.ws)).await?;
        let mut written: u64 = 1;
        while written < BATCH as u64 {
            let Some(frame) = follower.try_next() else {
                break;
            };
            socket.feed(Message::Text(frame.ws)).await?;
            written += 1;
        }
        socket.flush().await?;
        Ok::<_, axum::Error>(written)
    };
    match timeout(stall, write).await {
        Ok(Ok(written)) => {
            metrics.frames_delivered.fetch_add(written, Relaxed);
            if let Some(at) = published {
                metrics.fanout_lag.observe(at.elapsed());
            }
            Ok(())
        }
        Ok(Err(_)) => Err(End::Gone),
        Err(_) => Err(End::Stalled),
    }
}

/// A read error: an oversized message gets 1009, anything else 1002.
fn classify(error: axum::Error) -> End {
    let too_big = error
        .into_inner()
        .downcast::<tungstenite::Error>()
        .is_ok_and(|e| matches!(*e, tungstenite::Error::Capacity(_)));
    if too_big {
        End::Close(close_code::SIZE, "message too big")
    } else {
        End::Close(close_code::PROTOCOL, "protocol error")
    }
}
