//! The stream's promise: every public event, in order, no gap, no duplicate,
//! whatever the client's speed or how often it reconnects.

use crate::helpers::*;
use futures_util::StreamExt;
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_websocket_and_twenty_sse_viewers_receive_all_updates_in_order() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let mut readers = Vec::new();
    for _ in 0..200 {
        let mut ws = app.ws(&s.slug, "since=1").await;
        readers.push(tokio::spawn(async move {
            assert_eq!(next_json(&mut ws).await["type"], "hello");
            ws_seqs(&mut ws, 100).await
        }));
    }
    for _ in 0..20 {
        let mut sse = app.sse(&s.slug, "since=1", None).await;
        readers.push(tokio::spawn(async move {
            assert_eq!(sse.next_record().await.1["type"], "hello");
            sse.seqs(100).await
        }));
    }
    for i in 0..100 {
        app.post_update(&s, &format!("Step {i}")).await;
    }
    for reader in readers {
        assert_eq!(reader.await.unwrap(), range(2, 101));
    }
    app.stop().await;
}

#[tokio::test]
async fn a_viewer_that_reconnects_with_since_gets_exactly_what_it_missed() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let mut ws = app.ws(&s.slug, "since=1").await;
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    for i in 0..30 {
        app.post_update(&s, &format!("before {i}")).await;
    }
    assert_eq!(ws_seqs(&mut ws, 30).await, range(2, 31));
    drop(ws);

    for i in 0..40 {
        app.post_update(&s, &format!("while away {i}")).await;
    }
    let mut ws = app.ws(&s.slug, "since=31").await;
    let hello = next_json(&mut ws).await;
    assert_eq!(
        (hello["type"].as_str(), hello["head"].as_u64()),
        (Some("hello"), Some(71))
    );
    assert_eq!(ws_seqs(&mut ws, 40).await, range(32, 71));
    app.post_update(&s, "live again").await;
    let live = next_json(&mut ws).await;
    assert_eq!(
        (live["seq"].as_u64(), live["update"]["text"].as_str()),
        (Some(72), Some("live again"))
    );
    app.stop().await;
}

#[tokio::test]
async fn sse_resumes_from_last_event_id_which_beats_since() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    for i in 0..10 {
        app.post_update(&s, &format!("u{i}")).await;
    }
    let mut sse = app.sse(&s.slug, "since=0", Some(6)).await;
    let (id, hello) = sse.next_record().await;
    assert_eq!((id, hello["type"].as_str()), (None, Some("hello")));
    assert_eq!(sse.seqs(5).await, range(7, 11));
    app.post_update(&s, "live").await;
    assert_eq!(sse.seqs(1).await, vec![12]);
    app.stop().await;
}

