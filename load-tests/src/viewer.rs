//! One viewer: connects (WebSocket or SSE, from a chosen source address),
//! reads events, and tallies latency, gaps and duplicates. It reconnects with
//! `since` after a drop, a 4008 or a 1012, as a real client does.

use crate::narrator::now_ns;
use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::net::{IpAddr, SocketAddr};
use std::rc::Rc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::watch;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::servers::Kind;

pub struct Target {
    pub kind: Kind,
    pub port: u16,
    pub path: String,
    pub since: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Ws,
    Sse,
}

/// Commands from the worker: how many drops so far, and whether to stop.
#[derive(Debug, Clone, Copy, Default)]
pub struct Control {
    pub drops: u64,
    pub stop: bool,
}

/// What viewers count, summed over a worker and then over all workers.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Counts {
    pub received: u64,
    pub gaps: u64,
    pub duplicates: u64,
    pub connected: u64,
    pub failed: u64,
    pub reconnects: u64,
    pub closed_4008: u64,
    pub closed_1012: u64,
    pub refused: u64,
    pub slow_closed: u64,
    pub slow_open: u64,
    pub slow_received: u64,
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        let pairs = [
            (&mut self.received, other.received),
            (&mut self.gaps, other.gaps),
            (&mut self.duplicates, other.duplicates),
            (&mut self.connected, other.connected),
            (&mut self.failed, other.failed),
            (&mut self.reconnects, other.reconnects),
            (&mut self.closed_4008, other.closed_4008),
            (&mut self.closed_1012, other.closed_1012),
            (&mut self.refused, other.refused),
            (&mut self.slow_closed, other.slow_closed),
            (&mut self.slow_open, other.slow_open),
            (&mut self.slow_received, other.slow_received),
        ];
        for (mine, theirs) in pairs {
            *mine += theirs;
        }
    }
}

/// One worker's tallies: a latency histogram and the counts.
pub struct Tally {
    pub latency_us: Histogram<u64>,
    pub counts: Counts,
}

impl Default for Tally {
    fn default() -> Self {
        Self {
            latency_us: Histogram::new_with_bounds(1, 120_000_000, 3).expect("histogram bounds"),
            counts: Counts::default(),
        }
    }
}

/// A tiny xorshift generator for jitter (no need for a crate).
pub struct Jitter(u64);

impl Jitter {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, max_ms: u64) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        Duration::from_millis(self.0 % max_ms.max(1))
    }
}

fn number_after(text: &str, key: &str) -> Option<u64> {
    let start = text.find(key)? + key.len();
    let digits = text[start..].bytes().take_while(u8::is_ascii_digit).count();
    text[start..start + digits].parse().ok()
}

/// A viewer's cursor: the last seq it saw.
struct Cursor {
    last: u64,
}

impl Cursor {
    /// Tallies one event text. Gallery events carry `"seq":`; peers' texts
    /// carry the narrator's `n=` as their sequence.
    /// Checks the order of a Gallery event without timing it (for stalled viewers).
    fn count(&mut self, text: &str, tally: &RefCell<Tally>) {
        let Some(seq) = number_after(text, "\"seq\":") else {
            return;
        };
        let mut t = tally.borrow_mut();
        if seq <= self.last {
            t.counts.duplicates += 1;
        } else {
            t.counts.gaps += seq - self.last - 1;
            self.last = seq;
        }
    }

    fn on_text(&mut self, kind: Kind, text: &str, tally: &RefCell<Tally>) {
        let seq = match kind {
            Kind::Gallery => number_after(text, "\"seq\":"),
            _ => number_after(text, "n="),
        };
        let Some(seq) = seq else { return };
        let mut t = tally.borrow_mut();
        if seq <= self.last {
            t.counts.duplicates += 1;
            return;
        }
        if seq > self.last + 1 {
            t.counts.gaps += seq - self.last - 1;
        }
        self.last = seq;
        if let Some(sent) = number_after(text, "t=") {
            let us = now_ns().saturating_sub(sent as u128) / 1000;
            t.latency_us.saturating_record(us as u64);
            t.counts.received += 1;
        }
    }
}

