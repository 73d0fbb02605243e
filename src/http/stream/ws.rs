//! The WebSocket side of a stream: one task per connection that writes
//! frames as the shared driver yields them (feeding every ready frame, then
//! flushing once), answers the shared heartbeat with pings, and closes with
//! a code that says what to do next. The task holds only what it needs, and
//! rare paths (hello, close) run boxed, so an idle connection stays small.

use super::driver::{BATCH, Driver, Wake};
use super::{CLOSE_RESTART, CLOSE_TOO_SLOW, StreamContext};
use crate::app::{AdmissionGuard, OpenStream};
use crate::hub::Frame;
use crate::metrics::{ConnectionGauge, Transport};
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, close_code};
use futures_util::SinkExt;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;
use tokio::time::timeout;

enum End {
    /// Close with this code and reason.
    Close(u16, &'static str),
    /// The client made no write progress: close with 4008.
    Stalled,
    /// The client is gone; nothing to say.
    Gone,
    /// The client closed; its Close frame was answered.
    Answered,
}

/// One WebSocket viewer's state. Kept in one place so that the task's
/// future holds it once, next to the one sub-future awaited at a time.
struct Conn {
    socket: WebSocket,
    driver: Driver,
    gauge: ConnectionGauge,
    stall: Duration,
    answered: bool,
    /// Messages received since the last heartbeat, and the most allowed.
    incoming: u32,
    max_incoming: u32,
    _admission: Option<AdmissionGuard>,
}

/// The connection's task. A plain function, so that its arguments are not
/// kept alive in the future next to the state built from them.
pub fn serve(
    socket: WebSocket,
    open: Box<OpenStream>,
    ctx: StreamContext,
) -> impl Future<Output = ()> + Send {
    let mut open = *open;
    let (role, admission) = (open.role, open.admission.take());
    let (driver, hello) = Driver::new(open, ctx.heartbeat);
    let conn = Conn {
        socket,
        driver,
        gauge: ctx
            .metrics
            .connection(role.is_staff(), Transport::WebSocket),
        stall: ctx.stall,
        answered: true,
        incoming: 0,
        max_incoming: ctx.max_incoming,
        _admission: admission,
    };
    conn.serve(hello.ws)
}

impl Conn {
    /// The connection's whole life, in one future that owns the state (no
    /// nested future borrowing it, which would double the task's size).
    async fn serve(mut self, hello: Utf8Bytes) {
        let greeted = Box::pin(timeout(self.stall, self.socket.send(Message::Text(hello)))).await;
        let end = match greeted {
            Ok(Ok(())) if self.driver.stopping() => {
                End::Close(CLOSE_RESTART, "server restarting; reconnect with since")
            }
            Ok(Ok(())) => loop {
                let outcome = match self.driver.wait(self.socket.recv()).await {
                    Wake::Frame(frame) => self.write_batch(frame).await,
                    Wake::Close(code, reason) => Err(End::Close(code, reason)),
                    Wake::Transport(None) => Err(End::Gone),
                    // The library queued the reply to a client's Close frame
                    // (RFC 6455 5.5.1); flushing sends it before the end.
                    Wake::Transport(Some(Ok(Message::Close(_)))) => Err(End::Answered),
                    Wake::Transport(Some(Ok(_))) => {
                        self.answered = true;
                        self.incoming += 1;
                        if self.incoming > self.max_incoming {
                            self.gauge.metrics().floods_closed.fetch_add(1, Relaxed);
                            tracing::warn!("closed a WebSocket client that floods messages");
                            Err(End::Close(close_code::POLICY, "too many messages"))
                        } else {
                            Ok(())
                        }
                    }
                    Wake::Transport(Some(Err(e))) => Err(classify(e)),
                    Wake::Tick => {
                        self.incoming = 0;
                        Box::pin(self.ping()).await
                    }
                };
                if let Err(end) = outcome {
                    break end;
                }
            },
            Ok(Err(_)) => End::Gone,
            Err(_) => End::Stalled,
        };
        Box::pin(self.close(end)).await;
    }

