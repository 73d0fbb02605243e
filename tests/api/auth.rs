//! Role tokens on every command: 401 without a valid token, 403 with the
//! wrong one; rotation; single-use tickets; private sessions.

use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Command {
    method: Method,
    path: String,
    body: Value,
}

async fn send(app: &TestApp, c: &Command, token: Option<&str>) -> reqwest::Response {
    let mut req = app
        .http
        .request(c.method.clone(), app.url(&c.path))
        .json(&c.body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

async fn error_code(res: reqwest::Response) -> (StatusCode, String) {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    (status, body["error"]["code"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn every_command_checks_its_token_and_role() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let other = app.live_session().await;
    let update = app
        .post(
            &format!("/api/sessions/{}/updates", s.slug),
            Some(&s.narrator),
            json!({"text": "x"}),
        )
        .await;
    let id = update.json::<Value>().await.unwrap()["update"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let viewer = app
        .post(
            &format!("/api/sessions/{}/viewers", s.slug),
            None,
            json!({}),
        )
        .await;
    let viewer = viewer.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let narrator_cmds = [
        (
            Method::POST,
            format!("/api/sessions/{}/state", s.slug),
            json!({"state": "paused"}),
        ),
        (
            Method::POST,
            format!("/api/sessions/{}/updates", s.slug),
            json!({"text": "y"}),
        ),
        (
            Method::PATCH,
            format!("/api/sessions/{}/updates/{id}", s.slug),
            json!({"text": "z"}),
        ),
        (
            Method::DELETE,
            format!("/api/sessions/{}/updates/{id}", s.slug),
            json!({}),
        ),
    ];
    let admin_cmds = [
        (
            Method::POST,
            "/api/sessions".to_owned(),
            json!({"title": "t"}),
        ),
        (
            Method::POST,
            format!("/api/sessions/{}/invites/moderator/rotate", other.slug),
            json!({}),
        ),
    ];
    let garbage = format!("{}.{}", "0".repeat(16), "0".repeat(64));
    for (method, path, body) in narrator_cmds {
        let c = Command { method, path, body };
        for token in [None, Some("nonsense"), Some(garbage.as_str()), Some(ADMIN)] {
            let expected = if token == Some(ADMIN) {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNAUTHORIZED
            };
            assert_eq!(
                send(&app, &c, token).await.status(),
                expected,
                "{} {} with {token:?}",
                c.method,
                c.path
            );
        }
        for token in [&s.moderator, &s.specialist, &viewer] {
            assert_eq!(
                error_code(send(&app, &c, Some(token)).await).await,
                (StatusCode::FORBIDDEN, "forbidden".into())
            );
        }
        // Another session's token learns nothing about this one: 404, as
        // for a session that does not exist.
        assert_eq!(
            error_code(send(&app, &c, Some(&other.narrator)).await).await,
            (StatusCode::NOT_FOUND, "not_found".into())
        );
        assert!(
            send(&app, &c, Some(&s.narrator))
                .await
                .status()
                .is_success(),
            "{} {}",
            c.method,
            c.path
        );
    }
    for (method, path, body) in admin_cmds {
        let c = Command { method, path, body };
        assert_eq!(
            error_code(send(&app, &c, None).await).await,
            (StatusCode::UNAUTHORIZED, "unauthorized".into())
        );
        assert_eq!(
            send(&app, &c, Some("nonsense")).await.status(),
            StatusCode::UNAUTHORIZED
        );
        for token in [&s.narrator, &s.moderator, &viewer] {
            assert_eq!(
                send(&app, &c, Some(token)).await.status(),
                StatusCode::FORBIDDEN,
                "{}",
                c.path
            );
        }
        assert!(
            send(&app, &c, Some(ADMIN)).await.status().is_success(),
            "{}",
            c.path
        );
    }
    let tickets = Command {
        method: Method::POST,
        path: format!("/api/sessions/{}/tickets", s.slug),
        body: json!({}),
    };
    assert_eq!(
        send(&app, &tickets, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(&app, &tickets, Some("nonsense")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(&app, &tickets, Some(&other.narrator)).await.status(),
        StatusCode::NOT_FOUND
    );
    for token in [&s.narrator, &s.moderator, &s.specialist, &viewer] {
        assert_eq!(
            send(&app, &tickets, Some(token)).await.status(),
            StatusCode::OK
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_malformed_authorization_header_is_401() {
    let app = spawn_app().await;
    let res = app
        .http
        .post(app.url("/api/sessions"))
        .header("authorization", "Basic abc")
        .json(&json!({"title": "t"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(res).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
    app.stop().await;
}

#[tokio::test]
async fn rotating_an_invite_revokes_the_old_token_at_once() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let early: Value = app
        .post_json(
            &format!("/api/sessions/{}/tickets", s.slug),
            Some(&s.narrator),
            json!({}),
        )
        .await;
    let res = app
        .post(
            &format!("/api/sessions/{}/invites/narrator/rotate", s.slug),
            Some(ADMIN),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let invite: Value = res.json().await.unwrap();
    let new = invite["token"].as_str().unwrap();
    assert!(
        invite["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/s/{}/narrator#token={new}", s.slug))
    );
    let early = early["ticket"].as_str().unwrap();
    let mut ws = app.ws(&s.slug, &format!("ticket={early}")).await;
    assert_eq!(
        close_code(&mut ws).await,
        Some(4001),
        "a ticket of the rotated token"
    );
    let path = format!("/api/sessions/{}/updates", s.slug);
    assert_eq!(
        app.post(&path, Some(&s.narrator), json!({"text": "old"}))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.post(&path, Some(new), json!({"text": "new"}))
            .await
            .status(),
        StatusCode::CREATED
    );
    // A public session has no join code to rotate.
    let public_viewer = app
        .post(
            &format!("/api/sessions/{}/invites/viewer/rotate", s.slug),
            Some(ADMIN),
            json!({}),
        )
        .await;
    assert_eq!(public_viewer.status(), StatusCode::CONFLICT);
    let no_role = app
        .post(
            &format!("/api/sessions/{}/invites/surgeon/rotate", s.slug),
            Some(ADMIN),
            json!({}),
        )
        .await;
    assert_eq!(no_role.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn tickets_work_once() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let res = app
        .post(
            &format!("/api/sessions/{}/tickets", s.slug),
            Some(&s.specialist),
            json!({}),
        )
        .await;
    let ticket = res.json::<Value>().await.unwrap()["ticket"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut first = app.ws(&s.slug, &format!("ticket={ticket}")).await;
    assert_eq!(next_json(&mut first).await["role"], "specialist");
    let mut second = app.ws(&s.slug, &format!("ticket={ticket}")).await;
    assert_eq!(close_code(&mut second).await, Some(4001));
    let mut forged = app
        .ws(&s.slug, "ticket=0123456789abcdef0123456789abcdef")
        .await;
    assert_eq!(close_code(&mut forged).await, Some(4001));
    let sse = app
        .get(
            &format!("/api/sessions/{}/stream?ticket={ticket}", s.slug),
            None,
        )
        .await;
    assert_eq!(sse.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn a_private_session_is_invisible_without_its_code() {
    let app = spawn_app().await;
    let s = app
        .create_session(json!({"title": "Private rounds", "private": true}))
        .await;
    let code = s.join_code.clone().expect("a join code");
    // A bad ticket tells nothing either: 404, as for no session at all.
    let bad = tokio_tungstenite::connect_async(
        app.stream_url(&s.slug, "ticket=0123456789abcdef0123456789abcdef"),
    )
    .await;
    match bad {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => assert_eq!(res.status(), 404),
        other => panic!("expected 404, got {:?}", other.map(|_| ())),
    }
    for path in [
        format!("/api/sessions/{}", s.slug),
        format!("/api/sessions/{}/events", s.slug),
        format!("/api/sessions/{}/stream", s.slug),
    ] {
        assert_eq!(
            error_code(app.get(&path, None).await).await,
            (StatusCode::NOT_FOUND, "not_found".into()),
            "{path}"
        );
        let wrong = if path.contains('?') {
            format!("{path}&code=wrong")
        } else {
            format!("{path}?code=wrong")
        };
        assert_eq!(app.get(&wrong, None).await.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(
        app.get(&format!("/api/sessions/{}?code={code}", s.slug), None)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get(
            &format!("/api/sessions/{}/events?code={code}", s.slug),
            None
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/api/sessions/{}", s.slug), Some(&s.moderator))
            .await
            .status(),
        StatusCode::OK
    );
    let mut ws = app.ws(&s.slug, &format!("code={code}")).await;
    assert_eq!(next_json(&mut ws).await["type"], "hello");

    let join = format!("/api/sessions/{}/viewers", s.slug);
    assert_eq!(
        app.post(&join, None, json!({})).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(&join, None, json!({"join_code": code, "name": "Sam"}))
            .await
            .status(),
        StatusCode::CREATED
    );

    let public: Value = app.get_json("/api/sessions", None).await;
    assert!(public["sessions"].as_array().unwrap().is_empty());
    let all: Value = app.get_json("/api/sessions", Some(ADMIN)).await;
    assert_eq!(all["sessions"][0]["slug"], s.slug.as_str());
    app.stop().await;
}

#[tokio::test]
async fn tokens_are_stored_only_as_digests() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let dir = app.data_dir.clone();
    app.stop().await;
    let verifier = s.narrator.split('.').nth(1).unwrap();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !bytes
                .windows(verifier.len())
                .any(|w| w == verifier.as_bytes()),
            "a verifier was stored in clear"
        );
    }
}
