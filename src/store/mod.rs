//! The system of record: one SQLite file (WAL) under the data directory.
//!
//! All writes go through one writer thread that folds whatever is queued into
//! a single transaction (group commit) and, only after the commit, hands the
//! new events to a [`CommitListener`] (the hub) in seq order. Reads use a small
//! pool of read-only connections so they never wait for a commit.

mod audit;
mod events;
mod held;
mod questions;
mod readers;
mod schema;
mod sessions;
mod stats;
mod tx;
mod updates;
mod votes;
mod writer;

pub use audit::{AuditRow, ChainReport, audit_rows, verify_audit};
pub use events::{event_body, events_after};
pub use held::{
    HeldOf, HeldRecord, HeldRow, NewHeld, held_by_client_key, held_by_id, insert_held, open_held,
    resolve_held,
};
pub use questions::{
    Checked, QuestionFilter, QuestionRow, StoredAnswer, add_asker, askers, insert_question,
    is_muted, list_questions, now_answering, question_by_client_key, question_by_id,
    questions_by_ids, questions_of, save_question, set_muted, viewer_exists,
};
pub use sessions::{
    Credential, NewSession, SessionRow, credential, expire_viewers, insert_credential,
    insert_session, list_sessions, meta_get, meta_set, revoke_role, session_by_slug, set_join_code,
    set_state,
};
pub use stats::{QueueCounts, queue_counts};
pub use tx::Tx;
pub use updates::{
    StoredUpdate, UpdateRow, current_phase, flagged_updates, insert_update, link_update_event,
    save_edit, save_retraction, update_by_client_key, update_by_id, update_event_seqs,
};
pub use votes::{merge_votes, set_vote, vote_counts};

use crate::config::StoreConfig;
use crate::metrics::Metrics;
use crate::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::Arc;

/// Where a committed event goes: a history (public `seq` or staff
/// `staff_seq`), or live to one audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The session's public history.
    Public,
    /// A rewrite of a public event already published (an edit or retraction
    /// scrubbing old text), not a new one.
    Rewrite,
    /// The staff history (moderators and the specialist).
    Staff,
    /// Live to everyone following the session.
    PublicLive,
    /// Live to staff streams.
    StaffLive,
    /// Live to the streams of one viewer.
    Viewer(uuid::Uuid),
}

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 64;

/// An event committed in a write, in its wire form; `seq` is 0 for live ones.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub session_key: i64,
    pub seq: u64,
    pub body: String,
    pub channel: Channel,
}

/// Told about every committed event, in commit (and so seq) order.
pub trait CommitListener: Send + Sync + 'static {
    fn committed(&self, events: &[StoredEvent]);
}

/// Whether the database answers a trivial read.
pub fn ping(conn: &Connection) -> Result<()> {
    conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?;
    Ok(())
}

/// A cheap, cloneable handle to the database.
#[derive(Clone)]
pub struct Store {
    writer: writer::Writer,
    readers: Arc<readers::Readers>,
}

impl Store {
    pub fn open(
        data_dir: &Path,
        config: &StoreConfig,
        metrics: Arc<Metrics>,
        listener: Option<Arc<dyn CommitListener>>,
    ) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)?;
        let path = data_dir.join("gallery.db");
        let mut conn = Connection::open(&path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", &config.synchronous)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Room for every statement the store prepares (about 40), so that a
        // hot one is never prepared again because others pushed it out.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        schema::migrate(&mut conn)?;
        let readers = (0..config.readers.max(1))
            .map(|_| {
                let c = Connection::open_with_flags(
                    &path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.busy_timeout(std::time::Duration::from_secs(5))?;
                c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
                Ok(c)
            })
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Self {
            writer: writer::Writer::start(
                conn,
                writer::Batching {
                    max: config.max_batch.max(1),
                    delay: std::time::Duration::from_micros(config.commit_delay_us),
                },
                writer::QueueLimit {
                    max: config.max_queue,
                    wait: std::time::Duration::from_millis(config.queue_wait_ms),
                },
                metrics,
                listener,
            )?,
            readers: Arc::new(readers::Readers::new(readers)),
        })
    }

    /// Runs `f` inside the next group-commit transaction. `f`'s changes are
    /// undone if it fails; the events it put in the outbox are published
    /// once the commit is durable. Nothing slow belongs in `f`: there is one
    /// writer.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx<'_>) -> Result<T> + Send + 'static,
    {
        self.writer.submit(f).await
    }

    /// Runs `f` on a read-only connection, off the async threads.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || readers.with(f))
            .await
            .map_err(Error::internal)?
    }

    /// Runs a point lookup (one row by key, microseconds) on the calling
    /// thread when a reader is free, saving two thread hand-offs per
    /// request; otherwise as [`Store::read`]. WAL readers never wait for the
    /// writer, so this does not block the async thread on a commit.
    pub async fn lookup<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let mut f = Some(f);
        let quick = self
            .readers
            .try_with(|c| (f.take().expect("called once"))(c));
        match (quick, f) {
            (Some(result), _) => result,
            (None, Some(f)) => self.read(f).await,
            (None, None) => Err(Error::internal(anyhow::anyhow!("lookup ran twice"))),
        }
    }

    /// Writes waiting for the writer or being committed.
    pub fn queued_writes(&self) -> usize {
        self.writer.queued()
    }

    /// Finishes every queued write, then stops the writer thread.
    pub async fn close(&self) {
        self.writer.stop().await;
    }
}
