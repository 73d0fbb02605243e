//! HTTPS and WSS with rustls, and the listener that accepts either plain TCP
//! or TLS connections for axum. TLS handshakes run in their own tasks so a
//! slow client cannot hold up accepting others.

use crate::http::PeerAddr;
use anyhow::Context;
use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;
use tokio_util::either::Either;

const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

pub fn server_config(cert: &Path, key: &Path) -> anyhow::Result<ServerConfig> {
    let certs = CertificateDer::pem_file_iter(cert)
        .with_context(|| format!("reading certificate {}", cert.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("parsing certificate {}", cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(key)
        .with_context(|| format!("reading private key {}", key.display()))?;
    let mut config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .context("certificate and key do not match")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Accepts plain or TLS connections. The TLS stream is boxed so that plain
/// connections do not pay for its size.
pub enum GalleryListener {
    Plain(TcpListener),
    Tls {
        local: SocketAddr,
        ready: mpsc::Receiver<(Box<TlsStream<TcpStream>>, SocketAddr)>,
    },
}

impl GalleryListener {
    pub fn plain(listener: TcpListener) -> Self {
        Self::Plain(listener)
    }

    pub fn tls(listener: TcpListener, config: ServerConfig) -> std::io::Result<Self> {
        let local = listener.local_addr()?;
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let (tx, ready) = mpsc::channel(128);
        tokio::spawn(async move {
            loop {
                // Stop (and free the port) as soon as the server drops the listener.
                let accepted = tokio::select! {
                    _ = tx.closed() => return,
                    accepted = accept_tcp(&listener) => accepted,
                };
                let Some((tcp, peer)) = accepted else {
                    continue;
                };
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                        Ok(Ok(stream)) => {
                            let _ = tx.send((Box::new(stream), peer)).await;
                        }
                        Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                });
            }
        });
        Ok(Self::Tls { local, ready })
    }
}

async fn accept_tcp(listener: &TcpListener) -> Option<(TcpStream, SocketAddr)> {
    match listener.accept().await {
        Ok((stream, peer)) => {
            let _ = stream.set_nodelay(true);
            Some((stream, peer))
        }
        Err(e) => {
            // Out of file descriptors or similar: back off instead of spinning.
            tracing::warn!(error = %e, "accept failed");
            tokio::time::sleep(Duration::from_millis(50)).await;
            None
        }
    }
}

impl Listener for GalleryListener {
    type Io = Either<TcpStream, Box<TlsStream<TcpStream>>>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, SocketAddr) {
        loop {
            match self {
                Self::Plain(listener) => {
                    if let Some((stream, peer)) = accept_tcp(listener).await {
                        return (Either::Left(stream), peer);
                    }
                }
                Self::Tls { ready, .. } => match ready.recv().await {
                    Some((stream, peer)) => return (Either::Right(stream), peer),
                    None => std::future::pending::<()>().await,
                },
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        match self {
            Self::Plain(listener) => listener.local_addr(),
            Self::Tls { local, .. } => Ok(*local),
        }
    }
}

impl Connected<IncomingStream<'_, GalleryListener>> for PeerAddr {
    fn connect_info(stream: IncomingStream<'_, GalleryListener>) -> Self {
        PeerAddr(*stream.remote_addr())
    }
}
