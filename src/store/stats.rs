//! The question queue's figures, counted in SQL.

use crate::Result;
use rusqlite::Connection;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueCounts {
    pub pending: u64,
    pub held: u64,
    pub approved: u64,
    pub answered: u64,
    pub rejected: u64,
    /// Every question asked, muted askers' excepted.
    pub received: u64,
    pub median_wait_approve_ms: Option<i64>,
    pub median_wait_answer_ms: Option<i64>,
}

fn median(conn: &Connection, session_key: i64, until: &str) -> Result<Option<i64>> {
    let sql = format!(
        "SELECT {until} - created_ms FROM questions \
         WHERE session_key = ?1 AND {until} IS NOT NULL AND muted = 0 ORDER BY 1"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let waits: Vec<i64> = stmt
        .query_map([session_key], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(match waits.len() {
        0 => None,
        n if n % 2 == 1 => Some(waits[n / 2]),
        n => Some((waits[n / 2 - 1] + waits[n / 2]) / 2),
    })
}

pub fn queue_counts(conn: &Connection, session_key: i64) -> Result<QueueCounts> {
    let mut counts = QueueCounts::default();
    let mut stmt = conn.prepare_cached(
        "SELECT status, COUNT(*) FROM questions WHERE session_key = ?1 AND muted = 0 \
         GROUP BY status",
    )?;
    let rows = stmt.query_map([session_key], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
    })?;
    for row in rows {
        let (status, n) = row?;
        counts.received += n;
        match status.as_str() {
            "pending" => counts.pending = n,
            "held" => counts.held = n,
            "approved" | "answering" => counts.approved += n,
            "answered" => counts.answered = n,
            "rejected" => counts.rejected = n,
            _ => {}
        }
    }
    counts.median_wait_approve_ms = median(conn, session_key, "approved_ms")?;
    counts.median_wait_answer_ms = median(conn, session_key, "answered_ms")?;
    Ok(counts)
}
