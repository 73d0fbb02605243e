//! Who may call what, and what bad input gets: every new endpoint refuses
//! no token (401), the wrong role (403) and another session's token (404);
//! bad input gets its documented error, never a 500; rate limits answer 429
//! with Retry-After without slowing anyone else.

use crate::helpers::{TestApp, TestSession, spawn_app_with};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> reqwest::Response {
    let mut req = app.http.request(method, app.url(path)).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn every_question_endpoint_checks_the_role_first() {
    let app = spawn_app_with(|_| {}).await;
    let s = app.live_session().await;
    let other = app.live_session().await;
    let viewer = app.join(&s, None).await;
    let q = app
        .approve(&s, &app.ask(&s, &viewer, "A question").await)
        .await;
    let id = q["id"].as_str().unwrap();
    let base = format!("/api/sessions/{}", s.slug);
    let other_viewer = app.join(&other, None).await;
    let v = viewer.token.as_str();
    // (method, path, body, a token of the right role, a token of a wrong role)
    let cases: Vec<(Method, String, Value, &str, &str)> = vec![
        (
            Method::POST,
            format!("{base}/questions"),
            json!({"text": "Hi"}),
            v,
            &s.moderator,
        ),
        (
            Method::GET,
            format!("{base}/questions/mine"),
            json!(null),
            v,
            &s.moderator,
        ),
        (
            Method::POST,
            format!("{base}/questions/{id}/vote"),
            json!({}),
            v,
            &s.specialist,
        ),
        (
            Method::DELETE,
            format!("{base}/questions/{id}/vote"),
            json!({}),
            v,
            &s.narrator,
        ),
        (
            Method::GET,
            format!("{base}/questions/stats"),
            json!(null),
            &s.moderator,
            v,
        ),
        (
            Method::POST,
            format!("{base}/questions/{id}/moderate"),
            json!({"action": "star", "version": 2}),
            &s.moderator,
            &s.specialist,
        ),
        (
            Method::POST,
            format!("{base}/viewers/{}/mute", viewer.id),
            json!({"muted": false}),
            &s.moderator,
            v,
        ),
        (
            Method::POST,
            format!("{base}/questions/{id}/answering"),
            json!({}),
            &s.specialist,
            &s.moderator,
        ),
        (
            Method::POST,
            format!("{base}/questions/{id}/dismiss"),
            json!({}),
            &s.specialist,
            v,
        ),
        (
            Method::POST,
            format!("{base}/presence"),
            json!({}),
            &s.moderator,
            v,
        ),
        (
            Method::GET,
            format!("{base}/questions?status=pending"),
            json!(null),
            &s.moderator,
            &s.narrator,
        ),
    ];
    for (method, path, body, right, wrong) in cases {
        let none = call(&app, method.clone(), &path, None, body.clone()).await;
        // The published list is public (see the next test), so without a
        // token the waiting ones are refused as not visible; all else needs a token.
        let listing = method == Method::GET && path.ends_with("/questions?status=pending");
        assert_eq!(
            none.status(),
            if listing {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNAUTHORIZED
            },
            "{method} {path} without a token"
        );
        let res = call(&app, method.clone(), &path, Some(wrong), body.clone()).await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "{method} {path} wrong role"
        );
        let foreign = if right == v {
            other_viewer.token.as_str()
        } else {
            other.moderator.as_str()
        };
        let res = call(&app, method.clone(), &path, Some(foreign), body.clone()).await;
        assert_eq!(
            res.status(),
            StatusCode::NOT_FOUND,
            "{method} {path} other session"
        );
        let res = call(&app, method.clone(), &path, Some(right), body).await;
        assert!(
            res.status().is_success(),
            "{method} {path}: {}",
            res.status()
        );
    }
}

#[tokio::test]
async fn anyone_who_can_read_a_session_lists_only_its_published_questions() {
    let app = spawn_app_with(|_| {}).await;
    let s = app.live_session().await;
    let viewer = app.join(&s, None).await;
    let published = app
        .approve(&s, &app.ask(&s, &viewer, "Why a tourniquet?").await)
        .await;
    app.ask(&s, &viewer, "Still waiting for a moderator").await;
    let path = format!("/api/sessions/{}/questions", s.slug);
    let res = call(&app, Method::GET, &path, None, json!(null)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = res.json().await.unwrap();
    let listed = body["questions"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "only the approved one: {body}");
    assert_eq!(listed[0]["id"], published["id"]);
    assert!(listed[0].get("viewer_id").is_none(), "no asker's id");
    let pending = format!("{path}?status=pending");
    let pending = call(&app, Method::GET, &pending, None, json!(null)).await;
    assert_eq!(error(pending).await.1, "status_not_visible");

    let private: Value = app
        .post_json(
            "/api/sessions",
            Some(crate::helpers::ADMIN),
            json!({"title": "Private rounds", "private": true}),
        )
        .await;
    let slug = private["session"]["slug"].as_str().unwrap();
    let code = private["invites"]["viewer"]["join_code"].as_str().unwrap();
    let path = format!("/api/sessions/{slug}/questions");
    let hidden = call(&app, Method::GET, &path, None, json!(null)).await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND, "private: no code");
    let with_code = format!("{path}?code={code}");
    let with_code = call(&app, Method::GET, &with_code, None, json!(null)).await;
    assert_eq!(with_code.status(), StatusCode::OK);
}

/// A request (method, path, token, body) and the status and reason it gets.
type Case<'a> = (Method, String, Option<&'a str>, Value, StatusCode, &'a str);

