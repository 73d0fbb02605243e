//! Helpers for the question tests: a viewer with its token and id, asking,
//! moderating, stream tickets, and waiting for an event of a given type.

use crate::helpers::{TestApp, TestSession, Ws, next_json};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub struct Viewer {
    pub token: String,
    pub id: String,
}

impl TestApp {
    pub async fn join(&self, s: &TestSession, name: Option<&str>) -> Viewer {
        let body = match name {
            Some(n) => json!({"name": n}),
            None => json!({}),
        };
        let v = self
            .post_json(&format!("/api/sessions/{}/viewers", s.slug), None, body)
            .await;
        Viewer {
            token: v["token"].as_str().unwrap().to_owned(),
            id: v["viewer_id"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn ticket(&self, s: &TestSession, token: &str) -> String {
        self.post_json(
            &format!("/api/sessions/{}/tickets", s.slug),
            Some(token),
            json!({}),
        )
        .await["ticket"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A WebSocket stream opened with `token`'s ticket; `hello` is read.
    pub async fn ws_as(&self, s: &TestSession, token: &str, query: &str) -> (Ws, Value) {
        let ticket = self.ticket(s, token).await;
        let mut ws = self.ws(&s.slug, &format!("ticket={ticket}&{query}")).await;
        let hello = next_json(&mut ws).await;
        assert_eq!(hello["type"], "hello");
        (ws, hello)
    }

    /// Asks; returns the 202 answer's question.
    pub async fn ask(&self, s: &TestSession, viewer: &Viewer, text: &str) -> Value {
        let res = self
            .post(
                &format!("/api/sessions/{}/questions", s.slug),
                Some(&viewer.token),
                json!({"text": text}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::ACCEPTED, "{:?}", res.text().await);
        res.json::<Value>().await.unwrap()["question"].clone()
    }

    pub async fn moderate(&self, s: &TestSession, id: &str, body: Value) -> reqwest::Response {
        self.post(
            &format!("/api/sessions/{}/questions/{id}/moderate", s.slug),
            Some(&s.moderator),
            body,
        )
        .await
    }

    /// Approves at the question's current version; returns the question.
    pub async fn approve(&self, s: &TestSession, q: &Value) -> Value {
        let res = self
            .moderate(
                s,
                q["id"].as_str().unwrap(),
                json!({"action": "approve", "version": q["version"]}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json().await.unwrap()
    }

    /// A specialist step (`answering`, `answer`, `dismiss`).
    pub async fn specialist(
        &self,
        s: &TestSession,
        id: &str,
        step: &str,
        body: Value,
    ) -> reqwest::Response {
        self.post(
            &format!("/api/sessions/{}/questions/{id}/{step}", s.slug),
            Some(&s.specialist),
            body,
        )
        .await
    }

    pub async fn list(&self, s: &TestSession, token: &str, query: &str) -> Vec<Value> {
        self.get_json(
            &format!("/api/sessions/{}/questions?{query}", s.slug),
            Some(token),
        )
        .await["questions"]
            .as_array()
            .unwrap()
            .clone()
    }
}

/// Reads events until one of type `kind` arrives; returns it. Panics after
/// 10 s without one.
pub async fn until(ws: &mut Ws, kind: &str) -> Value {
    loop {
        let event = next_json(ws).await;
        if event["type"] == kind {
            return event;
        }
    }
}

/// Every event that arrives within `ms` milliseconds.
pub async fn drain(ws: &mut Ws, ms: u64) -> Vec<Value> {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_millis(ms);
    while let Ok(Some(Ok(msg))) =
        tokio::time::timeout_at(deadline, futures_util::StreamExt::next(ws)).await
    {
        if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
            out.push(serde_json::from_str(&t).unwrap());
        }
    }
    out
}
