//! What one anonymous client (or a hostile page) must not be able to do:
//! keep streams of a rotated token, learn which private slugs exist, pile
//! up tickets, read metrics, or drive the API from another origin; and the
//! headers every answer carries.

use crate::bad_input::expect_error;
use crate::helpers::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn ticket(app: &TestApp, slug: &str, token: &str) -> String {
    let v = app
        .post_json(
            &format!("/api/sessions/{slug}/tickets"),
            Some(token),
            json!({}),
        )
        .await;
    v["ticket"].as_str().expect("a ticket").to_owned()
}

#[tokio::test]
async fn streams_opened_with_a_rotated_staff_token_close_with_4001() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let t1 = ticket(&app, &s.slug, &s.moderator).await;
    let mut ws = app.ws(&s.slug, &format!("ticket={t1}")).await;
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    let t2 = ticket(&app, &s.slug, &s.moderator).await;
    let mut sse = app.sse(&s.slug, &format!("ticket={t2}"), None).await;
    assert_eq!(sse.next_record().await.1["type"], "hello");
    let viewer_ws = &mut app.ws(&s.slug, "since=0").await;
    assert_eq!(next_json(viewer_ws).await["type"], "hello");

    let res = app
        .post(
            &format!("/api/sessions/{}/invites/moderator/rotate", s.slug),
            Some(ADMIN),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(close_code(&mut ws).await, Some(4001));
    assert!(sse.ends().await, "the SSE stream ends too");
    // Viewers are not affected.
    let seq = app.post_update(&s, "Closure").await;
    loop {
        let event = next_json(viewer_ws).await;
        if event["seq"] == seq {
            break;
        }
    }
}

#[tokio::test]
async fn a_token_of_another_session_gets_the_same_404_as_no_session() {
    let app = spawn_app().await;
    let private = app
        .create_session(json!({"title": "Grand rounds", "private": true}))
        .await;
    let public = app.live_session().await;
    let viewer = app.viewer_token(&public.slug).await;
    for slug in [private.slug.as_str(), "no-such-session"] {
        let res = app
            .post(
                &format!("/api/sessions/{slug}/tickets"),
                Some(&viewer),
                json!({}),
            )
            .await;
        let body: Value = {
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{slug}");
            res.json().await.unwrap()
        };
        assert_eq!(body["error"]["reason"], "session_not_found");
    }
}

#[tokio::test]
async fn a_token_holds_only_a_few_tickets() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let first = ticket(&app, &s.slug, &s.narrator).await;
    for _ in 0..20 {
        ticket(&app, &s.slug, &s.narrator).await;
    }
    let mut ws = app.ws(&s.slug, &format!("ticket={first}")).await;
    assert_eq!(
        close_code(&mut ws).await,
        Some(4001),
        "the oldest ticket was dropped"
    );
    let fresh = ticket(&app, &s.slug, &s.narrator).await;
    let mut ws = app.ws(&s.slug, &format!("ticket={fresh}")).await;
    assert_eq!(next_json(&mut ws).await["type"], "hello");
}

