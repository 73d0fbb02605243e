//! How pages and assets are served: HTML never cached and naming each
//! asset by its content hash, assets at that address cached for a year,
//! ETags for cheap revalidation, gzip for clients that accept it; a
//! Content-Security-Policy on every page; the client library knows every
//! event type of the protocol.

use crate::helpers::spawn_app;
use reqwest::StatusCode;

#[tokio::test]
async fn html_names_versioned_assets_which_are_cached_for_a_year() {
    let app = spawn_app().await;
    let page = app.get("/s/anything", None).await;
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let html = page.text().await.unwrap();
    let start = html
        .find("/assets/pages/viewer.js?v=")
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
    let stale = app.get("/assets/pages/viewer.js?v=0000", None).await;
    assert_eq!(stale.headers()["cache-control"], "no-cache");
}

/// Every module a page imports, directly or not, is also named by its
/// version and cached for a year: a repeat visit asks for nothing.
#[tokio::test]
async fn every_module_a_page_imports_is_versioned_and_cached_for_a_year() {
    let app = spawn_app().await;
    let html = app.get("/s/anything", None).await.text().await.unwrap();
    let start = html.find("/assets/pages/viewer.js?v=").unwrap();
    let entry: String = html[start..].chars().take_while(|c| *c != '"').collect();
    let mut queue = vec![reqwest::Url::parse(&app.url(&entry)).unwrap()];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(url) = queue.pop() {
        if !seen.insert(url.path().to_owned()) {
            continue;
        }
        let v = url
            .query()
            .and_then(|q| q.strip_prefix("v="))
            .unwrap()
            .to_owned();
        let res = app.http.get(url.clone()).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{url}");
        assert_eq!(
            res.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{url}"
        );
        assert_eq!(res.headers()["etag"], format!("\"{v}\"").as_str(), "{url}");
        let body = res.text().await.unwrap();
        for part in body
            .split('"')
            .filter(|p| p.ends_with(".js") || p.contains(".js?"))
        {
            if part.starts_with("./") || part.starts_with("../") {
                assert!(part.contains(".js?v="), "{url} imports {part} unversioned");
                queue.push(url.join(part).unwrap());
            }
        }
    }
    for module in [
        "/assets/lib/stream.js",
        "/assets/lib/i18n.js",
        "/assets/i18n/zh.js",
    ] {
        assert!(seen.contains(module), "{module} reached: {seen:?}");
    }
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
        .get(app.url("/assets/lib/stream.js"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let plain_len = app
        .get("/assets/lib/stream.js", None)
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

    // The session's staff may show it too (the projector view does).
    let narrator = created["invites"]["narrator"]["token"].as_str().unwrap();
    let staff = app.get(&path, Some(narrator)).await;
    assert_eq!(staff.status(), StatusCode::OK);
    assert_eq!(staff.text().await.unwrap(), svg);
    let link: serde_json::Value = app
        .get(
            &format!("/api/sessions/{slug}/invites/viewer"),
            Some(narrator),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(link["url"], created["invites"]["viewer"]["url"]);
    assert_eq!(link["join_code"], created["invites"]["viewer"]["join_code"]);
    let viewer: serde_json::Value = app
        .post_json(
            &format!("/api/sessions/{slug}/viewers"),
            None,
            serde_json::json!({"join_code": link["join_code"]}),
        )
        .await;
    let viewer = viewer["token"].as_str().unwrap();
    assert_eq!(
        app.get(&path, Some(viewer)).await.status(),
        StatusCode::FORBIDDEN,
        "a viewer cannot read the join code's carrier"
    );
    assert_eq!(
        app.get(&path, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn every_page_forbids_inline_script_and_other_origins() {
    let app = spawn_app().await;
    let created: serde_json::Value = app
        .post_json(
            "/api/sessions",
            Some(crate::helpers::ADMIN),
            serde_json::json!({"title": "Video case", "stream_url": "https://video.example.org/live/7"}),
        )
        .await;
    let slug = created["session"]["slug"].as_str().unwrap();
    let pages = [
        "/".to_owned(),
        "/admin".to_owned(),
        format!("/s/{slug}"),
        format!("/s/{slug}/narrator"),
        format!("/s/{slug}/moderator"),
        format!("/s/{slug}/specialist"),
        format!("/s/{slug}/screen"),
    ];
    for path in pages {
        let res = app.get(&path, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains("script-src 'self';"), "{path}: {csp}");
        assert!(!csp.contains("unsafe"), "{path}: {csp}");
        assert_eq!(res.headers()["referrer-policy"], "no-referrer", "{path}");
        let html = res.text().await.unwrap().to_lowercase();
        assert!(!html.contains("<script>"), "{path}: inline script");
        for attr in [" onclick=", " onload=", " onerror=", " style=\""] {
            assert!(!html.contains(attr), "{path}: inline {attr}");
        }
        let media = csp.contains("https://video.example.org");
        assert_eq!(media, path == format!("/s/{slug}"), "{path}: {csp}");
    }
    let narrator = created["invites"]["narrator"]["token"].as_str().unwrap();
    for (token, status) in [
        (Some(crate::helpers::ADMIN), StatusCode::OK),
        (Some(narrator), StatusCode::FORBIDDEN),
        (Some("nope.nope"), StatusCode::UNAUTHORIZED),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        let res = app.get("/api/admin", token).await;
        assert_eq!(res.status(), status, "the admin page's sign-in check");
    }
    let unknown = app.get(&format!("/s/{slug}/janitor"), None).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

/// The client library's list of event types is the protocol's, so a new
/// event cannot ship without the pages knowing it (and a renamed one fails here).
#[test]
fn the_client_library_knows_every_event_type_of_the_protocol() {
    let source = include_str!("../../web/lib/stream.js");
    let start = source
        .find("export const EVENT_TYPES = Object.freeze([")
        .expect("stream.js lists EVENT_TYPES");
    let list = &source[start..start + source[start..].find("]);").unwrap()];
    let mut client: Vec<&str> = list.split('"').skip(1).step_by(2).collect();
    let mut server = gallery::protocol::Event::TYPES.to_vec();
    client.sort_unstable();
    server.sort_unstable();
    assert_eq!(client, server);
}

/// Every word the pages show exists in every language (a missing one
/// would silently fall back to English).
#[test]
fn every_language_file_has_every_word() {
    let keys = |source: &str| -> std::collections::BTreeSet<String> {
        source
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"')?.split_once("\":"))
            .map(|(k, _)| k.to_owned())
            .collect()
    };
    let en = keys(include_str!("../../web/i18n/en.js"));
    assert!(en.len() > 100, "{} words", en.len());
    for (name, source) in [
        ("es", include_str!("../../web/i18n/es.js")),
        ("zh", include_str!("../../web/i18n/zh.js")),
    ] {
        let other = keys(source);
        let missing: Vec<_> = en.difference(&other).collect();
        let extra: Vec<_> = other.difference(&en).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{name}: missing {missing:?}, extra {extra:?}"
        );
    }
}
