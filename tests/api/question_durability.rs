//! A SIGKILL in the middle of 1,000 concurrent questions and votes loses
//! nothing acknowledged and duplicates nothing.

use crate::durability::Server;
use crate::helpers::ADMIN;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Limits opened up so that 500 viewers on one loopback address can join,
/// ask and vote at once (the per-viewer limits still apply: one each).
const OPEN_LIMITS: &[(&str, &str)] = &[
    ("GALLERY_LIMITS__VIEWER_JOIN_BURST", "100000"),
    ("GALLERY_QUESTIONS__PER_IP_BURST", "100000"),
    ("GALLERY_QUESTIONS__VOTES_PER_IP_BURST", "100000"),
];

async fn post(http: &Client, url: String, token: &str, body: Value) -> Option<Value> {
    let res = http
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .ok()?;
    res.status().is_success().then_some(())?;
    res.json().await.ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_1000_questions_and_votes_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(dir.path(), &[], OPEN_LIMITS);
    let http = Client::new();
    let base = format!("{}/api/sessions", server.base);
    let created = post(
        &http,
        base.clone(),
        ADMIN,
        json!({"title": "Storm", "slug": "storm"}),
    )
    .await
    .unwrap();
    let token = |role: &str| {
        created["invites"][role]["token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (narrator, moderator) = (token("narrator"), token("moderator"));
    let s = format!("{base}/storm");
    post(
        &http,
        format!("{s}/state"),
        &narrator,
        json!({"state": "live"}),
    )
    .await
    .unwrap();
    let join = |http: Client, s: String| async move {
        let res = http
            .post(format!("{s}/viewers"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let v: Value = res.json().await.unwrap();
        v["token"].as_str().unwrap().to_owned()
    };
    let seeder = join(http.clone(), s.clone()).await;
    let seed = post(
        &http,
        format!("{s}/questions"),
        &seeder,
        json!({"text": "Seed question"}),
    )
    .await
    .unwrap()["question"]
        .clone();
    let seed_id = seed["id"].as_str().unwrap().to_owned();
    post(
        &http,
        format!("{s}/questions/{seed_id}/moderate"),
        &moderator,
        json!({"action": "approve", "version": 1}),
    )
    .await
    .unwrap();
    let mut viewers = Vec::new();
    for _ in 0..500 {
        viewers.push(join(http.clone(), s.clone()).await);
    }

    let asked: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let voted: Arc<Mutex<usize>> = Arc::default();
    let mut tasks = Vec::new();
    for (i, viewer) in viewers.into_iter().enumerate() {
        let (http, s, asked, voted, seed_id) = (
            http.clone(),
            s.clone(),
            asked.clone(),
            voted.clone(),
            seed_id.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let body = json!({"text": format!("Storm question {i}"), "client_id": format!("c{i}")});
            if let Some(v) = post(&http, format!("{s}/questions"), &viewer, body).await {
                let id = v["question"]["id"].as_str().unwrap().to_owned();
                asked.lock().unwrap().push((viewer.clone(), id));
            }
            let vote = format!("{s}/questions/{seed_id}/vote");
            if post(&http, vote, &viewer, json!({})).await.is_some() {
                *voted.lock().unwrap() += 1;
            }
        }));
    }
    while asked.lock().unwrap().len() + *voted.lock().unwrap() < 300 {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    server.kill();
    for t in tasks {
        t.await.unwrap();
    }
    let asked = asked.lock().unwrap().clone();
    let voted = *voted.lock().unwrap();
    assert!(asked.len() + voted < 1000, "the kill landed mid-run");

    let server = Server::start_with(dir.path(), &[], OPEN_LIMITS);
    let s = format!("{}/api/sessions/storm", server.base);
    let list: Value = http
        .get(format!("{s}/questions"))
        .bearer_auth(&moderator)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let questions = list["questions"].as_array().unwrap();
    let mut by_text: HashMap<&str, usize> = HashMap::new();
    for q in questions {
        *by_text.entry(q["text"].as_str().unwrap()).or_default() += 1;
    }
    assert!(
        by_text.values().all(|n| *n == 1),
        "no question stored twice"
    );
    for (_, id) in &asked {
        assert!(
            questions.iter().any(|q| q["id"] == id.as_str()),
            "acknowledged question {id} survived"
        );
    }
    let seed = questions
        .iter()
        .find(|q| q["id"] == seed_id.as_str())
        .unwrap();
    let votes = seed["votes"].as_u64().unwrap() as usize;
    assert!(votes >= voted, "{votes} votes kept of {voted} acknowledged");
    assert!(votes <= 500, "no vote counted twice");

    // A retry after the crash answers the same question, and adds none.
    let (viewer, id) = &asked[0];
    let i: usize = questions
        .iter()
        .find(|q| q["id"] == id.as_str())
        .and_then(|q| {
            q["text"]
                .as_str()?
                .strip_prefix("Storm question ")?
                .parse()
                .ok()
        })
        .unwrap();
    let res = http
        .post(format!("{s}/questions"))
        .bearer_auth(viewer)
        .json(&json!({"text": format!("Storm question {i}"), "client_id": format!("c{i}")}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    assert_eq!(
        res.json::<Value>().await.unwrap()["question"]["id"],
        id.as_str()
    );
}