#[tokio::test]
async fn metrics_need_the_metrics_or_admin_token() {
    let app = spawn_app_with(|c| c.metrics_token = Some("scrape-token-0123456789".into())).await;
    let s = app.live_session().await;
    expect_error(
        app.get("/metrics", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    expect_error(
        app.get("/metrics", Some(&s.narrator)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    for token in ["scrape-token-0123456789", ADMIN] {
        let res = app.get("/metrics", Some(token)).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.text().await.unwrap().contains("gallery_connections"));
    }
}

#[tokio::test]
async fn pages_of_other_origins_cannot_send_commands_or_open_streams() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let path = app.url(&format!("/api/sessions/{}/updates", s.slug));
    let post = |origin: Option<&str>, host: Option<&str>| {
        let mut req = app
            .http
            .post(&path)
            .bearer_auth(&s.narrator)
            .json(&json!({"text": "Skin incision"}));
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        if let Some(h) = host {
            req = req.header("host", h);
        }
        req.send()
    };
    let own = format!("http://{}", app.addr);
    assert_eq!(
        post(Some(&own), None).await.unwrap().status(),
        StatusCode::CREATED
    );
    assert_eq!(
        post(None, None).await.unwrap().status(),
        StatusCode::CREATED
    );
    let evil = post(Some("http://evil.example"), None).await.unwrap();
    expect_error(evil, StatusCode::FORBIDDEN, "forbidden").await;
    // DNS rebinding: the hostile name's page and Host agree with each other.
    let port = app.addr.port();
    let rebound = post(
        Some(&format!("http://evil.example:{port}")),
        Some(&format!("evil.example:{port}")),
    )
    .await
    .unwrap();
    expect_error(rebound, StatusCode::FORBIDDEN, "forbidden").await;
    let upgrade = app
        .http
        .get(app.url(&format!("/api/sessions/{}/stream", s.slug)))
        .header("origin", "http://evil.example")
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .unwrap();
    assert_eq!(upgrade.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    for page in ["/".to_owned(), format!("/s/{}", s.slug)] {
        let res = app.get(&page, None).await;
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("http"),
            "{csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
    }
    let joined = app
        .post(
            &format!("/api/sessions/{}/viewers", s.slug),
            None,
            json!({}),
        )
        .await;
    assert_eq!(joined.headers()["cache-control"], "no-store");
    assert_eq!(joined.headers()["x-content-type-options"], "nosniff");
    let wrong_method = app
        .http
        .request(Method::PUT, app.url("/api/sessions"))
        .send()
        .await
        .unwrap();
    expect_error(
        wrong_method,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
}

/// A TCP connection from `source` (a loopback address) to the server.
async fn connect_from(app: &TestApp, source: &str) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
    socket.connect(app.addr).await.expect("connects")
}

/// Waits until the server closes the connection; true if it did within 10 s.
async fn closed_by_server(stream: &mut tokio::net::TcpStream) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 256];
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut buf)).await
        {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test]
