//! The per-session event logs: the public history (`seq`) and the staff
//! history (`staff_seq`), each from 1 with no gaps, bodies stored exactly as
//! they were broadcast.

use super::{Channel, StoredEvent};
use crate::Result;
use rusqlite::{Connection, params};

/// The table and head column of a history.
fn log(channel: Channel) -> (&'static str, &'static str) {
    match channel {
        Channel::Staff => ("staff_events", "staff_head"),
        _ => ("events", "head"),
    }
}

/// Takes the history's next seq, lets `build` render the event with it, and
/// appends the result. Runs inside the writer's transaction.
pub(super) fn append(
    conn: &Connection,
    session_key: i64,
    channel: Channel,
    build: impl FnOnce(u64) -> String,
) -> Result<StoredEvent> {
    let (table, head) = log(channel);
    let seq: i64 = conn
        .prepare_cached(&format!(
            "UPDATE sessions SET {head} = {head} + 1 WHERE key = ?1 RETURNING {head}"
        ))?
        .query_row([session_key], |r| r.get(0))?;
    let seq = seq as u64;
    let body = build(seq);
    conn.prepare_cached(&format!(
        "INSERT INTO {table} (session_key, seq, body) VALUES (?1, ?2, ?3)"
    ))?
    .execute(params![session_key, seq as i64, body])?;
    Ok(StoredEvent {
        session_key,
        seq,
        body,
        channel,
    })
}

/// Up to `limit` events of a history with seq greater than `after`, oldest
/// first.
pub fn events_after(
    conn: &Connection,
    channel: Channel,
    session_key: i64,
    after: u64,
    limit: usize,
) -> Result<Vec<(u64, String)>> {
    let (table, _) = log(channel);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT seq, body FROM {table} WHERE session_key = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![session_key, after as i64, limit as i64], |r| {
        Ok((r.get::<_, i64>(0)? as u64, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn event_body(conn: &Connection, session_key: i64, seq: u64) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT body FROM events WHERE session_key = ?1 AND seq = ?2",
            params![session_key, seq as i64],
            |r| r.get(0),
        )
        .optional()?)
}

/// Replaces a stored public event's body (same seq); the result is marked so
/// the hub swaps it into its ring instead of broadcasting it again.
pub(super) fn rewrite(
    conn: &Connection,
    session_key: i64,
    seq: u64,
    body: String,
) -> Result<StoredEvent> {
    conn.prepare_cached("UPDATE events SET body = ?3 WHERE session_key = ?1 AND seq = ?2")?
        .execute(params![session_key, seq as i64, body])?;
    Ok(StoredEvent {
        session_key,
        seq,
        body,
        channel: Channel::Rewrite,
    })
}
