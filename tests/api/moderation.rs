//! Moderators at work, several at once: resuming the staff stream, racing
//! on one question, and each action's effect on what viewers, moderators
//! and the specialist see.

use crate::audit::audit_rows;
use crate::helpers::{next_json, spawn_app_with};
use crate::qa::{drain, until};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_moderator_console_that_reconnects_gets_each_question_exactly_once() {
    let app = spawn_app_with(|_| {}).await;
    let s = app.live_session().await;
    let viewer = app.join(&s, None).await;
    let (mut console, _) = app.ws_as(&s, &s.moderator, "").await;
    app.ask(&s, &viewer, "First question").await;
    let first = until(&mut console, "question").await;
    let last_seen = first["staff_seq"].as_u64().unwrap();
    drop(console);

    let mut asked = Vec::new();
    for i in 0..6 {
        let v = app.join(&s, None).await;
        asked.push(app.ask(&s, &v, &format!("Question {i} while away")).await["id"].clone());
    }
    let (mut console, hello) = app
        .ws_as(&s, &s.moderator, &format!("staff_since={last_seen}"))
        .await;
    assert_eq!(hello["staff_head"], 7);
    let mut got = Vec::new();
    let mut seqs = Vec::new();
    for event in drain(&mut console, 500).await {
        if event["type"] == "question" {
            seqs.push(event["staff_seq"].as_u64().unwrap());
            got.push(event["question"]["id"].clone());
        }
    }
    assert_eq!(seqs, (2..=7).collect::<Vec<u64>>(), "no gap, no duplicate");
    assert_eq!(got, asked);

    let beyond = app
        .get(
            &format!(
                "/api/sessions/{}/stream?ticket={}&staff_since=99",
                s.slug,
                app.ticket(&s, &s.moderator).await
            ),
            None,
        )
        .await;
    assert_eq!(beyond.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn two_moderators_racing_on_one_question_one_wins_the_other_gets_409() {
    let app = spawn_app_with(|_| {}).await;
    let s = app.live_session().await;
    let viewer = app.join(&s, None).await;
    let q = app.ask(&s, &viewer, "Is the drain necessary?").await;
    let id = q["id"].as_str().unwrap();
    let approve = app.moderate(&s, id, json!({"action": "approve", "version": 1}));
    let reject = app.moderate(
        &s,
        id,
        json!({"action": "reject", "version": 1, "reason": "off topic"}),
    );
    let (a, b) = tokio::join!(approve, reject);
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let loser = if a.status() == StatusCode::CONFLICT {
        a
    } else {
        b
    };
    let body: Value = loser.json().await.unwrap();
    assert_eq!(body["error"]["code"], "conflict");
    assert_eq!(body["error"]["reason"], "stale_version");
    assert_eq!(body["error"]["detail"]["question"]["version"], 2);
    let rows = audit_rows(&app, &s).await;
    assert_eq!(rows.len(), 1, "only the winner's action is recorded");
}

#[tokio::test]
async fn merge_moves_votes_and_askers_onto_the_earlier_question() {
    let app = spawn_app_with(|c| c.questions.coalesce_ms = 50).await;
    let s = app.live_session().await;
    let (a, b, c) = (
        app.join(&s, None).await,
        app.join(&s, None).await,
        app.join(&s, None).await,
    );
    let first = app.ask(&s, &a, "How long does the cement take?").await;
    let dup = app.ask(&s, &b, "How long until the cement sets?").await;
    let first = app.approve(&s, &first).await;
    let dup = app.approve(&s, &dup).await;
    for (voter, q) in [(&c, &first), (&c, &dup), (&a, &dup)] {
        let path = format!(
            "/api/sessions/{}/questions/{}/vote",
            s.slug,
            q["id"].as_str().unwrap()
        );
        assert_eq!(
            app.post(&path, Some(&voter.token), json!({}))
                .await
                .status(),
            StatusCode::OK
        );
    }
    let (mut asker_b, _) = app.ws_as(&s, &b.token, "").await;
    let mut public = app.ws(&s.slug, "").await;
    next_json(&mut public).await;

    let res = app
        .moderate(
            &s,
            dup["id"].as_str().unwrap(),
            json!({"action": "merge", "version": dup["version"], "into": first["id"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let merged: Value = res.json().await.unwrap();
    assert_eq!(merged["status"], "merged");
    assert_eq!(merged["into"], first["id"]);

    let withdrawn = until(&mut public, "question_withdrawn").await;
    assert_eq!(withdrawn["id"], dup["id"]);
    let queue = app.list(&s, &s.specialist, "").await;
    let target = queue.iter().find(|q| q["id"] == first["id"]).unwrap();
    assert_eq!(target["votes"], 2, "c counted once, a moved over");
    assert!(
        queue
            .iter()
            .all(|q| q["id"] != dup["id"] || q["status"] == "merged")
    );
    let mine: Vec<Value> = drain(&mut asker_b, 300)
        .await
        .into_iter()
        .filter(|e| e["type"] == "my_question")
        .collect();
    assert!(
        mine.iter().any(|e| e["question"]["id"] == first["id"]),
        "b follows the merged one"
    );
    let own = app
        .get_json(
            &format!("/api/sessions/{}/questions/mine", s.slug),
            Some(&b.token),
        )
        .await;
    assert_eq!(own["questions"].as_array().unwrap().len(), 2);

    let into_itself = app
        .moderate(
            &s,
            first["id"].as_str().unwrap(),
            json!({"action": "merge", "version": 2, "into": first["id"]}),
        )
        .await;
    assert_eq!(into_itself.status(), StatusCode::BAD_REQUEST);
    let other = app.live_session().await;
    let stranger = app.join(&other, None).await;
    let foreign = app
        .ask(&other, &stranger, "Another session's question")
        .await;
    let cross = app
        .moderate(
            &s,
            first["id"].as_str().unwrap(),
            json!({"action": "merge", "version": 3, "into": foreign["id"]}),
        )
        .await;
    assert_eq!(cross.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn edit_star_reject_dismiss_and_unvote_each_show_where_they_should() {
    let app = spawn_app_with(|_| {}).await;
    let s = app.live_session().await;
    let (a, b) = (app.join(&s, None).await, app.join(&s, None).await);
    let edited = app
        .ask(&s, &a, "Why that implant size, dr smith said 7?")
        .await;
    let starred = app.ask(&s, &b, "What is the blood loss so far?").await;
    let rejected = app.ask(&s, &a, "Can we see the other theatre?").await;

    let res = app
        .moderate(
            &s,
            edited["id"].as_str().unwrap(),
            json!({"action": "edit", "version": 1, "text": "Why that implant size?"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let after_edit: Value = res.json().await.unwrap();
    app.approve(&s, &after_edit).await;
    let approved_star = app.approve(&s, &starred).await;
    let res = app
        .moderate(
            &s,
            starred["id"].as_str().unwrap(),
            json!({"action": "star", "version": approved_star["version"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .moderate(
            &s,
            rejected["id"].as_str().unwrap(),
            json!({"action": "reject", "version": 1, "reason": "Not about this case"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Viewers: the redacted text only, the starred one first, no rejected one.
    let public = app.list(&s, &a.token, "").await;
    let texts: Vec<&str> = public.iter().map(|q| q["text"].as_str().unwrap()).collect();
    assert_eq!(
        texts,
        ["What is the blood loss so far?", "Why that implant size?"]
    );
    assert!(public.iter().all(|q| q.get("reason").is_none()));
    // The asker learns the reason; the original text lives only in the audit trail.
    let own = app
        .get_json(
            &format!("/api/sessions/{}/questions/mine", s.slug),
            Some(&a.token),
        )
        .await;
    let mine = own["questions"].as_array().unwrap();
    assert!(
        mine.iter()
            .any(|q| q["status"] == "rejected" && q["reason"] == "Not about this case")
    );
    assert!(mine.iter().all(|q| q["text"] != edited["text"]));
    let rows = audit_rows(&app, &s).await;
    let edit = rows.iter().find(|r| r["action"] == "edit").unwrap();
    assert_eq!(edit["before"], edited["text"]);
    assert_eq!(edit["after"], "Why that implant size?");
    let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["edit", "approve", "approve", "star", "reject"]);

    // Votes: a second vote changes nothing; unvote takes it back, twice is fine.
    let vote = format!(
        "/api/sessions/{}/questions/{}/vote",
        s.slug,
        after_edit["id"].as_str().unwrap()
    );
    for _ in 0..2 {
        let q: Value = app.post_json(&vote, Some(&b.token), json!({})).await;
        assert_eq!(q["votes"], 1);
    }
    for _ in 0..2 {
        let res = app.delete(&vote, &b.token).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.json::<Value>().await.unwrap()["votes"], 0);
    }

    // Dismissed: gone from viewers, kept for the specialist.
    let res = app
        .specialist(&s, starred["id"].as_str().unwrap(), "dismiss", json!({}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(app.list(&s, &a.token, "").await.len(), 1);
    let dismissed = app.list(&s, &s.specialist, "status=dismissed").await;
    assert_eq!(dismissed.len(), 1);
}

#[tokio::test]
async fn a_muted_viewers_questions_never_reach_the_queue_and_the_viewer_is_not_told() {
    let app = spawn_app_with(|_| {}).await;
    let s = app.live_session().await;
    let (troll, other) = (app.join(&s, None).await, app.join(&s, None).await);
    let res = app
        .post(
            &format!("/api/sessions/{}/viewers/{}/mute", s.slug, troll.id),
            Some(&s.moderator),
            json!({"muted": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let (mut console, _) = app.ws_as(&s, &s.moderator, "").await;

    let muted = app.ask(&s, &troll, "Spam spam spam").await;
    assert_eq!(muted["status"], "pending", "answers like any other");
    app.ask(&s, &other, "A real question").await;
    let events: Vec<Value> = drain(&mut console, 400).await;
    let questions: Vec<&Value> = events.iter().filter(|e| e["type"] == "question").collect();
    assert_eq!(questions.len(), 1);
    assert_eq!(questions[0]["question"]["text"], "A real question");
    let pending = app.list(&s, &s.moderator, "status=pending").await;
    assert_eq!(pending.len(), 1);
    let muted_list = app.list(&s, &s.moderator, "muted=true").await;
    assert_eq!(muted_list.len(), 1);
    assert_eq!(muted_list[0]["muted"], true);
    let stats = app
        .get_json(
            &format!("/api/sessions/{}/questions/stats", s.slug),
            Some(&s.moderator),
        )
        .await;
    assert_eq!(stats["pending"], 1);
    assert_eq!(stats["received"], 1);
    let own = app
        .get_json(
            &format!("/api/sessions/{}/questions/mine", s.slug),
            Some(&troll.token),
        )
        .await;
    assert!(own["questions"][0].get("muted").is_none());
    let unknown = app
        .post(
            &format!(
                "/api/sessions/{}/viewers/{}/mute",
                s.slug,
                uuid::Uuid::new_v4()
            ),
            Some(&s.moderator),
            json!({"muted": true}),
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn moderators_see_each_other_and_the_question_each_has_open() {
    let app = spawn_app_with(|_| {}).await;
    let s = app.live_session().await;
    let (mut ana, _) = app.ws_as(&s, &s.moderator, "name=Ana").await;
    let presence = until(&mut ana, "staff_presence").await;
    assert_eq!(presence["moderators"], json!(["Ana"]));
    let (_ben, _) = app.ws_as(&s, &s.moderator, "name=Ben").await;
    let presence = until(&mut ana, "staff_presence").await;
    assert_eq!(presence["moderators"], json!(["Ana", "Ben"]));
    let viewer = app.join(&s, None).await;
    let q = app.ask(&s, &viewer, "Which suture?").await;
    let res = app
        .post(
            &format!("/api/sessions/{}/presence", s.slug),
            Some(&s.moderator),
            json!({"name": "Ben", "viewing": q["id"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let presence = until(&mut ana, "staff_presence").await;
    assert_eq!(
        presence["viewing"],
        json!([{"moderator": "Ben", "question_id": q["id"]}])
    );
    let (_spec, _) = app.ws_as(&s, &s.specialist, "").await;
    let presence = until(&mut ana, "staff_presence").await;
    assert_eq!(presence["specialist"], true);
}
