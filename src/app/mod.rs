//! The use cases, one module per area. Each takes validated input, checks who
//! is asking, writes through the store (which publishes to the hub after the
//! commit) and returns protocol objects.

mod access;
mod admission;
mod answers;
mod audit;
mod coalesce;
mod held;
mod history;
mod join_limit;
mod moderation;
mod presence;
mod question_limits;
mod questions;
mod revocations;
mod screening;
mod sessions;
mod stream;
mod tickets;
mod updates;
mod viewers;
mod votes;
mod wire;

pub use access::{Actor, Caller};
pub use admission::{Admission, AdmissionGuard};
pub use answers::Answered;
pub use audit::{AuditFormat, render as render_audit};
pub use coalesce::Coalescer;
pub use held::Released;
pub use join_limit::JoinLimit;
pub use presence::PresenceGuard;
pub use question_limits::QuestionLimits;
pub use revocations::Revocations;
pub use sessions::viewer_qr;
pub use stream::{OpenStream, StreamRequest};
pub use tickets::Tickets;

use crate::config::Config;
use crate::domain::screen::Screen;
use crate::hub::{Backfill, Hub};
use crate::metrics::Metrics;
use crate::store::{self, Channel, Store};
use futures_util::future::BoxFuture;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Everything a request needs; cheap to clone.
#[derive(Clone)]
pub struct App {
    config: Arc<Config>,
    store: Store,
    hub: Arc<Hub>,
    metrics: Arc<Metrics>,
    tickets: Arc<Tickets>,
    revocations: Arc<Revocations>,
    join_limit: Arc<JoinLimit>,
    admission: Arc<Admission>,
    shutdown: CancellationToken,
    limits: Arc<QuestionLimits>,
    coalescer: Arc<Coalescer>,
    roster: Arc<presence::Roster>,
    screen: Arc<Screen>,
    admin_digest: Arc<Vec<u8>>,
    base_url: Arc<str>,
    backfill: Arc<dyn Backfill>,
    staff_backfill: Arc<dyn Backfill>,
    epoch: Arc<str>,
}

/// The admin token generated on first start, to be shown once.
pub struct NewAdminToken(pub String);

impl App {
    /// Opens the store and the hub. When no admin token is configured and none
    /// was generated before, one is generated and returned to be printed once.
    pub async fn open(
        config: Config,
        base_url: String,
    ) -> anyhow::Result<(Self, Option<NewAdminToken>)> {
        let screen = Arc::new(Screen::new(config.screening.policy()?));
        let metrics = Arc::new(Metrics::default());
        let hub = Hub::new(config.stream.clone(), metrics.clone());
        let store = Store::open(
            &config.data_dir,
            &config.store,
            metrics.clone(),
            Some(hub.clone()),
        )?;
        let (admin_digest, generated) =
            access::admin_digest(&store, config.admin_token.as_deref()).await?;
        let epoch = access::epoch(&store).await?;
        let backfill: Arc<dyn Backfill> = Arc::new(StoreBackfill(store.clone(), Channel::Public));
        let staff_backfill: Arc<dyn Backfill> =
            Arc::new(StoreBackfill(store.clone(), Channel::Staff));
        let join_limit = Arc::new(JoinLimit::new(
            config.limits.viewer_joins_per_minute,
            config.limits.viewer_join_burst,
        ));
        let limits = Arc::new(QuestionLimits::new(&config.questions, metrics.clone()));
        let app = Self {
            limits,
            admission: Arc::new(Admission::new(&config.limits)),
            config: Arc::new(config),
            store,
            hub,
            metrics,
            tickets: Arc::new(Tickets::default()),
            revocations: Arc::new(Revocations::default()),
            join_limit,
            shutdown: CancellationToken::new(),
            coalescer: Arc::default(),
            roster: Arc::default(),
            screen,
            admin_digest: Arc::new(admin_digest),
            base_url: base_url.trim_end_matches('/').into(),
            backfill,
            staff_backfill,
            epoch: epoch.into(),
        };
        Ok((app, generated))
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    /// Cancelled when the server begins to stop.
    pub fn shutdown(&self) -> &CancellationToken {
        &self.shutdown
    }

    /// Drops expired tickets and rate-limiter keys back under their limits.
    pub fn sweep(&self) {
        self.tickets.sweep();
        self.join_limit.sweep();
        self.limits.sweep();
    }

    /// A single-use stream ticket for this token holder.
    pub fn issue_ticket(&self, actor: Actor) -> String {
        self.tickets.issue(actor)
    }

    /// Takes one viewer join for this client address, or 429.
    pub fn check_join(&self, client: std::net::IpAddr) -> crate::Result<()> {
        self.join_limit.check(client).inspect_err(|_| {
            self.metrics
                .rate_limited
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            tracing::warn!(client = %crate::net::client_group(client), "viewer joins rate-limited");
        })
    }

    /// Whether the database answers a read.
    pub async fn database_answers(&self) -> bool {
        self.store.read(store::ping).await.is_ok()
    }

    /// Writes waiting for the writer or being committed.
    pub fn store_queue_depth(&self) -> usize {
        self.store.queued_writes()
    }

    /// Finishes queued writes and stops the writer.
    pub async fn close_store(&self) {
        self.store.close().await;
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn backfill(&self) -> Arc<dyn Backfill> {
        self.backfill.clone()
    }

    /// This database's epoch: a stream client that sees it change knows its
    /// `since` and `staff_since` no longer apply.
    pub fn epoch(&self) -> &str {
        &self.epoch
    }

    fn staff_backfill(&self) -> Arc<dyn Backfill> {
        self.staff_backfill.clone()
    }
}

/// Reads one history (public or staff) back from the store.
struct StoreBackfill(Store, Channel);

impl Backfill for StoreBackfill {
    fn events_after(
        &self,
        session_key: i64,
        after: u64,
        limit: usize,
    ) -> BoxFuture<'static, crate::Result<Vec<(u64, String)>>> {
        let (store, channel) = (self.0.clone(), self.1);
        Box::pin(async move {
            store
                .read(move |c| store::events_after(c, channel, session_key, after, limit))
                .await
        })
    }
}
