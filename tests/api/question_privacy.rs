//! What must never leak: held questions reach no one but moderators, held
//! answers are not broadcast until released, and a viewer's stream never
//! carries a pending, held, rejected or muted question's text, nor another
//! viewer's identity.

use crate::audit::audit_rows;
use crate::helpers::{next_json, spawn_app_with};
use crate::qa::{drain, until};
use reqwest::StatusCode;
use serde_json::{Value, json};

const IDENTIFYING: &str = "Is Mrs Patel, MRN 00482913, the lady from ward 3?";

#[tokio::test]
async fn a_held_question_waits_for_a_moderator_and_reaches_no_one_else() {
    let app = spawn_app_with(|_| {}).await;
    let s = app.live_session().await;
    let viewer = app.join(&s, None).await;
    let (mut console, _) = app.ws_as(&s, &s.moderator, "").await;
    let held = app.ask(&s, &viewer, IDENTIFYING).await;
    assert_eq!(held["status"], "held");
    let seen = until(&mut console, "question").await;
    assert_eq!(seen["question"]["status"], "held");
    let flags = seen["question"]["flags"].as_array().unwrap();
    assert!(flags.len() >= 2, "{flags:?}");
    assert!(
        flags
            .iter()
            .all(|f| f["start"].is_u64() && f["category"].is_string())
    );

    assert!(app.list(&s, &s.specialist, "").await.is_empty());
    assert!(app.list(&s, &viewer.token, "").await.is_empty());
    let id = held["id"].as_str().unwrap();
    let vote = app
        .post(
            &format!("/api/sessions/{}/questions/{id}/vote", s.slug),
            Some(&viewer.token),
            json!({}),
        )
        .await;
    assert_eq!(vote.status(), StatusCode::CONFLICT);
    let answer = app
        .specialist(&s, id, "answer", json!({"text": "Yes"}))
        .await;
    assert_eq!(answer.status(), StatusCode::CONFLICT);
    assert_eq!(
        answer.json::<Value>().await.unwrap()["error"]["reason"],
        "not_approved"
    );

    let res = app
        .moderate(
            &s,
            id,
            json!({"action": "edit", "version": 1, "text": "Is this the patient from ward 3?"}),
        )
        .await;
    let redacted: Value = res.json().await.unwrap();
    assert_eq!(redacted["status"], "held");
    let approved = app.approve(&s, &redacted).await;
    assert_eq!(approved["status"], "approved");
    let public = app.list(&s, &viewer.token, "").await;
    assert_eq!(public[0]["text"], "Is this the patient from ward 3?");

    let blocked = app
        .post(
            &format!("/api/sessions/{}/questions", s.slug),
            Some(&viewer.token),
            json!({"text": "what a fucking mess"}),
        )
        .await;
    assert_eq!(blocked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = blocked.json().await.unwrap();
    assert_eq!(body["error"]["code"], "screening_blocked");
    assert!(body["error"]["detail"]["flags"].is_array());
}

#[tokio::test]
async fn the_specialists_stream_carries_only_approved_questions_live_and_on_resume() {
    let app = spawn_app_with(|_| {}).await;
    let s = app.live_session().await;
    let viewer = app.join(&s, None).await;
    let other = app.join(&s, None).await;
    let (mut specialist, _) = app.ws_as(&s, &s.specialist, "").await;
    let (mut moderator, _) = app.ws_as(&s, &s.moderator, "").await;
    let held = app.ask(&s, &viewer, IDENTIFYING).await;
    let rejected = app
        .ask(&s, &other, "Off-topic: where is the canteen?")
        .await;
    let res = app
        .moderate(
            &s,
            rejected["id"].as_str().unwrap(),
            json!({"action": "reject", "version": 1, "reason": "Off topic"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let good = app.ask(&s, &other, "Why cement here?").await;
    let approved = app.approve(&s, &good).await;
    drain(&mut moderator, 300).await;

    let seen = drain(&mut specialist, 500).await;
    let questions: Vec<&Value> = seen.iter().filter(|e| e["type"] == "question").collect();
    assert_eq!(questions.len(), 1, "only the approved one: {seen:?}");
    assert_eq!(questions[0]["question"]["id"], approved["id"]);
    let text = serde_json::to_string(&seen).unwrap();
    for secret in ["MRN", "canteen", "Off topic", held["id"].as_str().unwrap()] {
        assert!(!text.contains(secret), "{secret} reached the specialist");
    }

    // Resumed from the start of the staff history: the same, and no more.
    let (mut resumed, hello) = app.ws_as(&s, &s.specialist, "staff_since=0").await;
    assert!(hello["staff_head"].as_u64().unwrap() >= 4);
    let replay = drain(&mut resumed, 500).await;
    let replayed: Vec<&Value> = replay.iter().filter(|e| e["type"] == "question").collect();
    assert_eq!(replayed.len(), 1, "{replay:?}");
    assert!(!serde_json::to_string(&replay).unwrap().contains("MRN"));
}

#[tokio::test]
async fn answers_are_screened_like_updates() {
    let app = spawn_app_with(|_| {}).await;
    let s = app.live_session().await;
    let viewer = app.join(&s, None).await;
    let q = app
        .approve(&s, &app.ask(&s, &viewer, "Who referred the patient?").await)
        .await;
    let id = q["id"].as_str().unwrap();
    let hold = app
        .specialist(
            &s,
            id,
            "answer",
            json!({"text": "Dr Jones at 555-201-8876 did."}),
        )
        .await;
    assert_eq!(hold.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = hold.json().await.unwrap();
    assert_eq!(body["error"]["code"], "screening_hold");
    let confirmed = app
        .specialist(
            &s,
            id,
            "answer",
            json!({"text": "Dr Jones at 555-201-8876 did.", "confirm": true}),
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_held_answer_is_not_broadcast_until_a_moderator_releases_it() {
    let app = spawn_app_with(|c| c.screening.authors_can_confirm = false).await;
    let s = app.live_session().await;
    let viewer = app.join(&s, None).await;
    let q = app
        .approve(&s, &app.ask(&s, &viewer, "Who referred the patient?").await)
        .await;
    let id = q["id"].as_str().unwrap();
    let mut public = app.ws(&s.slug, "since=1").await;
    next_json(&mut public).await;
    let (mut console, _) = app.ws_as(&s, &s.moderator, "").await;

    let res = app
        .specialist(
            &s,
            id,
            "answer",
            json!({"text": "Mrs Patel's GP, MRN 00482913.", "confirm": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let held: Value = res.json().await.unwrap();
    assert_eq!(held["held"]["kind"], "answer");
    assert_eq!(held["held"]["question_id"], id);
    let events = drain(&mut public, 300).await;
    assert!(events.iter().all(|e| e["type"] != "answer"), "{events:?}");
    assert_eq!(
        until(&mut console, "held").await["item"]["id"],
        held["held"]["id"]
    );

    let release = format!(
        "/api/sessions/{}/held/{}/release",
        s.slug,
        held["held"]["id"].as_str().unwrap()
    );
    let res = app
        .post(
            &release,
            Some(&s.moderator),
            json!({"text": "The patient's GP referred them."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let released: Value = res.json().await.unwrap();
    assert_eq!(released["question"]["status"], "answered");
    let answer = until(&mut public, "answer").await;
    assert_eq!(answer["answer"]["text"], "The patient's GP referred them.");
    assert_eq!(
        until(&mut console, "held_resolved").await["id"],
        held["held"]["id"]
    );
    let rows = audit_rows(&app, &s).await;
    let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["approve", "release"]);
}

#[tokio::test]
async fn a_viewers_stream_never_carries_unpublished_text_or_other_viewers_identity() {
    let app = spawn_app_with(|c| {
        c.questions.coalesce_ms = 50;
        c.questions.per_viewer_burst = 10;
    })
    .await;
    let s = app.live_session().await;
    let (watcher, asker, troll) = (
        app.join(&s, None).await,
        app.join(&s, Some("Named Asker")).await,
        app.join(&s, None).await,
    );
    let (mut own, _) = app.ws_as(&s, &watcher.token, "").await;
    let mut anonymous = app.ws(&s.slug, "").await;
    let mut sse = app.sse(&s.slug, "", None).await;
    app.post(
        &format!("/api/sessions/{}/viewers/{}/mute", s.slug, troll.id),
        Some(&s.moderator),
        json!({"muted": true}),
    )
    .await;

    let pending = app.ask(&s, &asker, "SECRET-PENDING question text").await;
    let held = app
        .ask(&s, &asker, "SECRET-HELD Mrs Patel MRN 00482913")
        .await;
    assert_eq!(held["status"], "held");
    let rejected = app.ask(&s, &asker, "SECRET-REJECTED question text").await;
    app.moderate(
        &s,
        rejected["id"].as_str().unwrap(),
        json!({"action": "reject", "version": 1, "reason": "SECRET-REASON"}),
    )
    .await;
    app.ask(&s, &troll, "SECRET-MUTED question text").await;
    let published = app.ask(&s, &asker, "Published question text").await;
    app.approve(&s, &published).await;
    assert_eq!(pending["status"], "pending");

    let mut frames = Vec::new();
    for ws in [&mut own, &mut anonymous] {
        frames.extend(drain(ws, 600).await.into_iter().map(|e| e.to_string()));
    }
    while let Ok((_, event)) =
        tokio::time::timeout(std::time::Duration::from_millis(200), sse.next_record()).await
    {
        frames.push(event.to_string());
    }
    let all = frames.join("\n");
    assert!(
        all.contains("Published question text"),
        "the published one arrives"
    );
    for secret in ["SECRET", &asker.id, &troll.id, &watcher.id, "MRN"] {
        assert!(
            !all.contains(secret),
            "{secret} leaked into a viewer stream"
        );
    }
}
