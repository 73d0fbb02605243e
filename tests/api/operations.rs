//! What operators rely on: health, readiness, metrics and the pages.

use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
    assert_eq!(app.get("/readyz", None).await.status(), StatusCode::OK);
    let s = app.live_session().await;
    let mut ws = app.ws(&s.slug, "since=1").await;
    assert_eq!(next_json(&mut ws).await["type"], "hello");
    app.post_update(&s, "counted").await;
    assert_eq!(ws_seqs(&mut ws, 1).await, vec![2]);
    let text = app.get("/metrics", Some(ADMIN)).await.text().await.unwrap();
    assert!(
        text.contains("gallery_connections{role=\"viewer\",transport=\"websocket\"} 1"),
        "{text}"
    );
    assert_eq!(app.metric("gallery_events_published_total").await, 2.0);
    assert!(app.metric("gallery_store_commit_seconds_count").await >= 2.0);
    assert!(app.metric("gallery_frames_delivered_total").await >= 1.0);
    app.stop().await;
}

#[tokio::test]
async fn the_viewer_pages_are_served() {
    let app = spawn_app().await;
    for (path, kind, needle) in [
        ("/", "text/html", "pages/index.js"),
        ("/admin", "text/html", "pages/admin.js"),
        ("/s/anything", "text/html", "pages/viewer.js"),
        ("/s/anything/narrator", "text/html", "pages/narrator.js"),
        ("/s/anything/moderator", "text/html", "pages/moderator.js"),
        ("/s/anything/specialist", "text/html", "pages/specialist.js"),
        ("/s/anything/screen", "text/html", "pages/screen.js"),
        ("/assets/lib/stream.js", "text/javascript", "since"),
        ("/assets/lib/api.js", "text/javascript", "Bearer"),
        ("/assets/i18n/zh.js", "text/javascript", "export default"),
        ("/assets/gallery.css", "text/css", ".timeline"),
    ] {
        let res = app.get(path, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(kind),
            "{path}"
        );
        assert!(res.text().await.unwrap().contains(needle), "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn only_staff_roles_have_a_console() {
    let app = spawn_app().await;
    for path in ["/s/anything/viewer", "/s/anything/admin"] {
        assert_eq!(
            app.get(path, None).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    app.stop().await;
}
