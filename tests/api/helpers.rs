//! `spawn_app()` and the clients the tests use: HTTP (reqwest), WebSocket
//! (tokio-tungstenite) and SSE (a small line parser over reqwest's stream).

use futures_util::StreamExt;
use gallery::config::Config;
use gallery::startup::Application;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;

pub const ADMIN: &str = "test-admin-token-0123456789";
pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub http: Client,
    pub data_dir: Arc<tempfile::TempDir>,
    stop: CancellationToken,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

/// A session created for a test, with its staff tokens.
pub struct TestSession {
    pub slug: String,
    pub narrator: String,
    pub moderator: String,
    pub specialist: String,
    pub join_code: Option<String>,
}

pub fn test_config(data_dir: PathBuf) -> Config {
    let mut config = Config {
        listen: "127.0.0.1:0".into(),
        data_dir,
        admin_token: Some(ADMIN.into()),
        ..Config::default()
    };
    config.store.synchronous = "normal".into();
    config
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = Arc::new(tempfile::tempdir().expect("a temporary directory"));
    spawn_in(dir, adjust).await
}

/// Starts a server on an existing data directory (to test restarts).
pub async fn spawn_in(dir: Arc<tempfile::TempDir>, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = test_config(dir.path().to_path_buf());
    adjust(&mut config);
    let tls = config.tls_enabled();
    let application = Application::build(config).await.expect("the server starts");
    let addr = application.local_addr();
    let stop = CancellationToken::new();
    let stopped = stop.clone();
    let server =
        tokio::spawn(application.run_until_stopped(async move { stopped.cancelled().await }));
    let scheme = if tls { "https" } else { "http" };
    TestApp {
        addr,
        base: format!("{scheme}://{addr}"),
        // Idle pooled connections are dropped well before the server's
        // header read timeout closes them.
        http: Client::builder()
            .pool_idle_timeout(Duration::from_secs(2))
            .build()
            .expect("an HTTP client"),
        data_dir: dir,
        stop,
        server,
    }
}

impl TestApp {
    /// Stops the server the way SIGTERM does and waits until it has exited.
    pub async fn stop(self) {
        self.stop.cancel();
        self.server
            .await
            .expect("server task")
            .expect("server exits cleanly");
    }

    pub fn trigger_stop(&self) {
        self.stop.cancel();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        let mut req = self.http.post(self.url(path)).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request sent")
    }

