//! How pages and assets are served: HTML never cached and naming each
//! asset by its content hash, assets at that address cached for a year,
//! ETags for cheap revalidation, gzip for clients that accept it.

use crate::helpers::spawn_app;
use reqwest::StatusCode;

#[tokio::test]
async fn html_names_versioned_assets_which_are_cached_for_a_year() {
    let app = spawn_app().await;
    let page = app.get("/s/anything", None).await;
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let html = page.text().await.unwrap();
    let start = html
        .find("/assets/session.js?v=")
        .expect("a versioned script");
    let url: String = html[start..].chars().take_while(|c| *c != '"').collect();
    let version = url.rsplit('=').next().unwrap().to_owned();
    assert_eq!(version.len(), 16);

    let asset = app.get(&url, None).await;
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(asset.headers()["etag"], format!("\"{version}\"").as_str());
    let stale = app.get("/assets/session.js?v=0000", None).await;
    assert_eq!(stale.headers()["cache-control"], "no-cache");
}

#[tokio::test]
async fn an_unchanged_asset_revalidates_with_304_and_pages_are_compressed() {
    let app = spawn_app().await;
    let first = app.get("/assets/gallery.css", None).await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = app
        .http
        .get(app.url("/assets/gallery.css"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());

    let gz = app
        .http
        .get(app.url("/assets/session.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let plain_len = app
        .get("/assets/session.js", None)
        .await
        .bytes()
        .await
        .unwrap()
        .len();
    assert!(gz.bytes().await.unwrap().len() < plain_len / 2);

    let missing = app.get("/assets/nothing.js", None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let html = app.get("/assets/index.html", None).await;
    assert_eq!(
        html.status(),
        StatusCode::NOT_FOUND,
        "pages only at their routes"
    );
}

#[tokio::test]
async fn the_admin_gets_the_viewer_link_as_a_qr_code_for_the_theatre_screen() {
    let app = spawn_app().await;
    let created: serde_json::Value = app
        .post_json(
            "/api/sessions",
            Some(crate::helpers::ADMIN),
            serde_json::json!({"title": "Grand rounds", "private": true}),
        )
        .await;
    let slug = created["session"]["slug"].as_str().unwrap();
    let link = created["invites"]["viewer"]["url"].as_str().unwrap();
    assert!(
        link.contains("#code="),
        "a private session's link carries its code"
    );
    let path = format!("/api/sessions/{slug}/invites/viewer/qr.svg");
    let res = app.get(&path, Some(crate::helpers::ADMIN)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let svg = res.text().await.unwrap();
    assert!(svg.contains("<svg") && svg.contains("width=\""));
    assert_eq!(
        svg,
        gallery::app::viewer_qr(link).unwrap(),
        "it encodes the viewer link"
    );

    let narrator = created["invites"]["narrator"]["token"].as_str().unwrap();
    assert_eq!(
        app.get(&path, Some(narrator)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&path, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
