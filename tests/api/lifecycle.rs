//! What a narrator does: move the session through its states, post, edit and
//! retract updates; and what the admin does from the command line.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_session_moves_through_its_lifecycle_and_each_change_is_an_event() {
    let app = spawn_app().await;
    let s = app
        .create_session(json!({"title": "Hip revision", "hashtag": "#HipLive"}))
        .await;
    assert_eq!(s.slug, "hip-revision");
    let state = |to: &str| {
        let (app, s, body) = (&app, &s, json!({"state": to}));
        async move {
            app.post(
                &format!("/api/sessions/{}/state", s.slug),
                Some(&s.narrator),
                body,
            )
            .await
        }
    };

    let early = app
        .post(
            &format!("/api/sessions/{}/updates", s.slug),
            Some(&s.narrator),
            json!({"text": "Setting up"}),
        )
        .await;
    let early: Value = early.json().await.unwrap();
    assert!(
        early["update"].get("elapsed_ms").is_none(),
        "not live yet, so no elapsed time"
    );

    for to in ["live", "paused", "live", "live", "ended"] {
        let res = state(to).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.json::<Value>().await.unwrap()["state"], to);
    }
    let conflict: Value = state("live").await.json().await.unwrap();
    assert_eq!(conflict["error"]["code"], "conflict");
    let after = app
        .post(
            &format!("/api/sessions/{}/updates", s.slug),
            Some(&s.narrator),
            json!({"text": "late"}),
        )
        .await;
    assert_eq!(after.status(), StatusCode::CONFLICT);

    let page: Value = app
        .get_json(&format!("/api/sessions/{}/events", s.slug), None)
        .await;
    let states: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["state"].as_str())
        .collect();
    assert_eq!(
        states,
        ["live", "paused", "live", "ended"],
        "repeating a state adds no event"
    );
    let seqs: Vec<u64> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, range(1, 5));
    assert_eq!(page["head"], 5);

    let session: Value = app
        .get_json(&format!("/api/sessions/{}", s.slug), None)
        .await;
    assert_eq!(session["hashtag"], "HipLive");
    assert!(session["started_at"].is_string() && session["ended_at"].is_string());
    app.stop().await;
}

#[tokio::test]
async fn updates_are_posted_edited_and_retracted_as_events() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let base = format!("/api/sessions/{}/updates", s.slug);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let posted: Value = app
        .post_json(
            &base,
            Some(&s.narrator),
            json!({"text": " Incision ", "phase": "Exposure"}),
        )
        .await;
    assert_eq!(posted["seq"], 2);
    let update = &posted["update"];
    assert_eq!(
        (update["text"].as_str(), update["phase"].as_str()),
        (Some("Incision"), Some("Exposure"))
    );
    assert_eq!(
        (update["author"].as_str(), update["retracted"].as_bool()),
        (Some("Narrator"), Some(false))
    );
    assert!(update["elapsed_ms"].as_i64().unwrap() >= 20);
    let id = update["id"].as_str().unwrap();

    let res = app
        .patch(
            &format!("{base}/{id}"),
            &s.narrator,
            json!({"text": "Incision, 12 cm"}),
        )
        .await;
    let edited: Value = res.json().await.unwrap();
    assert_eq!(
        (edited["seq"].as_u64(), edited["update"]["text"].as_str()),
        (Some(3), Some("Incision, 12 cm"))
    );
    assert!(edited["update"]["edited_at"].is_string());

    let res = app.delete(&format!("{base}/{id}"), &s.narrator).await;
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"seq": 4}));
    let again = app.delete(&format!("{base}/{id}"), &s.narrator).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let edit_retracted = app
        .patch(&format!("{base}/{id}"), &s.narrator, json!({"text": "x"}))
        .await;
    assert_eq!(edit_retracted.status(), StatusCode::CONFLICT);

    let page: Value = app
        .get_json(&format!("/api/sessions/{}/events?since=1", s.slug), None)
        .await;
    let types: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["update", "update_edited", "update_retracted"]);
    assert_eq!(page["events"][2]["update_id"], id);
    let paged: Value = app
        .get_json(
            &format!("/api/sessions/{}/events?since=1&limit=2", s.slug),
            None,
        )
        .await;
    assert_eq!(paged["events"].as_array().unwrap().len(), 2);
    assert_eq!(paged["head"], 4);
    app.stop().await;
}

#[tokio::test]
async fn a_retried_post_with_the_same_client_id_creates_nothing_new() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let path = format!("/api/sessions/{}/updates", s.slug);
    let body = json!({"text": "Cementing", "client_id": "narrator-42"});
    let first: Value = app.post_json(&path, Some(&s.narrator), body.clone()).await;
    let second = app.post(&path, Some(&s.narrator), body).await;
    assert_eq!(second.status(), StatusCode::CREATED);
    assert_eq!(second.json::<Value>().await.unwrap(), first);
    let page: Value = app
        .get_json(&format!("/api/sessions/{}/events", s.slug), None)
        .await;
    assert_eq!(page["head"], 2);
    app.stop().await;
}

