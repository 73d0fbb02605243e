//! Narrator updates in their current form.

use crate::Result;
use crate::protocol::Update;
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct UpdateRow {
    pub session_key: i64,
    pub seq: u64,
    pub update: Update,
}

const COLUMNS: &str =
    "session_key, seq, id, text, phase, author, ts, elapsed_ms, edited_at, retracted";

fn from_row(row: &Row<'_>) -> rusqlite::Result<UpdateRow> {
    let id: String = row.get(2)?;
    Ok(UpdateRow {
        session_key: row.get(0)?,
        seq: row.get::<_, i64>(1)? as u64,
        update: Update {
            id: Uuid::parse_str(&id).unwrap_or_default(),
            text: row.get(3)?,
            phase: row.get(4)?,
            author: row.get(5)?,
            ts: row.get(6)?,
            elapsed_ms: row.get(7)?,
            edited_at: row.get(8)?,
            retracted: row.get(9)?,
        },
    })
}

pub fn insert_update(conn: &Connection, row: &UpdateRow, client_key: Option<&str>) -> Result<()> {
    let u = &row.update;
    conn.prepare_cached(
        "INSERT INTO updates (id, session_key, seq, text, phase, author, ts, elapsed_ms, client_key) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        u.id.to_string(),
        row.session_key,
        row.seq as i64,
        u.text,
        u.phase,
        u.author,
        u.ts,
        u.elapsed_ms,
        client_key
    ])?;
    Ok(())
}

/// Writes back an edit or a retraction.
pub fn save_update(conn: &Connection, u: &Update) -> Result<()> {
    conn.execute(
        "UPDATE updates SET text = ?2, edited_at = ?3, retracted = ?4 WHERE id = ?1",
        params![u.id.to_string(), u.text, u.edited_at, u.retracted],
    )?;
    Ok(())
}

pub fn update_by_id(conn: &Connection, session_key: i64, id: Uuid) -> Result<Option<UpdateRow>> {
    let sql = format!("SELECT {COLUMNS} FROM updates WHERE id = ?1 AND session_key = ?2");
    Ok(conn
        .query_row(&sql, params![id.to_string(), session_key], from_row)
        .optional()?)
}

pub fn update_by_client_key(
    conn: &Connection,
    session_key: i64,
    client_key: &str,
) -> Result<Option<UpdateRow>> {
    let sql = format!("SELECT {COLUMNS} FROM updates WHERE session_key = ?1 AND client_key = ?2");
    Ok(conn
        .query_row(&sql, params![session_key, client_key], from_row)
        .optional()?)
}

/// Records that the event at `seq` carries this update's text.
pub fn link_update_event(conn: &Connection, update_id: Uuid, seq: u64) -> Result<()> {
    conn.prepare_cached("INSERT INTO update_events (update_id, seq) VALUES (?1, ?2)")?
        .execute(params![update_id.to_string(), seq as i64])?;
    Ok(())
}

/// The seqs of the events that carry this update's text, oldest first.
pub fn update_event_seqs(conn: &Connection, update_id: Uuid) -> Result<Vec<u64>> {
    let mut stmt =
        conn.prepare_cached("SELECT seq FROM update_events WHERE update_id = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([update_id.to_string()], |r| Ok(r.get::<_, i64>(0)? as u64))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
