//! HTTPS and WSS with a certificate generated in the test.

use crate::helpers::*;
use rustls::pki_types::{CertificateDer, ServerName};
use std::sync::Arc;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

#[tokio::test]
async fn a_client_follows_a_stream_over_wss() {
    let dir = tempfile::tempdir().unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let cert_path = dir.path().join("cert.pem");
    let key_path = dir.path().join("key.pem");
    std::fs::write(&cert_path, certified.cert.pem()).unwrap();
    std::fs::write(&key_path, certified.signing_key.serialize_pem()).unwrap();
    let app = spawn_app_with(|c| {
        c.tls.cert = Some(cert_path.clone());
        c.tls.key = Some(key_path.clone());
    })
    .await;
    assert!(app.base.starts_with("https://"));

    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from(certified.cert.der().to_vec()))
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = TlsConnector::from(Arc::new(config));
    let connect = || async {
        let tcp = TcpStream::connect(app.addr).await.unwrap();
        connector
            .connect(ServerName::try_from("localhost").unwrap(), tcp)
            .await
            .expect("TLS handshake")
    };

    let (mut ws, _) = tokio_tungstenite::client_async(
        "wss://localhost/api/sessions/none/stream",
        connect().await,
    )
    .await
    .map(|(ws, r)| (Some(ws), r))
    .unwrap_or_else(|e| match e {
        tokio_tungstenite::tungstenite::Error::Http(res) => {
            assert_eq!(
                res.status(),
                404,
                "the unknown session is refused over TLS too"
            );
            (None, res.map(|_| None))
        }
        other => panic!("{other}"),
    });
    assert!(ws.take().is_none());

    let admin = {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut tls = connect().await;
        let body = r#"{"title":"Secure case","slug":"secure"}"#;
        let request = format!(
            "POST /api/sessions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {ADMIN}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        tls.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        tls.read_to_string(&mut response).await.ok();
        response
    };
    assert!(admin.starts_with("HTTP/1.1 201"), "{admin}");

    let (mut ws, _) = tokio_tungstenite::client_async(
        "wss://localhost/api/sessions/secure/stream",
        connect().await,
    )
    .await
    .unwrap();
    use futures_util::StreamExt;
    let hello = ws.next().await.unwrap().unwrap().into_text().unwrap();
    let hello: serde_json::Value = serde_json::from_str(&hello).unwrap();
    assert_eq!(
        (hello["type"].as_str(), hello["session"]["slug"].as_str()),
        (Some("hello"), Some("secure"))
    );
    app.stop().await;
}
