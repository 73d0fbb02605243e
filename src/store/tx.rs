//! The write handle: the only way to change the database. Everything a use
//! case writes goes through it inside one group-commit transaction, and it
//! collects what must happen after the commit (the outbox: events for the
//! hub, and work such as telling the coalescer what changed, which must not
//! look before the change is visible) and the audit rows, so no use case
//! can forget either.

use super::{Channel, StoredEvent, audit, events};
use crate::Result;
use crate::domain::audit::AuditRecord;
use rusqlite::Connection;

pub struct Tx<'c> {
    conn: &'c Connection,
    outbox: Vec<StoredEvent>,
    after: Vec<AfterCommit>,
}

/// Work run once the transaction has committed (never if it did not).
pub type AfterCommit = Box<dyn FnOnce() + Send>;

/// What a write leaves for after its commit.
#[derive(Default)]
pub struct Outbox {
    pub events: Vec<StoredEvent>,
    pub after: Vec<AfterCommit>,
}

impl<'c> Tx<'c> {
    pub(super) fn new(conn: &'c Connection) -> Self {
        Self {
            conn,
            outbox: Vec::new(),
            after: Vec::new(),
        }
    }

    /// The transaction's connection, for the store's own functions.
    pub fn db(&self) -> &'c Connection {
        self.conn
    }

    /// Appends a public event to the session's history under its next
    /// `seq` (given to `build`); it is published after the commit.
    pub fn append_event(
        &mut self,
        session_key: i64,
        build: impl FnOnce(u64) -> String,
    ) -> Result<u64> {
        let event = events::append(self.conn, session_key, Channel::Public, build)?;
        let seq = event.seq;
        self.outbox.push(event);
        Ok(seq)
    }

    /// Appends a staff event under the session's next `staff_seq`.
    pub fn append_staff(
        &mut self,
        session_key: i64,
        build: impl FnOnce(u64) -> String,
    ) -> Result<u64> {
        let event = events::append(self.conn, session_key, Channel::Staff, build)?;
        let seq = event.seq;
        self.outbox.push(event);
        Ok(seq)
    }

    /// Replaces a public event's stored body (an edit or retraction
    /// scrubbing old text); the hub swaps it into its ring.
    pub fn rewrite_event(&mut self, session_key: i64, seq: u64, body: String) -> Result<()> {
        let event = events::rewrite(self.conn, session_key, seq, body)?;
        self.outbox.push(event);
        Ok(())
    }

    /// A live event (not history) for one audience, sent after the commit.
    pub fn live(&mut self, session_key: i64, channel: Channel, body: String) {
        debug_assert!(!matches!(
            channel,
            Channel::Public | Channel::Staff | Channel::Rewrite
        ));
        self.outbox.push(StoredEvent {
            session_key,
            seq: 0,
            body,
            channel,
        });
    }

    /// Writes an audit row in this transaction, chained to the session's
    /// previous one.
    pub fn audit(&mut self, session_key: i64, record: &AuditRecord) -> Result<()> {
        audit::append(self.conn, session_key, record)
    }

    /// Runs `f` after the commit, once what this transaction wrote can be
    /// read (a reader that looks sooner sees the old state).
    pub fn after_commit(&mut self, f: impl FnOnce() + Send + 'static) {
        self.after.push(Box::new(f));
    }

    pub(super) fn into_outbox(self) -> Outbox {
        Outbox {
            events: self.outbox,
            after: self.after,
        }
    }
}
