//! The question loop end to end: a viewer asks, moderators see it live and
//! approve, viewers upvote, the specialist answers, and every viewer
//! (WebSocket, SSE, resumed) gets the answer from the history.

use crate::helpers::{next_json, spawn_app_with};
use crate::qa::{drain, until};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_question_goes_from_viewer_to_moderator_to_specialist_and_back_to_everyone() {
    let app = spawn_app_with(|c| c.questions.coalesce_ms = 100).await;
    let s = app.live_session().await;
    app.post_update(&s, "Skin incision").await;
    let phase = app
        .post(
            &format!("/api/sessions/{}/updates", s.slug),
            Some(&s.narrator),
            json!({"text": "Tourniquet inflated", "phase": "Exposure"}),
        )
        .await;
    assert_eq!(phase.status(), StatusCode::CREATED);
    let asker = app.join(&s, Some("Ana")).await;
    let voter = app.join(&s, None).await;
    let (mut moderator, hello) = app.ws_as(&s, &s.moderator, "since=3").await;
    assert_eq!(hello["role"], "moderator");
    assert_eq!(hello["staff_head"], 0);
    assert!(hello["epoch"].as_str().is_some_and(|e| !e.is_empty()));
    let (mut mine, hello) = app.ws_as(&s, &asker.token, "since=3").await;
    assert!(
        hello.get("staff_head").is_none(),
        "viewers get no staff head"
    );
    let mut public = app.ws(&s.slug, "since=3").await;
    assert_eq!(next_json(&mut public).await["type"], "hello");
    let mut sse = app.sse(&s.slug, "since=3", None).await;

    // The viewer asks; the moderator sees it at once, with its stamp.
    let asked = app.ask(&s, &asker, "Why a tourniquet for this step?").await;
    assert_eq!(asked["status"], "pending");
    assert_eq!(asked["phase"], "Exposure");
    assert!(asked["elapsed_ms"].as_i64().is_some());
    assert!(asked.get("author").is_none(), "anonymous by default");
    assert!(
        asked.get("viewer_id").is_none(),
        "the asker's view has no ids"
    );
    let id = asked["id"].as_str().unwrap().to_owned();
    let seen = until(&mut moderator, "question").await;
    assert_eq!(seen["staff_seq"], 1);
    assert_eq!(seen["question"]["id"], id.as_str());
    assert_eq!(seen["question"]["status"], "pending");
    assert_eq!(seen["question"]["viewer_id"], asker.id.as_str());
    assert_eq!(seen["question"]["flags"], json!([]));
    assert_eq!(
        until(&mut mine, "my_question").await["question"]["status"],
        "pending"
    );

    // Approved: published to everyone, and the asker is told.
    let approved = app.approve(&s, &seen["question"]).await;
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["version"], 2);
    let published = until(&mut public, "question_published").await;
    assert_eq!(published["question"]["id"], id.as_str());
    assert!(published["question"].get("viewer_id").is_none());
    // The queue's public figures come with the same coalesced flush.
    let counts = until(&mut public, "question_counts").await;
    assert_eq!(counts["received"], 1);
    assert_eq!(
        until(&mut mine, "my_question").await["question"]["status"],
        "approved"
    );
    assert_eq!(until(&mut moderator, "question").await["staff_seq"], 2);

    // Votes: idempotent, and counted once a coalescing interval.
    let vote = format!("/api/sessions/{}/questions/{id}/vote", s.slug);
    for token in [&voter.token, &voter.token, &asker.token] {
        let res = app.post(&vote, Some(token), json!({})).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let votes = until(&mut public, "question_votes").await;
    assert_eq!(votes["id"], id.as_str());
    assert_eq!(votes["votes"], 2);

    // The specialist sees it in the queue, takes it, and answers.
    let queue = app.list(&s, &s.specialist, "").await;
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0]["votes"], 2);
    let res = app.specialist(&s, &id, "answering", json!({})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let banner = until(&mut public, "now_answering").await;
    assert_eq!(banner["question"]["id"], id.as_str());
    let res = app
        .specialist(
            &s,
            &id,
            "answer",
            json!({"text": "It gives a bloodless field."}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let ack: serde_json::Value = res.json().await.unwrap();
    assert_eq!(ack["seq"], 4);
    assert_eq!(ack["question"]["status"], "answered");

    let answer = until(&mut public, "answer").await;
    assert_eq!(answer["seq"], 4);
    assert_eq!(answer["answer"]["text"], "It gives a bloodless field.");
    assert_eq!(
        answer["question"]["text"],
        "Why a tourniquet for this step?"
    );
    let (seq, event) = loop {
        let (seq, event) = sse.next_record().await;
        if event["type"] == "answer" {
            break (seq, event);
        }
    };
    assert_eq!(seq, Some(4));
    assert_eq!(event["answer"]["text"], "It gives a bloodless field.");
    let mut resumed = app.ws(&s.slug, "since=3").await;
    assert_eq!(next_json(&mut resumed).await["type"], "hello");
    assert_eq!(next_json(&mut resumed).await["type"], "answer");

    // The asker saw every status, in order.
    let statuses: Vec<String> = drain(&mut mine, 300)
        .await
        .into_iter()
        .filter(|e| e["type"] == "my_question")
        .map(|e| e["question"]["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["answering", "answered"]);
    let own = app
        .get_json(
            &format!("/api/sessions/{}/questions/mine", s.slug),
            Some(&asker.token),
        )
        .await;
    assert_eq!(own["questions"][0]["status"], "answered");
    assert_eq!(
        own["questions"][0]["answer"]["text"],
        "It gives a bloodless field."
    );
}

#[tokio::test]
async fn the_same_client_id_twice_creates_one_question() {
    let app = spawn_app_with(|_| {}).await;
    let s = app.live_session().await;
    let v = app.join(&s, None).await;
    let path = format!("/api/sessions/{}/questions", s.slug);
    let body = json!({"text": "Which approach?", "client_id": "q-1"});
    let first = app.post_json(&path, Some(&v.token), body.clone()).await;
    let again = app.post_json(&path, Some(&v.token), body).await;
    assert_eq!(first["question"]["id"], again["question"]["id"]);
    assert_eq!(app.list(&s, &s.moderator, "status=pending").await.len(), 1);
}