async fn tcp_from(source: IpAddr, port: u16) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source, 0))?;
    let stream = socket
        .connect(SocketAddr::from(([127, 0, 0, 1], port)))
        .await?;
    stream.set_nodelay(true)?;
    Ok(stream)
}

enum Conn {
    Ws(Box<WebSocketStream<TcpStream>>),
    Sse(BufReader<TcpStream>),
}

/// What ended a connection.
enum Ended {
    Closed(Option<u16>),
    Dropped,
    Stop,
}

async fn open(
    target: &Target,
    transport: Transport,
    source: IpAddr,
    since: u64,
) -> anyhow::Result<Conn> {
    let tcp = tcp_from(source, target.port).await?;
    let path = if target.kind == Kind::Gallery {
        format!("{}?since={since}", target.path)
    } else {
        target.path.clone()
    };
    match transport {
        Transport::Sse => {
            let mut tcp = tcp;
            let request = format!(
                "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
            );
            tcp.write_all(request.as_bytes()).await?;
            let mut reader = BufReader::with_capacity(2048, tcp);
            let mut status = String::new();
            reader.read_line(&mut status).await?;
            anyhow::ensure!(status.contains(" 200"), "SSE refused: {}", status.trim());
            Ok(Conn::Sse(reader))
        }
        Transport::Ws => {
            let config = WebSocketConfig::default()
                .read_buffer_size(4096)
                .write_buffer_size(0);
            let url = format!("ws://127.0.0.1:{}{path}", target.port);
            let (mut ws, _) =
                tokio_tungstenite::client_async_with_config(url, tcp, Some(config)).await?;
            if target.kind == Kind::Nats {
                nats_subscribe(&mut ws).await?;
            }
            Ok(Conn::Ws(Box::new(ws)))
        }
    }
}

async fn nats_subscribe(ws: &mut WebSocketStream<TcpStream>) -> anyhow::Result<()> {
    let _info = ws
        .next()
        .await
        .ok_or_else(|| anyhow::anyhow!("no INFO"))??;
    let hello = "CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB updates 1\r\nPING\r\n";
    ws.send(Message::binary(hello.as_bytes().to_vec())).await?;
    loop {
        let msg = ws
            .next()
            .await
            .ok_or_else(|| anyhow::anyhow!("closed during SUB"))??;
        if msg.into_data().windows(4).any(|w| w == b"PONG") {
            return Ok(());
        }
    }
}

async fn follow(
    conn: &mut Conn,
    kind: Kind,
    cursor: &mut Cursor,
    tally: &RefCell<Tally>,
    control: &mut watch::Receiver<Control>,
    drops_seen: &mut u64,
) -> Ended {
    match conn {
        Conn::Ws(ws) => loop {
            tokio::select! {
                msg = ws.next() => match msg {
                    Some(Ok(Message::Text(t))) => cursor.on_text(kind, t.as_str(), tally),
                    Some(Ok(Message::Binary(b))) => {
                        let text = String::from_utf8_lossy(&b);
                        if text.contains("PING\r\n") {
                            let _ = ws.send(Message::binary(b"PONG\r\n".to_vec())).await;
                        }
                        for part in text.split("MSG ").skip(1) {
                            cursor.on_text(kind, part, tally);
                        }
                    }
                    Some(Ok(Message::Close(frame))) => return Ended::Closed(frame.map(|f| u16::from(f.code))),
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => return Ended::Closed(None),
                },
                _ = control.changed() => {
                    let c = *control.borrow_and_update();
                    if c.stop { return Ended::Stop; }
                    if c.drops > *drops_seen { *drops_seen = c.drops; return Ended::Dropped; }
                }
            }
        },
        Conn::Sse(reader) => {
            let mut line = String::new();
            loop {
                line.clear();
                tokio::select! {
                    read = reader.read_line(&mut line) => match read {
                        Ok(0) | Err(_) => return Ended::Closed(None),
                        Ok(_) => if let Some(data) = line.strip_prefix("data: ") { cursor.on_text(kind, data, tally) },
                    },
                    _ = control.changed() => {
                        let c = *control.borrow_and_update();
                        if c.stop { return Ended::Stop; }
                        if c.drops > *drops_seen { *drops_seen = c.drops; return Ended::Dropped; }
                    }
                }
            }
        }
    }
}

