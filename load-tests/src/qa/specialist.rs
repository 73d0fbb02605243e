//! The specialist: every few seconds, takes the top approved question
//! ("now answering", which every viewer sees) and answers it; the answer is
//! a public, seq'd event every viewer must receive.

use super::{Shared, outcome};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub async fn run(shared: Arc<Shared>, every: Duration, window: Duration) {
    let http = reqwest::Client::new();
    let until = Instant::now() + window;
    let mut tick = tokio::time::interval(every);
    tick.tick().await;
    while Instant::now() < until {
        tick.tick().await;
        let Ok(res) = http
            .get(shared.url("/questions?status=approved"))
            .bearer_auth(&shared.specialist)
            .send()
            .await
        else {
            continue;
        };
        let list: Value = res.json().await.unwrap_or_default();
        let Some(id) = list["questions"][0]["id"].as_str().map(str::to_owned) else {
            continue;
        };
        for (step, body) in [
            ("answering", json!({})),
            (
                "answer",
                json!({"text": format!("Answer {}: here is why, step by step.", *shared.answers.lock().unwrap() + 1)}),
            ),
        ] {
            let url = shared.url(&format!("/questions/{id}/{step}"));
            let Ok(res) = http
                .post(url)
                .bearer_auth(&shared.specialist)
                .json(&body)
                .send()
                .await
            else {
                shared.count(format!("{step} no answer"));
                break;
            };
            let (name, _) = outcome(step, res).await;
            let ok = name.ends_with(" 200");
            if ok && step == "answer" {
                *shared.answers.lock().unwrap() += 1;
            }
            shared.count(name);
            if !ok {
                break;
            }
        }
    }
}