async fn error(res: reqwest::Response) -> (StatusCode, String) {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    (status, body["error"]["reason"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn bad_input_gets_its_documented_error_never_a_500() {
    let app = spawn_app_with(|_| {}).await;
    let s: TestSession = app.live_session().await;
    let viewer = app.join(&s, None).await;
    let base = format!("/api/sessions/{}/questions", s.slug);
    let v = Some(viewer.token.as_str());
    let ask = |body: Value| call(&app, Method::POST, &base, v, body);
    assert_eq!(
        error(ask(json!({"text": "  "})).await).await,
        (StatusCode::BAD_REQUEST, "empty_text".into())
    );
    assert_eq!(
        error(ask(json!({"text": "x".repeat(501)})).await).await,
        (StatusCode::BAD_REQUEST, "text_too_long".into())
    );
    assert_eq!(
        error(ask(json!({"text": "a\u{202E}b"})).await).await.1,
        "refused_characters"
    );
    assert_eq!(error(ask(json!({"text": 5})).await).await.1, "invalid_json");
    assert_eq!(
        error(ask(json!({"text": "ok", "extra": 1})).await).await.1,
        "invalid_json"
    );

    let pending = app.ask(&s, &viewer, "Still pending").await;
    let pid = pending["id"].as_str().unwrap();
    let unknown = uuid::Uuid::new_v4();
    let m = Some(s.moderator.as_str());
    let cases: Vec<Case> = vec![
        (
            Method::POST,
            format!("{base}/{unknown}/moderate"),
            m,
            json!({"action": "approve", "version": 1}),
            StatusCode::NOT_FOUND,
            "question_not_found",
        ),
        (
            Method::POST,
            format!("{base}/not-a-uuid/moderate"),
            m,
            json!({"action": "approve", "version": 1}),
            StatusCode::NOT_FOUND,
            "no_route",
        ),
        (
            Method::POST,
            format!("{base}/{pid}/moderate"),
            m,
            json!({"action": "approve", "version": 7}),
            StatusCode::CONFLICT,
            "stale_version",
        ),
        (
            Method::POST,
            format!("{base}/{pid}/moderate"),
            m,
            json!({"action": "destroy", "version": 1}),
            StatusCode::BAD_REQUEST,
            "invalid_action",
        ),
        (
            Method::POST,
            format!("{base}/{pid}/moderate"),
            m,
            json!({"action": "edit", "version": 1}),
            StatusCode::BAD_REQUEST,
            "missing_text",
        ),
        (
            Method::POST,
            format!("{base}/{pid}/moderate"),
            m,
            json!({"action": "merge", "version": 1}),
            StatusCode::BAD_REQUEST,
            "missing_into",
        ),
        (
            Method::POST,
            format!("{base}/{pid}/moderate"),
            m,
            json!({"action": "merge", "version": 1, "into": pid}),
            StatusCode::BAD_REQUEST,
            "merge_into_itself",
        ),
        (
            Method::POST,
            format!("{base}/{pid}/vote"),
            v,
            json!({}),
            StatusCode::CONFLICT,
            "not_votable",
        ),
        (
            Method::POST,
            format!("{base}/{unknown}/vote"),
            v,
            json!({}),
            StatusCode::NOT_FOUND,
            "question_not_found",
        ),
        (
            Method::POST,
            format!("{base}/{pid}/answer"),
            Some(&s.specialist),
            json!({"text": "Because"}),
            StatusCode::CONFLICT,
            "not_approved",
        ),
        (
            Method::POST,
            format!("{base}/{pid}/answer"),
            Some(&s.specialist),
            json!({"text": ""}),
            StatusCode::BAD_REQUEST,
            "empty_text",
        ),
        (
            Method::POST,
            format!("{base}/{pid}/answering"),
            Some(&s.specialist),
            json!({}),
            StatusCode::CONFLICT,
            "not_approved",
        ),
        (
            Method::GET,
            format!("{base}?status=bogus"),
            m,
            json!(null),
            StatusCode::BAD_REQUEST,
            "invalid_status",
        ),
        (
            Method::GET,
            format!("{base}?status=pending"),
            v,
            json!(null),
            StatusCode::FORBIDDEN,
            "status_not_visible",
        ),
    ];
    for (method, path, token, body, status, reason) in cases {
        let res = call(&app, method.clone(), &path, token, body).await;
        assert_eq!(
            error(res).await,
            (status, reason.to_owned()),
            "{method} {path}"
        );
    }
    let approved = app.approve(&s, &pending).await;
    let answered = app
        .specialist(&s, pid, "answer", json!({"text": "Because."}))
        .await;
    assert_eq!(answered.status(), StatusCode::OK);
    let again = app
        .specialist(&s, pid, "answer", json!({"text": "Twice."}))
        .await;
    assert_eq!(
        error(again).await,
        (StatusCode::CONFLICT, "already_answered".into())
    );
    let late = app
        .moderate(
            &s,
            pid,
            json!({"action": "reject", "version": approved["version"].as_i64().unwrap() + 1}),
        )
        .await;
    assert_eq!(
        error(late).await,
        (StatusCode::CONFLICT, "already_answered".into())
    );
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after_and_others_are_unaffected() {
    let app = spawn_app_with(|c| {
        c.questions.per_viewer_per_minute = 2;
        c.questions.per_viewer_burst = 2;
    })
    .await;
    let s = app.live_session().await;
    let (eager, calm) = (app.join(&s, None).await, app.join(&s, None).await);
    let path = format!("/api/sessions/{}/questions", s.slug);
    for i in 0..2 {
        app.ask(&s, &eager, &format!("Question {i}")).await;
    }
    let res = app
        .post(&path, Some(&eager.token), json!({"text": "One more"}))
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    assert_eq!(body["error"]["reason"], "too_many_questions");
    assert_eq!(app.ask(&s, &calm, "My first").await["status"], "pending");
    assert!(app.metric("gallery_question_rate_limited_total").await >= 1.0);
}