/// A slow viewer stops reading after connecting. At the end it reads what
/// the server still holds for it (checking order as any viewer does) until
/// the server closes it or nothing more arrives for a second.
async fn stall_then_drain(
    conn: &mut Conn,
    cursor: &mut Cursor,
    tally: &RefCell<Tally>,
    control: &mut watch::Receiver<Control>,
) {
    while !control.borrow().stop {
        if control.changed().await.is_err() {
            break;
        }
    }
    let Conn::Ws(ws) = conn else { return };
    let mut received = 0;
    let closed = loop {
        match tokio::time::timeout(Duration::from_secs(1), ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => {
                let before = cursor.last;
                cursor.count(t.as_str(), tally);
                received += u64::from(cursor.last > before && t.as_str().contains("t="));
            }
            Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) => break true,
            Ok(Some(Ok(_))) => {}
            Err(_) => break false,
        }
    };
    let mut t = tally.borrow_mut();
    t.counts.slow_received += received;
    if closed {
        t.counts.slow_closed += 1;
    } else {
        t.counts.slow_open += 1;
    }
}

pub struct ViewerSpec {
    pub transport: Transport,
    pub slow: bool,
    pub source: IpAddr,
    pub seed: u64,
}

/// Runs one viewer until told to stop. `settled` is called once, after the
/// first connection succeeded or finally failed.
pub async fn run(
    target: Rc<Target>,
    spec: ViewerSpec,
    tally: Rc<RefCell<Tally>>,
    mut control: watch::Receiver<Control>,
    settled: impl FnOnce(),
) {
    let mut settled = Some(settled);
    let mut jitter = Jitter::new(spec.seed);
    let mut cursor = Cursor { last: target.since };
    let mut drops_seen = control.borrow().drops;
    let mut attempts = 0u32;
    loop {
        if control.borrow().stop {
            break;
        }
        let mut conn = match open(&target, spec.transport, spec.source, cursor.last).await {
            Ok(conn) => conn,
            Err(e) => {
                attempts += 1;
                if e.to_string().contains("429") || e.to_string().contains("503") {
                    tally.borrow_mut().counts.refused += 1;
                }
                if settled.is_some() && attempts >= 3 {
                    tally.borrow_mut().counts.failed += 1;
                    (settled.take().unwrap())();
                    return;
                }
                let backoff = 250u64 << attempts.min(5);
                tokio::time::sleep(jitter.below(backoff) + Duration::from_millis(50)).await;
                continue;
            }
        };
        attempts = 0;
        match settled.take() {
            Some(done) => {
                tally.borrow_mut().counts.connected += 1;
                done();
            }
            None => tally.borrow_mut().counts.reconnects += 1,
        }
        if spec.slow {
            stall_then_drain(&mut conn, &mut cursor, &tally, &mut control).await;
            return;
        }
        match follow(
            &mut conn,
            target.kind,
            &mut cursor,
            &tally,
            &mut control,
            &mut drops_seen,
        )
        .await
        {
            Ended::Stop => break,
            Ended::Dropped => {
                drop(conn);
                tokio::time::sleep(jitter.below(2000)).await;
            }
            Ended::Closed(code) => {
                match code {
                    Some(4008) => tally.borrow_mut().counts.closed_4008 += 1,
                    Some(1012) => tally.borrow_mut().counts.closed_1012 += 1,
                    _ => {}
                }
                tokio::time::sleep(jitter.below(500)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_after_their_key() {
        assert_eq!(
            number_after(r#"{"type":"update","seq":42,"ts":"t"}"#, "\"seq\":"),
            Some(42)
        );
        assert_eq!(number_after("t=1700000000000000000 n=7 xxx", "n="), Some(7));
        assert_eq!(number_after("no number here", "n="), None);
    }

    #[test]
    fn the_cursor_counts_gaps_and_duplicates() {
        let tally = RefCell::new(Tally::default());
        let mut cursor = Cursor { last: 0 };
        for n in [1, 2, 2, 5, 6] {
            cursor.on_text(Kind::Node, &format!("t=1 n={n} x"), &tally);
        }
        let t = tally.borrow();
        assert_eq!(
            (t.counts.received, t.counts.duplicates, t.counts.gaps),
            (4, 1, 2)
        );
    }
}
