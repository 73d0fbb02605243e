//! The specialist: every few seconds, takes the most-voted approved
//! question ("now answering", which every viewer sees) and answers it; the
//! answer is a public, seq'd event every viewer must receive. Like the
//! console, it knows the queue without listing it each time (from what the
//! moderators approved and the votes acknowledged), and it answers when it
//! is ready, not in step with the narrator: one answer in each interval,
//! at a random moment within it.

use super::{Shared, outcome};
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub async fn run(shared: Arc<Shared>, every: Duration, window: Duration) {
    let http = reqwest::Client::new();
    let start = Instant::now();
    let until = start + window;
    let mut answered = HashSet::new();
    let mut seed = 0x2545_F491_4F6C_DD1D_u64;
    for turn in 1.. {
        // One answer in each interval, at a random moment within it.
        let within = every.mul_f64(super::crowd::pick(&mut seed, 1000) as f64 / 1000.0);
        let at = start + every * (turn - 1) + within;
        if at >= until {
            break;
        }
        tokio::time::sleep_until(at.into()).await;
        // Early in the run nothing may be approved yet: wait for one.
        let Some(id) = next_question(&shared, &answered, until).await else {
            break;
        };
        answered.insert(id.clone());
        for (step, body) in [
            ("answering", json!({})),
            (
                "answer",
                json!({"text": format!("Answer {}: here is why, step by step.", *shared.answers.lock().unwrap() + 1)}),
            ),
        ] {
            if step == "answering" {
                let now = (crate::narrator::now_ns() / 1_000_000) as u64;
                shared.answering_at.lock().unwrap().push(now);
            }
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

/// The question to answer next, as soon as there is one (none by `until`).
async fn next_question(
    shared: &Shared,
    answered: &HashSet<String>,
    until: Instant,
) -> Option<String> {
    loop {
        if let Some(id) = most_voted(shared, answered) {
            return Some(id);
        }
        if Instant::now() >= until {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The approved question with the most acknowledged votes, not yet answered.
fn most_voted(shared: &Shared, answered: &HashSet<String>) -> Option<String> {
    let published = shared.published.lock().unwrap().clone();
    let votes = shared.votes_acked.lock().unwrap();
    published
        .into_iter()
        .filter(|id| !answered.contains(id))
        .max_by_key(|id| votes.get(id).copied().unwrap_or(0))
}
