//! The privacy screen on a real server: held updates are never broadcast or
//! stored as public, confirming publishes them, moderators release or
//! discard what authors may not confirm, blocked phrases are refused, and
//! `POST …/screen` stores nothing.

use crate::bad_input::expect_error;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const IDENTIFYING: &str = "Mrs Patel, 93, MRN 00482913, admitted 3 March";

/// Posts a text the screen holds (a street address) with `confirm: true`,
/// as a narrator does for a false alarm.
async fn post_confirmed_false_alarm(app: &TestApp, s: &TestSession) -> reqwest::Response {
    app.post(
        &format!("/api/sessions/{}/updates", s.slug),
        Some(&s.narrator),
        json!({"text": "Cemented at 14 Elm Street protocol angle", "confirm": true}),
    )
    .await
}

/// The next history event on a stream, past live-only ones (presence).
async fn next_seqd(ws: &mut Ws) -> Value {
    loop {
        let event = next_json(ws).await;
        if event["seq"].is_u64() {
            return event;
        }
    }
}

async fn events(app: &TestApp, slug: &str) -> Value {
    app.get_json(&format!("/api/sessions/{slug}/events?since=0"), None)
        .await
}

fn texts(events: &Value) -> Vec<String> {
    events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["update"]["text"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_held_update_is_refused_with_its_findings_and_broadcast_nowhere() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let mut viewer = app.ws(&s.slug, "since=0").await;
    let hello = next_json(&mut viewer).await;
    assert_eq!(hello["type"], "hello");
    let state = next_seqd(&mut viewer).await;
    assert_eq!(state["type"], "session_state");
    let path = format!("/api/sessions/{}/updates", s.slug);

    let res = app
        .post(&path, Some(&s.narrator), json!({"text": IDENTIFYING}))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "screening_hold");
    assert_eq!(body["error"]["reason"], "screening_hold");
    let flags = body["error"]["detail"]["flags"].as_array().unwrap();
    let marked: Vec<(&str, &str)> = flags
        .iter()
        .map(|f| {
            let (start, end) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
            (
                &IDENTIFYING[start as usize..end as usize],
                f["category"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        marked,
        [
            ("Patel", "name"),
            ("93", "age"),
            ("00482913", "id_number"),
            ("3 March", "date")
        ]
    );
    assert_eq!(texts(&events(&app, &s.slug).await), Vec::<String>::new());

    // The narrator fixes the text: it goes out, and it is the next event the
    // viewer sees (the held one never was).
    let seq = app.post_update(&s, "Patient positioned supine").await;
    let event = next_seqd(&mut viewer).await;
    assert_eq!(event["seq"], seq);
    assert_eq!(event["update"]["text"], "Patient positioned supine");

    // A false alarm, confirmed, is published.
    let res = post_confirmed_false_alarm(&app, &s).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let event = next_seqd(&mut viewer).await;
    assert_eq!(
        event["update"]["text"],
        "Cemented at 14 Elm Street protocol angle"
    );
    assert_eq!(app.metric("gallery_screen_confirmed_total").await, 1.0);
    assert!(
        app.metric("gallery_screen_texts_total{verdict=\"hold\"}")
            .await
            >= 2.0
    );
    assert!(
        app.metric("gallery_screen_findings_total{category=\"name\"}")
            .await
            >= 1.0
    );
    let metrics = app.get("/metrics", Some(ADMIN)).await.text().await.unwrap();
    assert!(!metrics.contains("Patel"), "metrics never carry text");
}

#[tokio::test]
async fn edits_are_screened_the_same_way() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let res = app
        .post(
            &format!("/api/sessions/{}/updates", s.slug),
            Some(&s.narrator),
            json!({"text": "Skin incision"}),
        )
        .await;
    let id = res.json::<Value>().await.unwrap()["update"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/sessions/{}/updates/{id}", s.slug);
    let res = app
        .patch(
            &path,
            &s.narrator,
            json!({"text": "Skin incision, DOB 12/03/1951"}),
        )
        .await;
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "screening_hold").await;
    assert_eq!(texts(&events(&app, &s.slug).await), ["Skin incision"]);
    let res = app
        .patch(
            &path,
            &s.narrator,
            json!({"text": "Skin incision, DOB 12/03/1951", "confirm": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_blocked_phrase_is_refused_even_when_confirmed() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let res = app
        .post(
            &format!("/api/sessions/{}/updates", s.slug),
            Some(&s.narrator),
            json!({"text": "what a fucking mess", "confirm": true}),
        )
        .await;
    let body: Value = {
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        res.json().await.unwrap()
    };
    assert_eq!(body["error"]["code"], "screening_blocked");
    assert_eq!(body["error"]["detail"]["flags"][0]["category"], "keyword");
    assert_eq!(texts(&events(&app, &s.slug).await), Vec::<String>::new());
    assert_eq!(
        app.metric("gallery_screen_texts_total{verdict=\"block\"}")
            .await,
        1.0
    );
}

#[tokio::test]
async fn when_authors_may_not_confirm_a_moderator_releases_the_redacted_text() {
    let app = spawn_app_with(|c| c.screening.authors_can_confirm = false).await;
    let s = app.live_session().await;
    let mut viewer = app.ws(&s.slug, "since=1").await;
    assert_eq!(next_json(&mut viewer).await["type"], "hello");
    let path = format!("/api/sessions/{}/updates", s.slug);

    let res = app
        .post(
            &path,
            Some(&s.narrator),
            json!({"text": IDENTIFYING, "phase": "Exposure", "client_id": "c1", "confirm": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let held: Value = res.json().await.unwrap();
    let id = held["held"]["id"].as_str().unwrap().to_owned();
    assert_eq!(held["held"]["kind"], "update");
    assert_eq!(held["held"]["flags"].as_array().unwrap().len(), 4);
    // A retry with the same client_id does not hold it twice.
    let again = app
        .post(
            &path,
            Some(&s.narrator),
            json!({"text": IDENTIFYING, "client_id": "c1"}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    assert_eq!(
        again.json::<Value>().await.unwrap()["held"]["id"],
        id.as_str()
    );

    let list = app
        .get_json(
            &format!("/api/sessions/{}/held", s.slug),
            Some(&s.moderator),
        )
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["text"], IDENTIFYING);
    assert_eq!(texts(&events(&app, &s.slug).await), Vec::<String>::new());

    let redacted = "Mrs [name], [age], MRN [redacted], admitted [date]";
    let res = app
        .post(
            &format!("/api/sessions/{}/held/{id}/release", s.slug),
            Some(&s.moderator),
            json!({"text": redacted}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let released: Value = res.json().await.unwrap();
    assert_eq!(released["update"]["text"], redacted);
    assert_eq!(released["update"]["phase"], "Exposure");

    let live = next_seqd(&mut viewer).await;
    assert_eq!(live["update"]["text"], redacted);
    assert_eq!(texts(&events(&app, &s.slug).await), [redacted]);
    let everything = events(&app, &s.slug).await.to_string();
    assert!(!everything.contains("Patel") && !everything.contains("00482913"));
    let list = app
        .get_json(
            &format!("/api/sessions/{}/held", s.slug),
            Some(&s.moderator),
        )
        .await;
    assert_eq!(list["items"], json!([]));

    let twice = app
        .post(
            &format!("/api/sessions/{}/held/{id}/release", s.slug),
            Some(&s.moderator),
            json!({}),
        )
        .await;
    let body: Value = {
        assert_eq!(twice.status(), StatusCode::CONFLICT);
        twice.json().await.unwrap()
    };
    assert_eq!(body["error"]["reason"], "already_resolved");
    assert_eq!(app.metric("gallery_screen_released_total").await, 1.0);
}

#[tokio::test]
async fn a_moderator_discards_a_held_update_and_nothing_is_published() {
    let app = spawn_app_with(|c| c.screening.authors_can_confirm = false).await;
    let s = app.live_session().await;
    let res = app
        .post(
            &format!("/api/sessions/{}/updates", s.slug),
            Some(&s.narrator),
            json!({"text": "Her daughter Siobhan is on 07700 900123"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let id = res.json::<Value>().await.unwrap()["held"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .post(
            &format!("/api/sessions/{}/held/{id}/discard", s.slug),
            Some(&s.moderator),
            json!({"reason": "relative's phone number"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(texts(&events(&app, &s.slug).await), Vec::<String>::new());
    let res = app
        .post(
            &format!("/api/sessions/{}/held/{id}/release", s.slug),
            Some(&s.moderator),
            json!({}),
        )
        .await;
    expect_error(res, StatusCode::CONFLICT, "conflict").await;
    // An unknown id names nothing.
    let res = app
        .post(
            &format!(
                "/api/sessions/{}/held/00000000-0000-0000-0000-000000000000/discard",
                s.slug
            ),
            Some(&s.moderator),
            json!({}),
        )
        .await;
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn staff_ask_the_screen_and_nothing_is_stored() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let path = format!("/api/sessions/{}/screen", s.slug);
    for token in [&s.narrator, &s.moderator, &s.specialist] {
        let answer = app
            .post_json(
                &path,
                Some(token),
                json!({"text": "pt John Smith, DOB 1/2/1950"}),
            )
            .await;
        assert_eq!(answer["verdict"], "hold", "{answer}");
        assert!(answer["flags"].as_array().unwrap().len() >= 2);
    }
    let clean = app
        .post_json(
            &path,
            Some(&s.narrator),
            json!({"text": "BP 120/80, HR 72"}),
        )
        .await;
    assert_eq!(clean, json!({"verdict": "pass", "flags": []}));
    let session = app
        .get_json(&format!("/api/sessions/{}", s.slug), None)
        .await;
    assert_eq!(
        session["head"], 1,
        "only the session going live is in the history"
    );
    assert_eq!(app.metric("gallery_screen_previews_total").await, 4.0);
    assert_eq!(
        app.metric("gallery_screen_texts_total{verdict=\"hold\"}")
            .await,
        0.0
    );
}

#[tokio::test]
async fn the_new_endpoints_check_who_is_asking() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let other = app.live_session().await;
    let viewer = app.viewer_token(&s.slug).await;
    let screen = format!("/api/sessions/{}/screen", s.slug);
    let body = json!({"text": "hello"});
    expect_error(
        app.post(&screen, None, body.clone()).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    expect_error(
        app.post(&screen, Some(&viewer), body.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        app.post(&screen, Some(&other.narrator), body.clone()).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        app.post(&screen, Some(ADMIN), body).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    let held = format!("/api/sessions/{}/held", s.slug);
    expect_error(
        app.get(&held, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    for token in [&s.narrator, &s.specialist, &viewer] {
        expect_error(
            app.get(&held, Some(token)).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    expect_error(
        app.get(&held, Some(&other.moderator)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let release = format!(
        "/api/sessions/{}/held/00000000-0000-0000-0000-000000000000/release",
        s.slug
    );
    expect_error(
        app.post(&release, Some(&s.narrator), json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn bad_texts_get_their_documented_errors() {
    let app = spawn_app_with(|c| c.screening.max_preview_chars = 50).await;
    let s = app.live_session().await;
    let screen = format!("/api/sessions/{}/screen", s.slug);
    let reason = |res: reqwest::Response| async move {
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        res.json::<Value>().await.unwrap()["error"]["reason"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let post = |text: &str| app.post(&screen, Some(&s.narrator), json!({"text": text}));
    assert_eq!(reason(post("   ").await).await, "empty_text");
    assert_eq!(reason(post(&"x".repeat(51)).await).await, "text_too_long");
    assert_eq!(reason(post("a\u{202E}b").await).await, "refused_characters");
    let unknown_field = app
        .post(
            &screen,
            Some(&s.narrator),
            json!({"text": "x", "mode": "strict"}),
        )
        .await;
    assert_eq!(reason(unknown_field).await, "invalid_json");
    let not_utf8 = app
        .http
        .post(app.url(&screen))
        .bearer_auth(&s.narrator)
        .body(vec![
            b'{', b'"', b't', b'e', b'x', b't', b'"', b':', b'"', 0xff, b'"', b'}',
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(reason(not_utf8).await, "invalid_json");
    let update = app
        .post(
            &format!("/api/sessions/{}/updates", s.slug),
            Some(&s.narrator),
            json!({"text": "bell \u{0007} rings"}),
        )
        .await;
    assert_eq!(reason(update).await, "refused_characters");
}

#[tokio::test]
async fn a_broken_policy_file_stops_the_server_at_start_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("screening.toml");
    std::fs::write(
        &policy,
        "categories = [\"name\"]\n\n[[lists]]\nname = \"x\"\naction = \"hide\"\nphrases = [\"a\"]\n",
    )
    .unwrap();
    let mut config = test_config(dir.path().join("data"));
    config.screening.policy_file = Some(policy);
    let err = gallery::startup::Application::build(config)
        .await
        .err()
        .expect("a broken policy is refused");
    let message = format!("{err:#}");
    assert!(message.contains("line 5"), "{message}");
}

#[tokio::test]
async fn flagged_and_confirmed_updates_are_published_and_marked_for_moderators() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let seq = app
        .post_update(&s, "Brief cardiac arrest drill for the team")
        .await;
    assert!(seq > 1, "a flag list publishes the text");
    let confirmed = post_confirmed_false_alarm(&app, &s).await;
    assert_eq!(confirmed.status(), StatusCode::CREATED);
    app.post_update(&s, "Closure with staples").await;

    let flagged = app
        .get_json(
            &format!("/api/sessions/{}/flagged", s.slug),
            Some(&s.moderator),
        )
        .await;
    let items = flagged["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{flagged}");
    assert_eq!(items[0]["flags"][0]["category"], "address");
    assert_eq!(items[1]["flags"][0]["category"], "keyword");
    assert_eq!(
        items[1]["update"]["text"],
        "Brief cardiac arrest drill for the team"
    );
    let res = app
        .get(
            &format!("/api/sessions/{}/flagged", s.slug),
            Some(&s.narrator),
        )
        .await;
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(
        app.metric("gallery_screen_texts_total{verdict=\"flag\"}")
            .await,
        1.0
    );
}