    /// Pings on the shared heartbeat; a client that did not answer the last
    /// ping is gone.
    async fn ping(&mut self) -> Result<(), End> {
        if !self.answered {
            self.gauge
                .metrics()
                .heartbeat_timeouts
                .fetch_add(1, Relaxed);
            return Err(End::Gone);
        }
        self.answered = false;
        match timeout(
            self.stall,
            self.socket.send(Message::Ping(Default::default())),
        )
        .await
        {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(End::Gone),
            Err(_) => Err(End::Stalled),
        }
    }

    /// Writes `first` and whatever else is ready, then flushes once.
    async fn write_batch(&mut self, first: Frame) -> Result<(), End> {
        let Frame {
            ws,
            published,
            more,
            ..
        } = first;
        let Conn { socket, driver, .. } = self;
        let write = async {
            let (mut ws, mut more) = (ws, more);
            let mut written = 0;
            loop {
                socket.feed(Message::Text(ws)).await?;
                // A bundle's further events, by index: no iterator held
                // across the await keeps the task small.
                if let Some(extra) = more.take() {
                    for i in 0..extra.len() {
                        socket.feed(Message::Text(extra[i].clone())).await?;
                    }
                }
                written += 1;
                match (written < BATCH).then(|| driver.more()).flatten() {
                    Some(next) => (ws, more) = (next.ws, next.more),
                    None => break,
                }
            }
            socket.flush().await?;
            Ok::<_, axum::Error>(written)
        };
        match timeout(self.stall, write).await {
            Ok(Ok(written)) => {
                self.gauge
                    .metrics()
                    .frames_delivered
                    .fetch_add(written, Relaxed);
                if let Some(at) = published {
                    self.gauge.metrics().fanout_lag.observe(at.elapsed());
                }
                Ok(())
            }
            Ok(Err(_)) => Err(End::Gone),
            Err(_) => Err(End::Stalled),
        }
    }

    async fn close(&mut self, end: End) {
        let (code, reason) = match end {
            End::Gone => return,
            End::Answered => {
                let _ = timeout(Duration::from_secs(1), self.socket.flush()).await;
                return;
            }
            End::Close(code, reason) => (code, reason),
            End::Stalled => {
                self.gauge
                    .metrics()
                    .slow_consumer_disconnects
                    .fetch_add(1, Relaxed);
                (CLOSE_TOO_SLOW, "too slow; reconnect with since")
            }
        };
        let close = Message::Close(Some(CloseFrame {
            code,
            reason: reason.into(),
        }));
        let _ = timeout(Duration::from_secs(1), self.socket.send(close)).await;
    }
}

/// A read error: an oversized message gets 1009, text that is not UTF-8
/// 1007, anything else 1002.
fn classify(error: axum::Error) -> End {
    let inner = error.into_inner().downcast::<tungstenite::Error>();
    let too_big = inner
        .as_ref()
        .is_ok_and(|e| matches!(**e, tungstenite::Error::Capacity(_)));
    // A client that sends (pings) but never reads: its replies filled the
    // bounded write buffer.
    let write_buffer_full = inner
        .as_ref()
        .is_ok_and(|e| matches!(**e, tungstenite::Error::WriteBufferFull(_)));
    if write_buffer_full {
        tracing::warn!("closed a WebSocket client that does not read its replies");
    }
    let not_utf8 = inner
        .as_ref()
        .is_ok_and(|e| matches!(**e, tungstenite::Error::Utf8(_)));
    if too_big {
        End::Close(close_code::SIZE, "message too big")
    } else if not_utf8 {
        End::Close(close_code::INVALID, "text frames must be UTF-8")
    } else if write_buffer_full {
        End::Gone
    } else {
        End::Close(close_code::PROTOCOL, "protocol error")
    }
}

#[cfg(test)]
mod tests {
    fn future_size<A, B, C, F: Future>(_: fn(A, B, C) -> F) -> usize {
        std::mem::size_of::<F>()
    }

    /// An idle viewer's memory is mostly this task: keep it from creeping up.
    #[test]
    fn a_connection_task_stays_small() {
        let size = future_size(super::serve as fn(_, _, _) -> _);
        assert!(size <= 2048, "the WebSocket task grew to {size} bytes");
    }
}
