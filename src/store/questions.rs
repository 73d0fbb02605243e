//! Viewers' questions in their current form, who asked them, and muted
//! viewers. Texts arrive screened: the store takes a [`Checked`] text only.

use crate::Result;
use crate::domain::QuestionText;
use crate::domain::question::QuestionStatus;
use crate::domain::screen::{Finding, Held, Screened};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

/// A question as stored.
#[derive(Debug, Clone)]
pub struct QuestionRow {
    pub id: Uuid,
    pub session_key: i64,
    pub viewer_id: Uuid,
    /// The asker's name, when not asked anonymously.
    pub author: Option<String>,
    pub text: String,
    pub flags: Vec<Finding>,
    pub status: QuestionStatus,
    pub votes: i64,
    pub starred: bool,
    pub version: i64,
    pub muted: bool,
    pub created_at: String,
    pub created_ms: i64,
    pub phase: Option<String>,
    pub elapsed_ms: Option<i64>,
    pub reason: Option<String>,
    pub into: Option<Uuid>,
    pub approved_ms: Option<i64>,
    pub answered_ms: Option<i64>,
    pub answer: Option<StoredAnswer>,
}

#[derive(Debug, Clone)]
pub struct StoredAnswer {
    pub text: String,
    pub author: String,
    pub ts: String,
    pub seq: u64,
}

/// A text that went through the privacy screen: clear to queue, or held
/// for a moderator.
pub enum Checked<'a> {
    Clear(&'a Screened<QuestionText>),
    Held(&'a Held<QuestionText>),
}

impl Checked<'_> {
    pub fn text(&self) -> &str {
        match self {
            Checked::Clear(t) => t.as_str(),
            Checked::Held(t) => t.as_str(),
        }
    }

    pub fn findings(&self) -> &[Finding] {
        match self {
            Checked::Clear(t) => &t.verdict().findings,
            Checked::Held(t) => &t.verdict().findings,
        }
    }
}

const COLUMNS: &str = "id, session_key, viewer_id, author, text, flags, status, votes, starred, \
     version, muted, created_at, created_ms, phase, elapsed_ms, reason, into_id, approved_ms, \
     answered_ms, answer_text, answer_author, answer_ts, answer_seq";

fn uuid(s: Option<String>) -> Option<Uuid> {
    s.and_then(|s| Uuid::parse_str(&s).ok())
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<QuestionRow> {
    let flags: Option<String> = r.get(5)?;
    let status: String = r.get(6)?;
    let answer_text: Option<String> = r.get(19)?;
    Ok(QuestionRow {
        id: uuid(r.get(0)?).unwrap_or_default(),
        session_key: r.get(1)?,
        viewer_id: uuid(r.get(2)?).unwrap_or_default(),
        author: r.get(3)?,
        text: r.get(4)?,
        flags: flags
            .and_then(|f| serde_json::from_str(&f).ok())
            .unwrap_or_default(),
        status: QuestionStatus::parse(&status).unwrap_or(QuestionStatus::Pending),
        votes: r.get(7)?,
        starred: r.get(8)?,
        version: r.get(9)?,
        muted: r.get(10)?,
        created_at: r.get(11)?,
        created_ms: r.get(12)?,
        phase: r.get(13)?,
        elapsed_ms: r.get(14)?,
        reason: r.get(15)?,
        into: uuid(r.get(16)?),
        approved_ms: r.get(17)?,
        answered_ms: r.get(18)?,
        answer: match answer_text {
            Some(text) => Some(StoredAnswer {
                text,
                author: r.get::<_, Option<String>>(20)?.unwrap_or_default(),
                ts: r.get::<_, Option<String>>(21)?.unwrap_or_default(),
                seq: r.get::<_, Option<i64>>(22)?.unwrap_or(0) as u64,
            }),
            None => None,
        },
    })
}

fn flags_json(flags: &[Finding]) -> Result<Option<String>> {
    if flags.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(flags)
        .map(Some)
        .map_err(crate::Error::internal)
}

/// Stores a new question (its text as screened) and its asker.
pub fn insert_question(
    conn: &Connection,
    row: &QuestionRow,
    text: Checked<'_>,
    client_key: Option<&str>,
) -> Result<()> {
    debug_assert_eq!(row.text, text.text());
    conn.prepare_cached(
        "INSERT INTO questions (id, session_key, viewer_id, author, text, flags, status, muted, \
         created_at, created_ms, phase, elapsed_ms, client_key) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        row.id.to_string(),
        row.session_key,
        row.viewer_id.to_string(),
        row.author,
        text.text(),
        flags_json(text.findings())?,
        row.status.as_str(),
        row.muted,
        row.created_at,
        row.created_ms,
        row.phase,
        row.elapsed_ms,
        client_key,
    ])?;
    add_asker(conn, row.id, row.viewer_id)
}

