//! Bad input gets its documented error, and the server keeps serving.

use crate::helpers::*;
use futures_util::SinkExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

pub async fn expect_error(res: reqwest::Response, status: StatusCode, code: &str) -> String {
    assert_eq!(res.status(), status);
    let body: Value = res.json().await.expect("errors are JSON");
    assert_eq!(body["error"]["code"], code, "{body}");
    let reason = body["error"]["reason"].as_str().unwrap_or_default();
    assert!(
        !reason.is_empty() && reason.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
        "every error carries a stable snake_case reason: {body}"
    );
    let message = body["error"]["message"].as_str().unwrap().to_owned();
    assert!(!message.is_empty());
    message
}

#[tokio::test]
async fn bodies_that_are_not_what_the_command_takes_are_400() {
    let app = spawn_app_with(|c| c.limits.max_update_chars = 100).await;
    let s = app.live_session().await;
    let path = app.url(&format!("/api/sessions/{}/updates", s.slug));
    let raw = |body: Vec<u8>| {
        app.http
            .post(&path)
            .bearer_auth(&s.narrator)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    expect_error(
        raw(b"{\"text\": ".to_vec()).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_error(
        raw(b"".to_vec()).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_error(
        raw(b"{\"text\": 5}".to_vec()).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_error(
        raw(b"[1, 2]".to_vec()).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_error(
        raw(b"{\"text\": \"\xff\xfe\"}".to_vec()).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    let empty = expect_error(
        raw(br#"{"text": "   "}"#.to_vec()).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    assert_eq!(empty, "text must not be empty");
    let long = json!({"text": "a".repeat(101)}).to_string().into_bytes();
    let message = expect_error(
        raw(long).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    assert_eq!(message, "text is 101 characters; the limit is 100");
    let phase = json!({"text": "ok", "phase": "p".repeat(61)})
        .to_string()
        .into_bytes();
    expect_error(
        raw(phase).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    let client_id = json!({"text": "ok", "client_id": "c".repeat(101)})
        .to_string()
        .into_bytes();
    expect_error(
        raw(client_id).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;

    let state = app
        .post(
            &format!("/api/sessions/{}/state", s.slug),
            Some(&s.narrator),
            json!({"state": "sleeping"}),
        )
        .await;
    expect_error(state, StatusCode::BAD_REQUEST, "bad_request").await;
    let create = app
        .post("/api/sessions", Some(ADMIN), json!({"title": ""}))
        .await;
    expect_error(create, StatusCode::BAD_REQUEST, "bad_request").await;
    let create = app
        .post(
            "/api/sessions",
            Some(ADMIN),
            json!({"title": "t", "slug": "Not A Slug"}),
        )
        .await;
    expect_error(create, StatusCode::BAD_REQUEST, "bad_request").await;
    let join = app
        .http
        .post(app.url(&format!("/api/sessions/{}/viewers", s.slug)))
        .body("{nope")
        .send()
        .await
        .unwrap();
    expect_error(join, StatusCode::BAD_REQUEST, "bad_request").await;
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let app = spawn_app_with(|c| c.limits.max_body_bytes = 1024).await;
    let s = app.live_session().await;
    let res = app
        .post(
            &format!("/api/sessions/{}/updates", s.slug),
            Some(&s.narrator),
            json!({"text": "a".repeat(5000)}),
        )
        .await;
    expect_error(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    app.stop().await;
}

#[tokio::test]
async fn unknown_sessions_updates_and_routes_are_404() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    for path in [
        "/api/sessions/nope",
        "/api/sessions/nope/events",
        "/api/sessions/nope/stream",
        "/api/nothing-here",
    ] {
        expect_error(
            app.get(path, None).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    expect_error(
        app.post("/api/sessions/nope/viewers", None, json!({}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let missing = format!("/api/sessions/{}/updates/{}", s.slug, uuid::Uuid::new_v4());
    let res = app.patch(&missing, &s.narrator, json!({"text": "x"})).await;
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let not_uuid = format!("/api/sessions/{}/updates/not-a-uuid", s.slug);
    let res = app.delete(&not_uuid, &s.narrator).await;
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    app.stop().await;
}

#[tokio::test]
async fn since_beyond_head_and_bad_paging_are_400() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let events = |q: &str| {
        let (app, path) = (&app, format!("/api/sessions/{}/events?{q}", s.slug));
        async move { app.get(&path, None).await }
    };
    expect_error(
        events("since=2").await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_error(
        events("since=abc").await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_error(
        events("limit=0").await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_error(
        events("limit=1001").await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    assert_eq!(events("since=1").await.status(), StatusCode::OK);
    let sse = app
        .http
        .get(app.url(&format!("/api/sessions/{}/stream?since=9", s.slug)))
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    expect_error(sse, StatusCode::BAD_REQUEST, "bad_request").await;
    let ws = tokio_tungstenite::connect_async(app.stream_url(&s.slug, "since=9")).await;
    match ws {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => {
            assert_eq!(res.status(), StatusCode::BAD_REQUEST.as_u16())
        }
        other => panic!("expected a 400 refusal, got {:?}", other.map(|_| ())),
    }
    app.stop().await;
}

#[tokio::test]
async fn an_oversized_websocket_message_closes_that_stream_with_1009_only() {
    let app = spawn_app_with(|c| c.limits.ws_max_message_bytes = 1024).await;
    let s = app.live_session().await;
    let mut bystander = app.ws(&s.slug, "since=1").await;
    assert_eq!(next_json(&mut bystander).await["type"], "hello");
    let mut ws = app.ws(&s.slug, "since=1").await;
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    ws.send(Message::text("x".repeat(4096))).await.unwrap();
    assert_eq!(close_code(&mut ws).await, Some(1009));
    app.post_update(&s, "still serving").await;
    assert_eq!(ws_seqs(&mut bystander, 1).await, vec![2]);
    app.stop().await;
}

#[tokio::test]
async fn streams_refuse_other_sites_pages_but_not_programs() {
    let app = spawn_app_with(|c| c.allowed_origins = vec!["https://teaching.example".into()]).await;
    let s = app.live_session().await;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let connect = |origin: Option<String>| {
        let mut req = app
            .stream_url(&s.slug, "since=1")
            .into_client_request()
            .unwrap();
        if let Some(o) = origin {
            req.headers_mut().insert("origin", o.parse().unwrap());
        }
        tokio_tungstenite::connect_async(req)
    };
    match connect(Some("https://evil.example".into())).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => assert_eq!(res.status(), 403),
        other => panic!("expected 403, got {:?}", other.map(|_| ())),
    }
    assert!(
        connect(Some(format!("http://{}", app.addr))).await.is_ok(),
        "same origin"
    );
    assert!(
        connect(Some("https://teaching.example".into()))
            .await
            .is_ok(),
        "listed origin"
    );
    assert!(connect(None).await.is_ok(), "no origin: not a browser page");
    app.stop().await;
}

#[tokio::test]
async fn streams_beyond_the_per_address_limit_are_429() {
    let app = spawn_app_with(|c| c.limits.max_connections_per_ip = 2).await;
    let s = app.live_session().await;
    let _a = app.ws(&s.slug, "").await;
    let _b = app.sse(&s.slug, "", None).await;
    let res = app
        .http
        .get(app.url(&format!("/api/sessions/{}/stream", s.slug)))
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["retry-after"], "5");
    expect_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // A refusal does not use up a stream ticket: once a place is free, the
    // same ticket opens the stream.
    let ticket: Value = app
        .post_json(
            &format!("/api/sessions/{}/tickets", s.slug),
            Some(&s.moderator),
            json!({}),
        )
        .await;
    let ticket = ticket["ticket"].as_str().unwrap();
    let with_ticket = || {
        app.http
            .get(app.url(&format!("/api/sessions/{}/stream?ticket={ticket}", s.slug)))
            .header("accept", "text/event-stream")
            .send()
    };
    assert_eq!(
        with_ticket().await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    drop(_b);
    let mut opened = false;
    for _ in 0..50 {
        let res = with_ticket().await.unwrap();
        if res.status() == StatusCode::OK {
            opened = true;
            break;
        }
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(opened, "the ticket still worked once a place was free");
    app.stop().await;
}

#[tokio::test]
async fn unknown_fields_and_oversized_optional_bodies_get_the_error_form() {
    let app = spawn_app_with(|c| c.limits.max_body_bytes = 1024).await;
    let s = app.live_session().await;
    let res = app
        .post(
            &format!("/api/sessions/{}/updates", s.slug),
            Some(&s.narrator),
            json!({"txt": "Skin incision"}),
        )
        .await;
    let message = expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    assert!(
        message.contains("txt"),
        "the message names the field: {message}"
    );
    let big = app
        .http
        .post(app.url(&format!("/api/sessions/{}/viewers", s.slug)))
        .body(format!("{{\"name\": \"{}\"}}", "x".repeat(4096)))
        .send()
        .await
        .unwrap();
    expect_error(big, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}
