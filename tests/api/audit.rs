//! The audit trail: one row per decision, append-only in the database
//! itself, hash-chained so that `gallery audit verify` finds a row changed
//! in the file, and exported per session as CSV and JSON lines.

use crate::helpers::{ADMIN, TestApp, TestSession, spawn_app_with};
use reqwest::StatusCode;
use serde_json::{Value, json};

const IDENTIFYING: &str = "Patient John Smith, MRN 4471123, called from 555-201-8876.";

/// The session's audit rows, as the JSON-lines export gives them.
pub async fn audit_rows(app: &TestApp, s: &TestSession) -> Vec<Value> {
    let res = app
        .get(
            &format!("/api/sessions/{}/audit?format=jsonl", s.slug),
            Some(&s.moderator),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/x-ndjson");
    res.text()
        .await
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

async fn hold(app: &TestApp, s: &TestSession) -> String {
    let res = app
        .post(
            &format!("/api/sessions/{}/updates", s.slug),
            Some(&s.narrator),
            json!({"text": IDENTIFYING}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    res.json::<Value>().await.unwrap()["held"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn each_decision_leaves_one_chained_row_with_who_what_and_the_texts() {
    let app = spawn_app_with(|c| c.screening.authors_can_confirm = false).await;
    let s = app.live_session().await;
    let released = hold(&app, &s).await;
    let discarded = hold(&app, &s).await;
    let base = format!("/api/sessions/{}/held", s.slug);
    let res = app
        .post(
            &format!("{base}/{released}/release"),
            Some(&s.moderator),
            json!({"text": "Patient [name], MRN [redacted], called."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .post(
            &format!("{base}/{discarded}/discard"),
            Some(&s.moderator),
            json!({"reason": "names the patient"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .post(
            &format!("/api/sessions/{}/invites/specialist/rotate", s.slug),
            Some(ADMIN),
            json!({}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let rows = audit_rows(&app, &s).await;
    let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["release", "discard", "rotate"]);
    assert_eq!(rows[0]["subject_id"], released.as_str());
    assert_eq!(rows[0]["before"], IDENTIFYING);
    assert_eq!(rows[0]["after"], "Patient [name], MRN [redacted], called.");
    assert_eq!(rows[0]["actor_role"], "moderator");
    assert_eq!(rows[1]["reason"], "names the patient");
    assert_eq!(rows[2]["actor_role"], "admin");
    assert_eq!(rows[2]["subject_id"], "specialist");
    assert_eq!(rows[0]["prev_hash"], "0".repeat(64));
    for pair in rows.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
    }
    let text = serde_json::to_string(&rows).unwrap();
    assert!(
        !text.contains(&s.moderator) && !text.contains(&s.narrator),
        "no token in the audit trail"
    );

    let csv = app
        .get(
            &format!("/api/sessions/{}/audit?format=csv", s.slug),
            Some(ADMIN),
        )
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv.text().await.unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,ts,session,actor_role")
    );
    assert_eq!(csv.matches(",rotate,").count(), 1);
}

#[tokio::test]
async fn only_the_admin_and_moderators_read_the_trail() {
    let app = spawn_app_with(|_| {}).await;
    let s = app.live_session().await;
    let path = format!("/api/sessions/{}/audit", s.slug);
    let viewer = app.viewer_token(&s.slug).await;
    for (token, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(s.narrator.as_str()), StatusCode::FORBIDDEN),
        (Some(s.specialist.as_str()), StatusCode::FORBIDDEN),
        (Some(viewer.as_str()), StatusCode::FORBIDDEN),
    ] {
        assert_eq!(app.get(&path, token).await.status(), status, "{token:?}");
    }
    let other = app.live_session().await;
    assert_eq!(
        app.get(&path, Some(&other.moderator)).await.status(),
        StatusCode::NOT_FOUND
    );
    let bad = app.get(&format!("{path}?format=xml"), Some(ADMIN)).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

fn gallery(data_dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gallery"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("GALLERY_ADMIN_TOKEN", ADMIN)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the gallery binary runs")
}

#[tokio::test]
async fn the_database_refuses_changes_and_verify_finds_a_row_changed_in_the_file() {
    let app = spawn_app_with(|c| c.screening.authors_can_confirm = false).await;
    let s = app.live_session().await;
    for _ in 0..3 {
        let id = hold(&app, &s).await;
        let res = app
            .post(
                &format!("/api/sessions/{}/held/{id}/discard", s.slug),
                Some(&s.moderator),
                json!({}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
    }
    let dir = app.data_dir.path().to_owned();
    let db = rusqlite::Connection::open(dir.join("gallery.db")).unwrap();
    for sql in [
        "UPDATE audit SET reason = 'nothing happened' WHERE id = 2",
        "DELETE FROM audit WHERE id = 2",
    ] {
        let err = db.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }

    let ok = gallery(&dir, &["audit", "verify"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("3 rows"));
    let export = gallery(
        &dir,
        &["audit", "export", "--session", &s.slug, "--format", "csv"],
    );
    assert!(export.status.success());
    assert_eq!(String::from_utf8_lossy(&export.stdout).lines().count(), 4);

    // Someone with the file drops the trigger and rewrites a row.
    db.execute_batch(
        "DROP TRIGGER audit_no_update; \
         UPDATE audit SET reason = 'nothing happened' WHERE id = 2;",
    )
    .unwrap();
    let broken = gallery(&dir, &["audit", "verify"]);
    assert!(!broken.status.success());
    let out = String::from_utf8_lossy(&broken.stdout);
    assert!(out.contains("BROKEN") && out.contains("at row 2"), "{out}");
}
