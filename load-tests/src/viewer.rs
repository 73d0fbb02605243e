//! One viewer: connects (WebSocket or SSE, from a chosen source address)
//! and reads events into its tally (see `tally`). It reconnects with
//! `since` after a drop, a 4008 or a 1012, as a real client does.

use crate::tally::{Cursor, Tally};
use futures_util::{SinkExt, StreamExt};
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
    /// The session's head at the end: every viewer should have reached it.
    pub head: u64,
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
            Ended::Stop => {
                if cursor.last < control.borrow().head {
                    tally.borrow_mut().counts.behind += 1;
                }
                break;
            }
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