#[tokio::test]
async fn derived_slugs_stay_unique_and_given_ones_conflict() {
    let app = spawn_app().await;
    let a = app.create_session(json!({"title": "Knee"})).await;
    let b = app.create_session(json!({"title": "Knee"})).await;
    assert_eq!((a.slug.as_str(), b.slug.as_str()), ("knee", "knee-2"));
    let res = app
        .post(
            "/api/sessions",
            Some(ADMIN),
            json!({"title": "Other", "slug": "knee"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let created: Value = app
        .post_json("/api/sessions", Some(ADMIN), json!({"title": "Shoulder"}))
        .await;
    let invites = &created["invites"];
    assert!(
        invites["viewer"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/s/shoulder")
    );
    for role in ["narrator", "moderator", "specialist"] {
        let token = invites[role]["token"].as_str().unwrap();
        assert_eq!(
            token.len(),
            16 + 1 + 64,
            "selector.verifier with 256 random bits"
        );
        assert!(
            invites[role]["url"]
                .as_str()
                .unwrap()
                .contains(&format!("/s/shoulder/{role}#token="))
        );
    }
    let list: Value = app.get_json("/api/sessions", None).await;
    assert_eq!(list["sessions"].as_array().unwrap().len(), 3);
    app.stop().await;
}

#[test]
fn the_command_line_creates_and_lists_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let gallery = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gallery"))
            .args(args)
            .arg("--data-dir")
            .arg(dir.path())
            .env("GALLERY_ADMIN_TOKEN", ADMIN)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let created = gallery(&[
        "session",
        "create",
        "--title",
        "Grand rounds",
        "--hashtag",
        "Rounds",
        "--private",
    ]);
    assert!(
        created.contains("/s/grand-rounds/narrator#token="),
        "{created}"
    );
    assert!(created.contains("join code:"), "{created}");
    let json: Value = serde_json::from_str(&gallery(&[
        "session", "create", "--title", "Knee", "--json",
    ]))
    .unwrap();
    assert_eq!(json["session"]["slug"], "knee");
    let listed = gallery(&["session", "list"]);
    assert!(
        listed.contains("grand-rounds") && listed.contains("private") && listed.contains("knee"),
        "{listed}"
    );
    let help = gallery(&["--help"]);
    assert!(help.contains("serve") && help.contains("session"));
}

#[tokio::test]
async fn edits_and_retractions_scrub_the_old_text_from_the_replayed_history() {
    let app = spawn_app().await;
    let s = app.live_session().await;
    let base = format!("/api/sessions/{}/updates", s.slug);
    let leaked: Value = app
        .post_json(
            &base,
            Some(&s.narrator),
            json!({"text": "Mr Jonas Quill positioned supine", "confirm": true}),
        )
        .await;
    let edited_id = leaked["update"]["id"].as_str().unwrap().to_owned();
    let res = app
        .patch(
            &format!("{base}/{edited_id}"),
            &s.narrator,
            json!({"text": "Patient positioned supine"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let second: Value = app
        .post_json(
            &base,
            Some(&s.narrator),
            json!({"text": "Call Dr Ivo Marsh on 555-0199", "confirm": true}),
        )
        .await;
    let retracted_id = second["update"]["id"].as_str().unwrap().to_owned();
    let res = app
        .delete(&format!("{base}/{retracted_id}"), &s.narrator)
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let page = app
        .get(&format!("/api/sessions/{}/events", s.slug), None)
        .await
        .text()
        .await
        .unwrap();
    for secret in ["Jonas Quill", "Ivo Marsh", "555-0199"] {
        assert!(
            !page.contains(secret),
            "{secret} is still in the stored history: {page}"
        );
    }
    let page: Value = serde_json::from_str(&page).unwrap();
    let events = page["events"].as_array().unwrap();
    assert_eq!(
        events.len(),
        5,
        "state, update, edit, update, retraction: seqs unchanged"
    );
    assert_eq!(events[1]["update"]["text"], "Patient positioned supine");
    assert_eq!(
        (
            events[3]["update"]["text"].as_str(),
            events[3]["update"]["retracted"].as_bool()
        ),
        (Some(""), Some(true))
    );

    // A viewer replaying from the ring sees the same scrubbed history.
    let mut ws = app.ws(&s.slug, "since=0").await;
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    for _ in 0..5 {
        let text = next_json(&mut ws).await.to_string();
        for secret in ["Jonas Quill", "Ivo Marsh", "555-0199"] {
            assert!(!text.contains(secret), "{secret} replayed: {text}");
        }
    }
    app.stop().await;
}