#[tokio::test]
async fn without_since_a_viewer_gets_the_whole_history_then_live_events() {
    let app = spawn_app_with(|c| c.stream.ring_events = 4).await;
    let s = app.live_session().await;
    for i in 0..20 {
        app.post_update(&s, &format!("u{i}")).await;
    }
    let mut ws = app.ws(&s.slug, "").await;
    assert_eq!(next_json(&mut ws).await["head"], 21);
    let first = next_json(&mut ws).await;
    assert_eq!(
        (first["seq"].as_u64(), first["type"].as_str()),
        (Some(1), Some("session_state"))
    );
    assert_eq!(ws_seqs(&mut ws, 20).await, range(2, 21));
    app.post_update(&s, "live").await;
    assert_eq!(ws_seqs(&mut ws, 1).await, vec![22]);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_that_stops_reading_does_not_delay_others_and_is_closed_with_4008() {
    let app = spawn_app_with(|c| {
        c.stream.stall_timeout_ms = 1000;
        c.limits.max_update_chars = 60_000;
        c.limits.max_body_bytes = 256 * 1024;
    })
    .await;
    let s = app.live_session().await;
    let mut stalled = app.ws(&s.slug, "since=1").await;
    let mut reader = app.ws(&s.slug, "since=1").await;
    let big = "x".repeat(50_000);
    const N: usize = 300;
    let fast = tokio::spawn(async move {
        assert_eq!(next_json(&mut reader).await["type"], "hello");
        ws_seqs(&mut reader, N).await
    });
    for _ in 0..N {
        app.post_update(&s, &big).await;
    }
    assert_eq!(
        fast.await.unwrap(),
        range(2, N as u64 + 1),
        "the reading viewer got everything"
    );
    assert_eq!(
        app.metric("gallery_slow_consumer_disconnects_total").await,
        1.0
    );

    // The stalled viewer finds a contiguous prefix, then the end of the stream.
    let mut seqs = Vec::new();
    let mut code = None;
    while let Some(msg) = tokio::time::timeout(Duration::from_secs(10), stalled.next())
        .await
        .unwrap()
    {
        match msg {
            Ok(tokio_tungstenite::tungstenite::Message::Text(t)) => {
                let v: serde_json::Value = serde_json::from_str(&t).unwrap();
                if let Some(seq) = v["seq"].as_u64() {
                    seqs.push(seq);
                }
            }
            Ok(tokio_tungstenite::tungstenite::Message::Close(f)) => {
                code = f.map(|f| u16::from(f.code))
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    assert!(
        seqs.len() < N,
        "it cannot have received everything without reading"
    );
    assert_eq!(
        seqs,
        range(2, seqs.len() as u64 + 1),
        "what it got has no gap"
    );
    assert!(matches!(code, None | Some(4008)), "closed with {code:?}");

    // Reconnecting with since catches it up exactly.
    let last = seqs.last().copied().unwrap_or(1);
    let mut again = app.ws(&s.slug, &format!("since={last}")).await;
    assert_eq!(next_json(&mut again).await["type"], "hello");
    assert_eq!(
        ws_seqs(&mut again, N + 1 - last as usize).await,
        range(last + 1, N as u64 + 1)
    );
    app.stop().await;
}

#[tokio::test]
async fn viewer_counts_are_published_as_presence() {
    let app = spawn_app_with(|c| c.stream.presence_interval_ms = 100).await;
    let s = app.live_session().await;
    let mut first = app.ws(&s.slug, "since=1").await;
    let _second = app.sse(&s.slug, "since=1", None).await;
    loop {
        let msg = next_json(&mut first).await;
        if msg["type"] == "presence" && msg["viewers"] == 2 {
            break;
        }
    }
    let session = app
        .get_json(&format!("/api/sessions/{}", s.slug), None)
        .await;
    assert_eq!(session["viewers"], 2);
    app.stop().await;
}

#[tokio::test]
async fn a_client_that_never_answers_pings_is_reaped() {
    let app = spawn_app_with(|c| c.stream.heartbeat_secs = 1).await;
    let s = app.live_session().await;
    let _silent = app.ws(&s.slug, "since=1").await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert_eq!(app.metric("gallery_heartbeat_timeouts_total").await, 1.0);
    let session = app
        .get_json(&format!("/api/sessions/{}", s.slug), None)
        .await;
    assert_eq!(session["viewers"], 0);
    app.stop().await;
}

#[tokio::test]
async fn shutdown_closes_streams_with_1012() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let mut ws = app.ws(&s.slug, "since=1").await;
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    app.trigger_stop();
    assert_eq!(close_code(&mut ws).await, Some(1012));
    app.stop().await;
}

#[tokio::test]
async fn staff_tickets_open_streams_with_their_role() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let res = app
        .post(
            &format!("/api/sessions/{}/tickets", s.slug),
            Some(&s.moderator),
            json!({}),
        )
        .await;
    let ticket = res.json::<serde_json::Value>().await.unwrap()["ticket"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut ws = app.ws(&s.slug, &format!("since=0&ticket={ticket}")).await;
    let hello = next_json(&mut ws).await;
    assert_eq!(
        (hello["type"].as_str(), hello["role"].as_str()),
        (Some("hello"), Some("moderator"))
    );
    assert_eq!(ws_seqs(&mut ws, 1).await, vec![1]);
    app.stop().await;
}

#[tokio::test]
async fn a_clients_close_frame_is_answered_and_bad_utf8_closes_with_1007() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
    use tokio_tungstenite::tungstenite::protocol::frame::{CloseFrame, Frame};
    let app = spawn_app().await;
    let s = app.live_session().await;

    let mut ws = app.ws(&s.slug, "since=0").await;
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    ws.send(Message::Close(Some(CloseFrame {
        code: 1000.into(),
        reason: "bye".into(),
    })))
    .await
    .unwrap();
    let answered = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while let Some(msg) = ws.next().await {
            if let Ok(Message::Close(_)) = msg {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(
        answered,
        "the server answers a Close frame with a Close frame"
    );

    let mut ws = app.ws(&s.slug, "since=0").await;
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    let bad = Frame::message(vec![0xff, 0xfe, 0x41], OpCode::Data(Data::Text), true);
    ws.send(Message::Frame(bad)).await.unwrap();
    assert_eq!(close_code(&mut ws).await, Some(1007));
}
