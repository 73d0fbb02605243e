//! Nothing acknowledged is ever lost: across a clean restart, and across a
//! SIGKILL in the middle of a stream of posts.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn a_restart_keeps_history_sessions_and_tokens() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    for i in 0..25 {
        app.post_update(&s, &format!("u{i}")).await;
    }
    let viewer: Value = app
        .post_json(
            &format!("/api/sessions/{}/viewers", s.slug),
            None,
            json!({"name": "Ana"}),
        )
        .await;
    let before: Value = app
        .get_json(&format!("/api/sessions/{}/events", s.slug), None)
        .await;
    let dir = app.data_dir.clone();
    app.stop().await;

    let app = spawn_in(dir, |_| {}).await;
    let after: Value = app
        .get_json(&format!("/api/sessions/{}/events", s.slug), None)
        .await;
    assert_eq!(after, before);
    let session: Value = app
        .get_json(&format!("/api/sessions/{}", s.slug), None)
        .await;
    assert_eq!(
        (session["state"].as_str(), session["head"].as_u64()),
        (Some("live"), Some(26))
    );
    assert_eq!(
        app.post_update(&s, "after restart").await,
        27,
        "seqs continue without a gap"
    );
    let ticket = app
        .post(
            &format!("/api/sessions/{}/tickets", s.slug),
            viewer["token"].as_str(),
            json!({}),
        )
        .await;
    assert_eq!(ticket.status(), StatusCode::OK, "the viewer token survived");
    let mut ws = app.ws(&s.slug, "since=20").await;
    assert_eq!(next_json(&mut ws).await["head"], 27);
    assert_eq!(ws_seqs(&mut ws, 7).await, range(21, 27));
    app.stop().await;
}

/// A `gallery serve` child process on a data directory.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(data_dir: &std::path::Path, extra: &[&str]) -> Self {
        Self::start_with(data_dir, extra, &[])
    }

    /// Starts with extra `GALLERY_*` settings in the environment.
    pub fn start_with(data_dir: &std::path::Path, extra: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gallery"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .args(extra)
            .current_dir(data_dir)
            .env("GALLERY_ADMIN_TOKEN", ADMIN)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the gallery binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("the server prints its address")
                .unwrap();
            if let Some(rest) = line.strip_prefix("Gallery is serving on ") {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Self { child, base }
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        self.child.wait().unwrap()
    }

    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_in_the_middle_of_500_posts_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let http = reqwest::Client::new();
    let created: Value = http
        .post(format!("{}/api/sessions", server.base))
        .bearer_auth(ADMIN)
        .json(&json!({"title": "Crash test", "slug": "crash"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let narrator = created["invites"]["narrator"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let acked: Arc<Mutex<Vec<(u64, String)>>> = Arc::default();
    let mut writers = Vec::new();
    for w in 0..10 {
        let (http, acked, narrator) = (http.clone(), acked.clone(), narrator.clone());
        let url = format!("{}/api/sessions/crash/updates", server.base);
        writers.push(tokio::spawn(async move {
            for i in 0..50 {
                let res = http
                    .post(&url)
                    .bearer_auth(&narrator)
                    .json(&json!({"text": format!("writer {w} update {i}")}))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == StatusCode::CREATED => {
                        let v: Value = r.json().await.unwrap();
                        acked.lock().unwrap().push((
                            v["seq"].as_u64().unwrap(),
                            v["update"]["id"].as_str().unwrap().to_owned(),
                        ));
                    }
                    _ => return,
                }
            }
        }));
    }
    while acked.lock().unwrap().len() < 150 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    server.kill();
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() < 500, "the kill landed mid-run");

    let server = Server::start(dir.path(), &[]);
    let mut events = Vec::new();
    loop {
        let page: Value = http
            .get(format!(
                "{}/api/sessions/crash/events?since={}&limit=1000",
                server.base,
                events.len()
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let batch = page["events"].as_array().unwrap().clone();
        if batch.is_empty() {
            break;
        }
        events.extend(batch);
    }
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, range(1, seqs.len() as u64), "seqs are gap-free");
    for (seq, id) in &acked {
        let event = &events[*seq as usize - 1];
        assert_eq!(
            event["update"]["id"].as_str(),
            Some(id.as_str()),
            "acknowledged update at seq {seq} survived"
        );
    }
}

/// Follows the demo session's stream (SSE) until `needle` has arrived,
/// within `secs` seconds; returns everything read.
async fn demo_stream_until(server: &Server, needle: &str, secs: u64) -> String {
    use futures_util::StreamExt;
    let res = reqwest::Client::new()
        .get(format!("{}/api/sessions/demo/stream", server.base))
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let mut body = String::new();
    let mut stream = res.bytes_stream();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
    while !body.contains(needle) {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .unwrap_or_else(|_| panic!("{needle} within {secs} s"))
            .unwrap()
            .unwrap();
        body.push_str(std::str::from_utf8(&chunk).unwrap());
    }
    body
}

#[tokio::test]
async fn the_demo_narrates_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    let body = demo_stream_until(&server, "\"type\":\"update\"", 10).await;
    assert!(
        body.contains("knee"),
        "the demo narrates the knee replacement"
    );
    let page = reqwest::get(format!("{}/s/demo", server.base))
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
}

#[tokio::test]
async fn sigterm_closes_streams_with_1012_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let http = reqwest::Client::new();
    let res = http
        .post(format!("{}/api/sessions", server.base))
        .bearer_auth(ADMIN)
        .json(&json!({"title": "Term", "slug": "term"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let url = format!(
        "{}/api/sessions/term/stream",
        server.base.replace("http://", "ws://")
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    let status = tokio::task::spawn_blocking(move || server.terminate())
        .await
        .unwrap();
    assert_eq!(close_code(&mut ws).await, Some(1012));
    assert!(status.success(), "exit status {status}");
}

#[tokio::test]
async fn the_demo_audience_asks_and_the_specialist_answers_within_the_first_minute() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    let body = demo_stream_until(&server, "\"type\":\"answer\"", 60).await;
    assert!(body.contains("\"type\":\"question_published\""));
    assert!(body.contains("\"type\":\"now_answering\""));
    assert!(body.contains("Why spinal rather than general anaesthesia"));
    assert!(
        !body.contains("Mr Jones"),
        "the held question never reaches viewers"
    );
}
