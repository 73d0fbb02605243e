//! Coalescing: a rush of approvals and votes reaches each viewer as a few
//! messages, never one per vote or approval.

use crate::helpers::{next_json, spawn_app_with};
use crate::qa::drain;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_rush_of_approvals_and_votes_reaches_viewers_as_a_few_messages() {
    let app = spawn_app_with(|c| c.questions.coalesce_ms = 1000).await;
    let s = app.live_session().await;
    let mut asked = Vec::new();
    for i in 0..4 {
        let v = app.join(&s, None).await;
        asked.push(app.ask(&s, &v, &format!("Rush question {i}")).await);
    }
    let mut public = app.ws(&s.slug, "").await;
    next_json(&mut public).await;
    for q in &asked {
        app.approve(&s, q).await;
    }
    let voters = [app.join(&s, None).await, app.join(&s, None).await];
    for q in &asked {
        for v in &voters {
            let path = format!(
                "/api/sessions/{}/questions/{}/vote",
                s.slug,
                q["id"].as_str().unwrap()
            );
            assert_eq!(
                app.post(&path, Some(&v.token), json!({})).await.status(),
                StatusCode::OK
            );
        }
    }
    let events = drain(&mut public, 2500).await;
    let publications: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "question_published" || e["type"] == "questions_published")
        .collect();
    let published: usize = publications
        .iter()
        .map(|e| e["questions"].as_array().map_or(1, Vec::len))
        .sum();
    assert_eq!(published, 4, "every approved question is published");
    assert!(
        publications.len() <= 2,
        "{} messages for 4 approvals",
        publications.len()
    );
    let tallies: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "vote_counts" || e["type"] == "question_votes")
        .collect();
    assert!(
        !tallies.is_empty() && tallies.len() <= 2,
        "{} messages for 8 votes",
        tallies.len()
    );
    let last = tallies.last().unwrap();
    if last["type"] == "vote_counts" {
        assert!(
            last["votes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["votes"].as_i64() <= Some(2))
        );
    }
}

#[tokio::test]
async fn a_bulk_approval_sends_viewers_the_newest_and_counts_the_rest() {
    let app = spawn_app_with(|c| {
        c.questions.coalesce_ms = 200;
        c.questions.live_published = 5;
        c.limits.viewer_join_burst = 100;
    })
    .await;
    let s = app.live_session().await;
    let mut asked = Vec::new();
    for i in 0..40 {
        let v = app.join(&s, None).await;
        asked.push(app.ask(&s, &v, &format!("Bulk question {i}")).await);
    }
    let mut public = app.ws(&s.slug, "").await;
    next_json(&mut public).await;
    for q in &asked {
        app.approve(&s, q).await;
    }
    let (mut seen, mut more) = (
        std::collections::HashSet::new(),
        std::collections::HashSet::new(),
    );
    for e in drain(&mut public, 2000).await {
        let batch: Vec<Value> = match e["type"].as_str() {
            Some("question_published") => vec![e["question"].clone()],
            Some("questions_published") => e["questions"].as_array().unwrap().clone(),
            _ => continue,
        };
        assert!(batch.len() <= 5, "{} questions in one message", batch.len());
        for id in e["more"].as_array().into_iter().flatten() {
            more.insert(id.as_str().unwrap().to_owned());
        }
        seen.extend(batch.iter().map(|q| q["id"].as_str().unwrap().to_owned()));
    }
    assert!(!more.is_empty(), "a rush of 40 approvals is not sent whole");
    assert!(
        seen.is_disjoint(&more),
        "a question sent is not also listed"
    );
    assert_eq!(
        seen.len() + more.len(),
        40,
        "every approved question is either sent or listed"
    );
    let list = app
        .get(&format!("/api/sessions/{}/questions", s.slug), None)
        .await;
    let list: Value = list.json().await.unwrap();
    assert_eq!(
        list["questions"].as_array().unwrap().len(),
        40,
        "the list has the ones not sent live"
    );
}
