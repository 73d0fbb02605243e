//! Two moderators, each on its own staff stream, racing on one queue: each
//! approves (or, for one question in ten, rejects) every pending question
//! the moment it arrives, naming the version it saw. The loser of each race
//! gets 409, which is counted, as a person would see it.

use super::{Shared, outcome};
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

pub type Stream = WebSocketStream<TcpStream>;

const NAMES: [&str; 2] = ["Moderator%20A", "Moderator%20B"];

/// Opens moderator `m`'s staff stream (a ticket, its name, from the
/// session's current head) and reads its `hello`.
pub async fn connect(shared: &Shared, m: usize) -> anyhow::Result<Stream> {
    let http = reqwest::Client::new();
    let ticket: Value = http
        .post(shared.url("/tickets"))
        .bearer_auth(&shared.moderator)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let session: Value = http.get(shared.url("")).send().await?.json().await?;
    let url = format!(
        "{}/stream?ticket={}&name={}&since={}",
        shared.url("").replace("http://", "ws://"),
        ticket["ticket"].as_str().unwrap_or_default(),
        NAMES[m],
        session["head"].as_u64().unwrap_or(0),
    );
    let tcp = TcpStream::connect(
        url.trim_start_matches("ws://")
            .split('/')
            .next()
            .unwrap_or_default(),
    )
    .await?;
    let (mut ws, _) = tokio_tungstenite::client_async(url, tcp).await?;
    let hello = ws
        .next()
        .await
        .ok_or_else(|| anyhow::anyhow!("no hello"))??;
    anyhow::ensure!(
        hello.to_text()?.contains("\"hello\""),
        "the first message is not hello"
    );
    Ok(ws)
}

/// The decision both moderators would take on a question: reject one in ten.
fn action(id: &str) -> &'static str {
    if id.bytes().map(u64::from).sum::<u64>() % 10 == 0 {
        "reject"
    } else {
        "approve"
    }
}

pub async fn run(shared: Arc<Shared>, m: usize, mut ws: Stream) {
    let http = reqwest::Client::new();
    let gate = Arc::new(Semaphore::new(16));
    while let Some(Ok(msg)) = ws.next().await {
        let Message::Text(text) = msg else { continue };
        let Ok(event) = serde_json::from_str::<Value>(text.as_str()) else {
            continue;
        };
        if event["type"] != "question" || event["question"]["status"] != "pending" {
            continue;
        }
        let id = event["question"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let version = event["question"]["version"].clone();
        shared.arrivals[m]
            .lock()
            .unwrap()
            .entry(id.clone())
            .and_modify(|(n, _)| *n += 1)
            .or_insert((1, Instant::now()));
        let (shared, http, gate) = (shared.clone(), http.clone(), gate.clone());
        tokio::spawn(async move {
            let _permit = gate.acquire().await;
            let act = action(&id);
            let res = http
                .post(shared.url(&format!("/questions/{id}/moderate")))
                .bearer_auth(&shared.moderator)
                .json(&json!({"action": act, "version": version}))
                .send()
                .await;
            let Ok(res) = res else {
                shared.count("moderate no answer".into());
                return;
            };
            let (name, _) = outcome("moderate", res).await;
            if name == "moderate 200" {
                shared.decided.lock().unwrap().insert(id.clone());
                if act == "approve" {
                    shared.published.lock().unwrap().push(id);
                }
            }
            shared.count(name);
        });
    }
}

/// Whether every acknowledged question has been approved or rejected.
pub fn all_decided(shared: &Shared) -> bool {
    let decided = shared.decided.lock().unwrap();
    shared
        .acked
        .lock()
        .unwrap()
        .keys()
        .all(|id| decided.contains(id))
}
