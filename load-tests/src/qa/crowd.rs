//! The crowd: viewer tokens joined from many source addresses, askers
//! spread evenly over the window, and voters that each upvote a few
//! published questions. Every acknowledgement is timed.

use super::{Shared, outcome};
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Requests in flight at once from the crowd.
const IN_FLIGHT: usize = 256;

/// Joins `count` viewers; each token with the index of the client (source
/// address) it uses.
pub async fn join(
    shared: &Shared,
    clients: &[reqwest::Client],
    count: usize,
) -> anyhow::Result<Vec<(String, usize)>> {
    let url = shared.url("/viewers");
    let joined: Vec<anyhow::Result<(String, usize)>> = futures_util::stream::iter(0..count)
        .map(|i| {
            let client = clients[i % clients.len()].clone();
            let url = url.clone();
            async move {
                let v: Value = client
                    .post(url)
                    .json(&json!({}))
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                let token = v["token"].as_str().unwrap_or_default().to_owned();
                Ok((token, i % clients.len()))
            }
        })
        .buffer_unordered(64)
        .collect()
        .await;
    joined.into_iter().collect()
}

/// Each asker asks one question at its moment in the window.
pub async fn ask(
    shared: Arc<Shared>,
    clients: Vec<reqwest::Client>,
    askers: Vec<(String, usize)>,
    window: Duration,
) {
    let n = askers.len().max(1);
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(n);
    for (i, (token, c)) in askers.into_iter().enumerate() {
        let at = start + window.mul_f64(i as f64 / n as f64);
        let (shared, client) = (shared.clone(), clients[c].clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(at.into()).await;
            let body = json!({
                "text": format!("Storm question {i}: why this step, and what are the alternatives?"),
                "client_id": format!("storm-{i}"),
            });
            let sent = Instant::now();
            let res = client.post(shared.url("/questions")).bearer_auth(&token).json(&body).send().await;
            let Ok(res) = res else {
                shared.count("ask no answer".into());
                return;
            };
            let (name, body) = outcome("ask", res).await;
            let took = sent.elapsed();
            if name == "ask 202"
                && let Some(id) = body.as_ref().and_then(|b| b["question"]["id"].as_str())
            {
                shared.ask_us.lock().unwrap().saturating_record(took.as_micros() as u64);
                shared.acked.lock().unwrap().insert(id.to_owned(), Instant::now());
            }
            shared.count(name);
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

/// A small xorshift generator: which questions a voter picks.
pub fn pick(seed: &mut u64, below: usize) -> usize {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    (*seed % below.max(1) as u64) as usize
}

/// Each voter, at a moment spread over the window (after the first
/// questions are published), upvotes `per_voter` distinct published ones.
pub async fn vote(
    shared: Arc<Shared>,
    clients: Vec<reqwest::Client>,
    voters: Vec<(String, usize)>,
    per_voter: usize,
    window: Duration,
) {
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let n = voters.len().max(1);
    let start = Instant::now() + window / 10;
    let span = window.mul_f64(0.85);
    let mut tasks = Vec::with_capacity(n);
    for (i, (token, c)) in voters.into_iter().enumerate() {
        let at = start + span.mul_f64(i as f64 / n as f64);
        let (shared, client, gate) = (shared.clone(), clients[c].clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(at.into()).await;
            let published = shared.published.lock().unwrap().clone();
            if published.is_empty() {
                shared.count("vote nothing published yet".into());
                return;
            }
            let mut seed = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            let mut chosen: Vec<&String> = Vec::new();
            while chosen.len() < per_voter.min(published.len()) {
                let q = &published[pick(&mut seed, published.len())];
                if !chosen.contains(&q) {
                    chosen.push(q);
                }
            }
            for id in chosen {
                let _permit = gate.acquire().await;
                let sent = Instant::now();
                let url = shared.url(&format!("/questions/{id}/vote"));
                let Ok(res) = client.post(url).bearer_auth(&token).send().await else {
                    shared.count("vote no answer".into());
                    continue;
                };
                let (name, _) = outcome("vote", res).await;
                if name == "vote 200" {
                    shared
                        .vote_us
                        .lock()
                        .unwrap()
                        .saturating_record(sent.elapsed().as_micros() as u64);
                    *shared
                        .votes_acked
                        .lock()
                        .unwrap()
                        .entry(id.clone())
                        .or_default() += 1;
                }
                shared.count(name);
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}
