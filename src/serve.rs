//! The accept loop: serves HTTP on each accepted connection with the limits
//! that axum's `serve` does not set. A client must send its request headers
//! within `header_read_timeout_ms` (else the connection is closed), and one
//! address may hold at most `max_http_connections_per_ip` connections at
//! once (more are closed at accept, and counted). Shutdown stops accepting
//! and lets open connections finish, as before.

use crate::config::Limits;
use crate::http::PeerAddr;
use crate::metrics::Metrics;
use crate::tls::GalleryListener;
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::serve::Listener;
use dashmap::DashMap;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::IpAddr;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// Open HTTP connections per client address (IPv6: per /64).
#[derive(Default)]
struct PerAddress(DashMap<IpAddr, usize>);

struct Slot {
    table: Arc<PerAddress>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let dashmap::Entry::Occupied(mut e) = self.table.0.entry(self.ip) {
            *e.get_mut() -= 1;
            if *e.get() == 0 {
                e.remove();
            }
        }
    }
}

fn take_slot(table: &Arc<PerAddress>, ip: IpAddr, max: usize) -> Option<Slot> {
    let mut count = table.0.entry(ip).or_insert(0);
    if *count >= max {
        return None;
    }
    *count += 1;
    Some(Slot {
        table: table.clone(),
        ip,
    })
}

pub async fn serve(
    mut listener: GalleryListener,
    router: Router,
    limits: &Limits,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) {
    let header_timeout = Duration::from_millis(limits.header_read_timeout_ms);
    let max_per_ip = limits.max_http_connections_per_ip;
    let table = Arc::new(PerAddress::default());
    let (close_tx, close_rx) = watch::channel(());
    loop {
        let (io, peer) = tokio::select! {
            accepted = listener.accept() => accepted,
            () = shutdown.cancelled() => break,
        };
        let address = crate::net::client_group(peer.ip());
        let Some(slot) = take_slot(&table, address, max_per_ip) else {
            metrics.refused_http_connections.fetch_add(1, Relaxed);
            tracing::warn!(client = %address, "refused a connection: too many open from this address");
            drop(io);
            continue;
        };
        let service =
            router
                .clone()
                .map_request(move |mut request: axum::http::Request<Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(PeerAddr(peer)));
                    request.map(Body::new)
                });
        let hyper_service = TowerToHyperService::new(service);
        let stopping = shutdown.clone();
        let close_rx = close_rx.clone();
        let metrics = metrics.clone();
        tokio::spawn(async move {
            // HTTP/1.1 only (TLS offers no other): the header read timeout
            // starts with the connection, so a client that sends nothing at
            // all is closed as well.
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let mut conn = pin!(
                builder
                    .serve_connection(TokioIo::new(io), hyper_service)
                    .with_upgrades()
            );
            let mut stop = pin!(stopping.cancelled_owned());
            let mut stopped = false;
            loop {
                tokio::select! {
                    result = conn.as_mut() => {
                        if let Err(e) = result
                            && e.is_timeout()
                        {
                            metrics.header_timeouts.fetch_add(1, Relaxed);
                        }
                        break;
                    }
                    () = &mut stop, if !stopped => {
                        stopped = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
            drop(slot);
            drop(close_rx);
        });
    }
    drop(close_rx);
    drop(listener);
    close_tx.closed().await;
}