/// Writes back a question's new state if it is still at `expected`
/// version; false when another change got there first. The version goes
/// up by one. A new text (a moderator's edit) must be screened.
pub fn save_question(
    conn: &Connection,
    row: &QuestionRow,
    expected: i64,
    new_text: Option<&Screened<QuestionText>>,
) -> Result<bool> {
    if let Some(text) = new_text {
        conn.prepare_cached(
            "UPDATE questions SET text = ?2, flags = ?3 WHERE id = ?1 AND version = ?4",
        )?
        .execute(params![
            row.id.to_string(),
            text.as_str(),
            flags_json(&text.verdict().findings)?,
            expected
        ])?;
    }
    let answer = row.answer.as_ref();
    let changed = conn
        .prepare_cached(
            "UPDATE questions SET status = ?3, starred = ?4, reason = ?5, into_id = ?6, \
             approved_ms = ?7, answered_ms = ?8, answer_text = ?9, answer_author = ?10, \
             answer_ts = ?11, answer_seq = ?12, muted = ?13, version = version + 1 \
             WHERE id = ?1 AND version = ?2",
        )?
        .execute(params![
            row.id.to_string(),
            expected,
            row.status.as_str(),
            row.starred,
            row.reason,
            row.into.map(|u| u.to_string()),
            row.approved_ms,
            row.answered_ms,
            answer.map(|a| &a.text),
            answer.map(|a| &a.author),
            answer.map(|a| &a.ts),
            answer.map(|a| a.seq as i64),
            row.muted,
        ])?;
    Ok(changed == 1)
}

pub fn question_by_id(
    conn: &Connection,
    session_key: i64,
    id: Uuid,
) -> Result<Option<QuestionRow>> {
    let sql = format!("SELECT {COLUMNS} FROM questions WHERE id = ?1 AND session_key = ?2");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![id.to_string(), session_key], from_row)
        .optional()?)
}

/// The questions with these ids in this session (unknown ids are skipped).
pub fn questions_by_ids(
    conn: &Connection,
    session_key: i64,
    ids: &[Uuid],
) -> Result<Vec<QuestionRow>> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(question_by_id(conn, session_key, *id)?);
    }
    Ok(out)
}

pub fn question_by_client_key(
    conn: &Connection,
    session_key: i64,
    client_key: &str,
) -> Result<Option<QuestionRow>> {
    let sql = format!("SELECT {COLUMNS} FROM questions WHERE session_key = ?1 AND client_key = ?2");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![session_key, client_key], from_row)
        .optional()?)
}

/// Which questions a listing wants.
#[derive(Debug, Clone, Default)]
pub struct QuestionFilter {
    /// Only these statuses (all when empty).
    pub statuses: Vec<QuestionStatus>,
    /// Only muted (true) or only unmuted (false) askers' questions.
    pub muted: Option<bool>,
}

/// A session's questions in queue order: starred first, then most votes,
/// then oldest.
pub fn list_questions(
    conn: &Connection,
    session_key: i64,
    filter: &QuestionFilter,
) -> Result<Vec<QuestionRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM questions WHERE session_key = ?1 \
         ORDER BY starred DESC, votes DESC, created_ms, rowid"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([session_key], from_row)?;
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        if (filter.statuses.is_empty() || filter.statuses.contains(&row.status))
            && filter.muted.is_none_or(|m| m == row.muted)
        {
            out.push(row);
        }
    }
    Ok(out)
}

/// The questions a viewer asked, or that were merged with one it asked.
pub fn questions_of(
    conn: &Connection,
    session_key: i64,
    viewer_id: Uuid,
) -> Result<Vec<QuestionRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM questions WHERE session_key = ?1 AND id IN \
         (SELECT question_id FROM question_askers WHERE viewer_id = ?2) ORDER BY created_ms, rowid"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![session_key, viewer_id.to_string()], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn add_asker(conn: &Connection, question_id: Uuid, viewer_id: Uuid) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO question_askers (question_id, viewer_id) VALUES (?1, ?2)",
    )?
    .execute(params![question_id.to_string(), viewer_id.to_string()])?;
    Ok(())
}

pub fn askers(conn: &Connection, question_id: Uuid) -> Result<Vec<Uuid>> {
    let mut stmt =
        conn.prepare_cached("SELECT viewer_id FROM question_askers WHERE question_id = ?1")?;
    let rows = stmt.query_map([question_id.to_string()], |r| r.get::<_, String>(0))?;
    Ok(rows
        .filter_map(|r| r.ok().and_then(|s| Uuid::parse_str(&s).ok()))
        .collect())
}

/// The question the specialist is answering now, if any.
pub fn now_answering(conn: &Connection, session_key: i64) -> Result<Option<QuestionRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM questions WHERE session_key = ?1 AND status = 'answering' LIMIT 1"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([session_key], from_row)
        .optional()?)
}

pub fn set_muted(conn: &Connection, session_key: i64, viewer_id: Uuid, muted: bool) -> Result<()> {
    if muted {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO mutes (session_key, viewer_id) VALUES (?1, ?2)",
        )?
        .execute(params![session_key, viewer_id.to_string()])?;
    } else {
        conn.prepare_cached("DELETE FROM mutes WHERE session_key = ?1 AND viewer_id = ?2")?
            .execute(params![session_key, viewer_id.to_string()])?;
    }
    Ok(())
}

pub fn is_muted(conn: &Connection, session_key: i64, viewer_id: Uuid) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM mutes WHERE session_key = ?1 AND viewer_id = ?2")?
        .query_row(params![session_key, viewer_id.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Whether a viewer with this id joined this session.
pub fn viewer_exists(conn: &Connection, session_key: i64, viewer_id: Uuid) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM credentials WHERE session_key = ?1 AND viewer_id = ?2 LIMIT 1",
        )?
        .query_row(params![session_key, viewer_id.to_string()], |_| Ok(()))
        .optional()?
        .is_some())
}