async fn half_sent_requests_are_closed_and_the_server_keeps_answering() {
    use tokio::io::AsyncWriteExt;
    let app = spawn_app_with(|c| c.limits.header_read_timeout_ms = 500).await;
    let mut held = Vec::new();
    for _ in 0..50 {
        let mut stream = connect_from(&app, "127.0.0.2").await;
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: gallery\r\nX-Slow: ")
            .await
            .unwrap();
        held.push(stream);
    }
    let res = app.get("/healthz", None).await;
    assert_eq!(res.status(), StatusCode::OK, "healthz answers meanwhile");
    for stream in &mut held {
        assert!(
            closed_by_server(stream).await,
            "a half-sent request is closed"
        );
    }
    // The server also closed this client's idle pooled connection by now
    // (the same timeout): ask on a fresh one.
    let fresh = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let metrics = fresh
        .get(app.url("/metrics"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let timeouts: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("gallery_http_header_timeouts_total "))
        .expect("the counter")
        .parse()
        .unwrap();
    assert!(
        timeouts >= 50.0,
        "every half-sent request was timed out: {timeouts}"
    );
    let health = fresh.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_too() {
    let app = spawn_app_with(|c| c.limits.header_read_timeout_ms = 300).await;
    let mut silent = connect_from(&app, "127.0.0.4").await;
    assert!(closed_by_server(&mut silent).await);
}

#[tokio::test]
async fn one_address_holds_only_so_many_connections() {
    let app = spawn_app_with(|c| c.limits.max_http_connections_per_ip = 5).await;
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(connect_from(&app, "127.0.0.3").await);
    }
    let mut extra = connect_from(&app, "127.0.0.3").await;
    assert!(
        closed_by_server(&mut extra).await,
        "the sixth is closed at once"
    );
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
    assert_eq!(
        app.metric("gallery_http_connections_refused_total").await,
        1.0
    );
    drop(held);
}

#[tokio::test]
async fn viewer_identities_are_rate_limited_per_client_address() {
    let app = spawn_app_with(|c| {
        c.limits.viewer_joins_per_minute = 6;
        c.limits.viewer_join_burst = 3;
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let s = app.live_session().await;
    let path = app.url(&format!("/api/sessions/{}/viewers", s.slug));
    let join = |forwarded: &str| {
        app.http
            .post(&path)
            .header("x-forwarded-for", forwarded.to_owned())
            .send()
    };
    for _ in 0..3 {
        assert_eq!(
            join("198.51.100.7").await.unwrap().status(),
            StatusCode::CREATED
        );
    }
    let limited = join("198.51.100.7").await.unwrap();
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    let body: Value = {
        assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
        limited.json().await.unwrap()
    };
    assert_eq!(body["error"]["reason"], "too_many_joins");
    assert_eq!(
        join("203.0.113.20").await.unwrap().status(),
        StatusCode::CREATED,
        "another client behind the trusted proxy is not affected"
    );
    assert!(app.metric("gallery_rate_limited_total").await >= 1.0);
}

#[tokio::test]
async fn a_client_that_floods_pings_and_never_reads_is_closed() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let app = spawn_app_with(|c| c.limits.ws_max_incoming_per_heartbeat = 50).await;
    let s = app.live_session().await;
    let mut ws = app.ws(&s.slug, "since=0").await;
    let mut sent = 0;
    for _ in 0..2000 {
        if ws.send(Message::Ping(vec![0u8; 100].into())).await.is_err() {
            break;
        }
        sent += 1;
    }
    assert!(sent > 50);
    assert!(
        matches!(close_code(&mut ws).await, Some(1008) | None),
        "closed for flooding"
    );
    assert!(app.metric("gallery_ws_floods_closed_total").await >= 1.0);
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_private_sessions_join_code_can_be_rotated() {
    let app = spawn_app().await;
    let s = app
        .create_session(json!({"title": "Grand rounds", "private": true}))
        .await;
    let old = s.join_code.clone().unwrap();
    let path = format!("/api/sessions/{}/invites/viewer/rotate", s.slug);
    expect_error(
        app.post(&path, Some(&s.narrator), json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let rotated = app.post_json(&path, Some(ADMIN), json!({})).await;
    let new = rotated["join_code"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(
        rotated["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("#code={new}"))
    );
    let joins = format!("/api/sessions/{}/viewers", s.slug);
    let refused = app.post(&joins, None, json!({"join_code": old})).await;
    expect_error(refused, StatusCode::NOT_FOUND, "not_found").await;
    let joined = app.post(&joins, None, json!({"join_code": new})).await;
    assert_eq!(joined.status(), StatusCode::CREATED);
    let public = app.live_session().await;
    let res = app
        .post(
            &format!("/api/sessions/{}/invites/viewer/rotate", public.slug),
            Some(ADMIN),
            json!({}),
        )
        .await;
    expect_error(res, StatusCode::CONFLICT, "conflict").await;
}

#[tokio::test]
async fn trailing_data_after_the_json_body_is_refused() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let res = app
        .http
        .post(app.url(&format!("/api/sessions/{}/updates", s.slug)))
        .bearer_auth(&s.narrator)
        .body(r#"{"text": "Incision"} {"text": "again"}"#)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
}

#[tokio::test]
async fn a_wrong_type_names_the_field() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let res = app
        .post(
            &format!("/api/sessions/{}/updates", s.slug),
            Some(&s.narrator),
            json!({"text": 42}),
        )
        .await;
    let message = expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    assert!(message.contains("`text`"), "{message}");
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = spawn_app().await;
    let a = app.get("/healthz", None).await;
    let b = app.get("/api/sessions", None).await;
    let id = |r: &reqwest::Response| r.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id(&a).len(), 36);
    assert_ne!(id(&a), id(&b));
}

#[tokio::test]
async fn commands_are_authorised_before_their_body_is_read() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let send = |token: Option<&str>| {
        let mut req = app
            .http
            .post(app.url(&format!("/api/sessions/{}/updates", s.slug)))
            .body("{not json");
        if let Some(t) = token {
            req = req.bearer_auth(t.to_owned());
        }
        req.send()
    };
    expect_error(
        send(None).await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    expect_error(
        send(Some(&s.moderator)).await.unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        send(Some(&s.narrator)).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}
