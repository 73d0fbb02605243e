//! Texts the privacy screen held for a moderator. Only a [`Held`] text can
//! be stored here, so nothing reaches this table without being screened.

use crate::Result;
use crate::domain::screen::{Finding, Held};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

/// A held item and where it stands.
#[derive(Debug, Clone)]
pub struct HeldRow {
    pub item: HeldRecord,
    pub open: bool,
}

/// What was held: a narrator's update (or edit), or a specialist's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldOf {
    Update,
    Answer,
}

impl HeldOf {
    fn as_str(self) -> &'static str {
        match self {
            HeldOf::Update => "update",
            HeldOf::Answer => "answer",
        }
    }
}

/// A text held for a moderator, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldRecord {
    pub id: Uuid,
    pub kind: HeldOf,
    pub text: String,
    pub flags: Vec<Finding>,
    pub author: String,
    pub created_at: String,
    pub update_id: Option<Uuid>,
    pub question_id: Option<Uuid>,
    pub phase: Option<String>,
}

/// What is stored for a newly held text.
pub struct NewHeld<'a, T> {
    pub id: Uuid,
    pub session_key: i64,
    pub kind: HeldOf,
    pub text: &'a Held<T>,
    pub author: &'a str,
    pub created_at: &'a str,
    pub phase: Option<&'a str>,
    pub update_id: Option<Uuid>,
    pub question_id: Option<Uuid>,
    pub client_key: Option<&'a str>,
}

const COLUMNS: &str =
    "id, kind, text, flags, author, created_at, update_id, question_id, phase, status";

fn uuid(s: Option<String>) -> Option<Uuid> {
    s.and_then(|s| Uuid::parse_str(&s).ok())
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<HeldRow> {
    let kind: String = row.get(1)?;
    let flags: String = row.get(3)?;
    let status: String = row.get(9)?;
    Ok(HeldRow {
        item: HeldRecord {
            id: uuid(row.get(0)?).unwrap_or_default(),
            kind: if kind == "answer" {
                HeldOf::Answer
            } else {
                HeldOf::Update
            },
            text: row.get(2)?,
            flags: serde_json::from_str::<Vec<Finding>>(&flags).unwrap_or_default(),
            author: row.get(4)?,
            created_at: row.get(5)?,
            update_id: uuid(row.get(6)?),
            question_id: uuid(row.get(7)?),
            phase: row.get(8)?,
        },
        open: status == "held",
    })
}

pub fn insert_held<T: AsRef<str>>(conn: &Connection, new: &NewHeld<'_, T>) -> Result<HeldRecord> {
    let flags = new.text.verdict().findings.clone();
    conn.prepare_cached(
        "INSERT INTO held_items (id, session_key, kind, text, flags, author, created_at, phase, \
         update_id, question_id, client_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        new.id.to_string(),
        new.session_key,
        new.kind.as_str(),
        new.text.as_str(),
        serde_json::to_string(&flags).map_err(crate::Error::internal)?,
        new.author,
        new.created_at,
        new.phase,
        new.update_id.map(|u| u.to_string()),
        new.question_id.map(|u| u.to_string()),
        new.client_key,
    ])?;
    Ok(HeldRecord {
        id: new.id,
        kind: new.kind,
        text: new.text.as_str().to_owned(),
        flags,
        author: new.author.to_owned(),
        created_at: new.created_at.to_owned(),
        update_id: new.update_id,
        question_id: new.question_id,
        phase: new.phase.map(str::to_owned),
    })
}

pub fn held_by_id(conn: &Connection, session_key: i64, id: Uuid) -> Result<Option<HeldRow>> {
    let sql = format!("SELECT {COLUMNS} FROM held_items WHERE id = ?1 AND session_key = ?2");
    Ok(conn
        .query_row(&sql, params![id.to_string(), session_key], from_row)
        .optional()?)
}

pub fn held_by_client_key(
    conn: &Connection,
    session_key: i64,
    client_key: &str,
) -> Result<Option<HeldRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM held_items WHERE session_key = ?1 AND client_key = ?2");
    Ok(conn
        .query_row(&sql, params![session_key, client_key], from_row)
        .optional()?)
}

/// The items still waiting for a moderator, oldest first.
pub fn open_held(conn: &Connection, session_key: i64) -> Result<Vec<HeldRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM held_items WHERE session_key = ?1 AND status = 'held' \
         ORDER BY created_at, rowid"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([session_key], from_row)?;
    Ok(rows
        .map(|r| r.map(|h| h.item))
        .collect::<rusqlite::Result<_>>()?)
}

/// Marks an open item released or discarded; false when it was not open.
pub fn resolve_held(
    conn: &Connection,
    id: Uuid,
    released: bool,
    at: &str,
    reason: Option<&str>,
) -> Result<bool> {
    let status = if released { "released" } else { "discarded" };
    let changed = conn.execute(
        "UPDATE held_items SET status = ?2, resolved_at = ?3, reason = ?4 \
         WHERE id = ?1 AND status = 'held'",
        params![id.to_string(), status, at, reason],
    )?;
    Ok(changed == 1)
}
