//! The audit trail's rows: appended in the writer's transaction, chained to
//! the session's previous row, read back for export and verification.

use crate::Result;
use crate::domain::audit::{self, AuditRecord, ChainedRow};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

/// A stored audit row, as exported.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRow {
    pub id: i64,
    #[serde(flatten)]
    pub record: AuditRecord,
    pub prev_hash: String,
    pub hash: String,
}

pub(super) fn append(conn: &Connection, session_key: i64, record: &AuditRecord) -> Result<()> {
    let prev: String = conn
        .prepare_cached("SELECT hash FROM audit WHERE session_key = ?1 ORDER BY id DESC LIMIT 1")?
        .query_row([session_key], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| audit::GENESIS.to_owned());
    let hash = audit::chain_hash(&prev, record);
    conn.prepare_cached(
        "INSERT INTO audit (session_key, ts, session, actor_role, actor_label, action, \
         subject_id, before, after, reason, prev_hash, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        session_key,
        record.ts,
        record.session,
        record.actor_role,
        record.actor_label,
        record.action,
        record.subject_id,
        record.before,
        record.after,
        record.reason,
        prev,
        hash,
    ])?;
    Ok(())
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        id: row.get(0)?,
        record: AuditRecord {
            ts: row.get(1)?,
            session: row.get(2)?,
            actor_role: row.get(3)?,
            actor_label: row.get(4)?,
            action: row.get(5)?,
            subject_id: row.get(6)?,
            before: row.get(7)?,
            after: row.get(8)?,
            reason: row.get(9)?,
        },
        prev_hash: row.get(10)?,
        hash: row.get(11)?,
    })
}

/// A session's audit rows, oldest first.
pub fn audit_rows(conn: &Connection, session_key: i64) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, ts, session, actor_role, actor_label, action, subject_id, before, after, \
         reason, prev_hash, hash FROM audit WHERE session_key = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([session_key], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What checking one session's chain found.
#[derive(Debug, Clone)]
pub struct ChainReport {
    pub session: String,
    pub rows: usize,
    pub broken: Option<audit::Broken>,
}

/// Checks every session's chain (each from its own genesis).
pub fn verify_audit(conn: &Connection) -> Result<Vec<ChainReport>> {
    let sessions: Vec<(i64, String)> = conn
        .prepare("SELECT key, slug FROM sessions ORDER BY key")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut reports = Vec::new();
    for (key, slug) in sessions {
        let rows = audit_rows(conn, key)?;
        let chained = rows.iter().map(|r| ChainedRow {
            id: r.id,
            record: &r.record,
            prev_hash: &r.prev_hash,
            hash: &r.hash,
        });
        let (count, broken) = match audit::verify(chained) {
            Ok(count) => (count, None),
            Err(broken) => (rows.len(), Some(broken)),
        };
        reports.push(ChainReport {
            session: slug,
            rows: count,
            broken,
        });
    }
    Ok(reports)
}
