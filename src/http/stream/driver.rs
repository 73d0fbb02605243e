//! The loop both transports share: what a stream waits for (the next frame
//! of its audiences, the shared heartbeat, the rotation of its staff token,
//! and one transport-specific thing), and what each wake-up means. The
//! WebSocket and SSE sides only say how to write a frame, a keep-alive and
//! a close.

use super::{CLOSE_BAD_TICKET, CLOSE_RESTART};
use crate::app::{OpenStream, PresenceGuard};
use crate::hub::{Beat, Feed, Frame, Heartbeat};
use tokio_util::sync::CancellationToken;

/// Most frames written before one flush.
pub const BATCH: u64 = 64;

pub struct Driver {
    feed: Feed,
    heartbeat: Heartbeat,
    revoked: Option<CancellationToken>,
    /// Staff streams only (boxed: viewers pay one pointer).
    _presence: Option<Box<PresenceGuard>>,
}

/// Why the stream woke up.
pub enum Wake<T> {
    /// A frame to write (then whatever else is ready: [`Driver::more`]).
    Frame(Frame),
    /// Time for a ping or keep-alive.
    Tick,
    /// The stream must end with this close code and reason.
    Close(u16, &'static str),
    /// The transport's own event.
    Transport(T),
}

impl Driver {
    /// The driver of an opened stream, and the parts the transport keeps.
    pub fn new(open: OpenStream, heartbeat: Heartbeat) -> (Self, crate::hub::Frame) {
        let OpenStream {
            hello,
            feed,
            revoked,
            presence,
            ..
        } = open;
        let driver = Self {
            feed,
            heartbeat,
            revoked,
            _presence: presence.map(Box::new),
        };
        (driver, hello)
    }

    /// Whether the server began stopping (checked once, after `hello`).
    pub fn stopping(&self) -> bool {
        self.heartbeat.stopping()
    }

    /// Waits for the next thing to do. Cancel-safe.
    pub async fn wait<T>(&mut self, transport: impl Future<Output = T>) -> Wake<T> {
        tokio::select! {
            next = self.feed.next() => match next {
                Ok(frame) => Wake::Frame(frame),
                Err(e) => {
                    tracing::warn!(error = ?e, "stream history unavailable");
                    Wake::Close(CLOSE_RESTART, "history unavailable; reconnect with since")
                }
            },
            t = transport => Wake::Transport(t),
            beat = self.heartbeat.beat() => match beat {
                Beat::Tick => Wake::Tick,
                Beat::Stop => Wake::Close(CLOSE_RESTART, "server restarting; reconnect with since"),
            },
            () = revoked(self.revoked.as_ref()) => {
                Wake::Close(CLOSE_BAD_TICKET, "this token was rotated; get a new invite")
            }
        }
    }

    /// The next frame if one is ready now (for writing several at once).
    pub fn more(&mut self) -> Option<Frame> {
        self.feed.try_next()
    }
}

/// Resolves when the stream's staff token is rotated; never for viewers.
async fn revoked(token: Option<&CancellationToken>) {
    match token {
        Some(token) => token.cancelled().await,
        None => std::future::pending().await,
    }
}