    pub async fn get_json(&self, path: &str, token: Option<&str>) -> Value {
        self.get(path, token)
            .await
            .json()
            .await
            .expect("a JSON answer")
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: Value) -> Value {
        self.post(path, token, body)
            .await
            .json()
            .await
            .expect("a JSON answer")
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Response {
        let req = self
            .http
            .patch(self.url(path))
            .bearer_auth(token)
            .json(&body);
        req.send().await.expect("request sent")
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        let req = self.http.delete(self.url(path)).bearer_auth(token);
        req.send().await.expect("request sent")
    }

    pub async fn create_session(&self, body: Value) -> TestSession {
        let res = self.post("/api/sessions", Some(ADMIN), body).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let v: Value = res.json().await.unwrap();
        let token = |role: &str| v["invites"][role]["token"].as_str().unwrap().to_owned();
        TestSession {
            slug: v["session"]["slug"].as_str().unwrap().to_owned(),
            narrator: token("narrator"),
            moderator: token("moderator"),
            specialist: token("specialist"),
            join_code: v["invites"]["viewer"]["join_code"]
                .as_str()
                .map(str::to_owned),
        }
    }

    /// Joins a session as an anonymous viewer; returns the viewer's token.
    pub async fn viewer_token(&self, slug: &str) -> String {
        self.post_json(&format!("/api/sessions/{slug}/viewers"), None, json!({}))
            .await["token"]
            .as_str()
            .expect("a viewer token")
            .to_owned()
    }

    /// A public session that is already live.
    pub async fn live_session(&self) -> TestSession {
        let s = self.create_session(json!({"title": "Test case"})).await;
        let res = self
            .post(
                &format!("/api/sessions/{}/state", s.slug),
                Some(&s.narrator),
                json!({"state": "live"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        s
    }

    /// Posts an update and returns its seq.
    pub async fn post_update(&self, s: &TestSession, text: &str) -> u64 {
        let res = self
            .post(
                &format!("/api/sessions/{}/updates", s.slug),
                Some(&s.narrator),
                json!({"text": text}),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::CREATED,
            "{}",
            res.text().await.unwrap()
        );
        res.json::<Value>().await.unwrap()["seq"].as_u64().unwrap()
    }

    pub fn stream_url(&self, slug: &str, query: &str) -> String {
        let scheme = if self.base.starts_with("https") {
            "wss"
        } else {
            "ws"
        };
        format!(
            "{scheme}://{}/api/sessions/{slug}/stream?{query}",
            self.addr
        )
    }

    pub async fn ws(&self, slug: &str, query: &str) -> Ws {
        let (ws, _) = tokio_tungstenite::connect_async(self.stream_url(slug, query))
            .await
            .expect("WebSocket connects");
        ws
    }

    pub async fn sse(&self, slug: &str, query: &str, last_event_id: Option<u64>) -> Sse {
        let mut req = self
            .http
            .get(self.url(&format!("/api/sessions/{slug}/stream?{query}")))
            .header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id.to_string());
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "text/event-stream");
        Sse {
            body: Box::pin(res.bytes_stream()),
            buf: Vec::new(),
        }
    }

    pub async fn metric(&self, name: &str) -> f64 {
        let text = self
            .get("/metrics", Some(ADMIN))
            .await
            .text()
            .await
            .unwrap();
        text.lines()
            .find_map(|l| {
                l.strip_prefix(name)
                    .and_then(|rest| rest.strip_prefix(' '))
                    .map(|v| v.parse().unwrap())
            })
            .unwrap_or_else(|| panic!("metric {name} missing"))
    }
}

/// Reads the next text message as JSON, skipping control frames.
pub async fn next_json(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("a message within 10 s");
        match msg.expect("stream open").expect("no error") {
            Message::Text(t) => return serde_json::from_str(&t).unwrap(),
            Message::Close(c) => panic!("closed: {c:?}"),
            _ => continue,
        }
    }
}

/// Reads messages until `n` seq'd events have arrived; returns their seqs.
pub async fn ws_seqs(ws: &mut Ws, n: usize) -> Vec<u64> {
    let mut seqs = Vec::with_capacity(n);
    while seqs.len() < n {
        if let Some(seq) = next_json(ws).await["seq"].as_u64() {
            seqs.push(seq);
        }
    }
    seqs
}

/// Waits for the close frame and returns its code.
pub async fn close_code(ws: &mut Ws) -> Option<u16> {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("closes within 10 s")
        {
            Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => return None,
        }
    }
}

type ByteStream =
    std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>;

/// A Server-Sent Events reader: yields `(id, data)` records.
pub struct Sse {
    body: ByteStream,
    buf: Vec<u8>,
}

impl Sse {
    /// Reads until the server ends the stream; true if it did within 10 s.
    pub async fn ends(&mut self) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Err(_) => return false,
                Ok(None | Some(Err(_))) => return true,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    pub async fn next_record(&mut self) -> (Option<u64>, Value) {
        loop {
            if let Some(end) = self.buf.windows(2).position(|w| w == b"\n\n") {
                let record: Vec<u8> = self.buf.drain(..end + 2).collect();
                let text = String::from_utf8(record).unwrap();
                let mut id = None;
                let mut data = None;
                for line in text.lines() {
                    if let Some(v) = line.strip_prefix("id: ") {
                        id = Some(v.parse().unwrap());
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        data = Some(serde_json::from_str(v).unwrap());
                    }
                }
                if let Some(data) = data {
                    return (id, data);
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.body.next())
                .await
                .expect("an SSE record within 10 s")
                .expect("stream open")
                .expect("no error");
            self.buf.extend_from_slice(&chunk);
        }
    }

    /// Reads until `n` seq'd events; checks each record's id matches its seq.
    pub async fn seqs(&mut self, n: usize) -> Vec<u64> {
        let mut seqs = Vec::with_capacity(n);
        while seqs.len() < n {
            let (id, data) = self.next_record().await;
            if let Some(seq) = data["seq"].as_u64() {
                assert_eq!(id, Some(seq), "SSE id must equal the event's seq");
                seqs.push(seq);
            }
        }
        seqs
    }
}

pub fn range(from: u64, to: u64) -> Vec<u64> {
    (from..=to).collect()
}
