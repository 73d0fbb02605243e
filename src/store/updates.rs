//! Narrator updates in their current form.

use crate::Result;
use crate::domain::UpdateText;
use crate::domain::screen::Screened;
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct UpdateRow {
    pub session_key: i64,
    pub seq: u64,
    pub update: StoredUpdate,
}

/// An update's current form as stored (edits and retractions applied).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredUpdate {
    pub id: Uuid,
    pub text: String,
    pub phase: Option<String>,
    pub author: String,
    pub ts: String,
    pub elapsed_ms: Option<i64>,
    pub edited_at: Option<String>,
    pub retracted: bool,
}

const COLUMNS: &str =
    "session_key, seq, id, text, phase, author, ts, elapsed_ms, edited_at, retracted";

fn from_row(row: &Row<'_>) -> rusqlite::Result<UpdateRow> {
    let id: String = row.get(2)?;
    Ok(UpdateRow {
        session_key: row.get(0)?,
        seq: row.get::<_, i64>(1)? as u64,
        update: StoredUpdate {
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

/// The findings worth keeping with a published text: those a list flags
/// for moderators, or the confirmed ones (JSON), else none.
fn kept_flags(text: &Screened<UpdateText>) -> Result<Option<String>> {
    let verdict = text.verdict();
    if verdict.findings.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(&verdict.findings)
        .map(Some)
        .map_err(crate::Error::internal)
}

/// Stores a new update. Its text is the screened one: the store takes no
/// other.
pub fn insert_update(
    conn: &Connection,
    row: &UpdateRow,
    text: &Screened<UpdateText>,
    client_key: Option<&str>,
) -> Result<()> {
    let u = &row.update;
    debug_assert_eq!(u.text, text.as_str());
    conn.prepare_cached(
        "INSERT INTO updates (id, session_key, seq, text, phase, author, ts, elapsed_ms, client_key, flags) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        u.id.to_string(),
        row.session_key,
        row.seq as i64,
        text.as_str(),
        u.phase,
        u.author,
        u.ts,
        u.elapsed_ms,
        client_key,
        kept_flags(text)?,
    ])?;
    Ok(())
}

/// Writes back an edit, with its screened text.
pub fn save_edit(
    conn: &Connection,
    id: Uuid,
    text: &Screened<UpdateText>,
    edited_at: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE updates SET text = ?2, edited_at = ?3, flags = ?4 WHERE id = ?1",
        params![id.to_string(), text.as_str(), edited_at, kept_flags(text)?],
    )?;
    Ok(())
}

/// Writes back a retraction: the text is gone.
pub fn save_retraction(conn: &Connection, id: Uuid) -> Result<()> {
    conn.execute(
        "UPDATE updates SET text = '', flags = NULL, retracted = 1 WHERE id = ?1",
        params![id.to_string()],
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

/// Published updates the screen found something in (a flagged phrase, or
/// identifiers their author confirmed), newest first, with the findings.
pub fn flagged_updates(conn: &Connection, session_key: i64) -> Result<Vec<(UpdateRow, String)>> {
    let sql = format!(
        "SELECT {COLUMNS}, flags FROM updates \
         WHERE session_key = ?1 AND flags IS NOT NULL AND retracted = 0 ORDER BY seq DESC"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([session_key], |r| {
        Ok((from_row(r)?, r.get::<_, String>(10)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The procedure's phase now: that of the latest update that names one.
pub fn current_phase(conn: &Connection, session_key: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT phase FROM updates WHERE session_key = ?1 AND phase IS NOT NULL \
             AND retracted = 0 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([session_key], |r| r.get(0))
        .optional()?)
}
