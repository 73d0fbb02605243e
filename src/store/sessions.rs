//! Sessions, their credentials and the small key-value `meta` table.

use crate::Result;
use crate::domain::{Role, SessionState};
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::sync::LazyLock;
use uuid::Uuid;

/// A session as stored, including what only the server may see.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub key: i64,
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub hashtag: Option<String>,
    pub description: Option<String>,
    pub stream_url: Option<String>,
    pub narrator: String,
    pub private: bool,
    pub join_code: Option<String>,
    pub state: SessionState,
    pub created_at: String,
    pub started_at: Option<String>,
    pub started_ms: Option<i64>,
    pub ended_at: Option<String>,
    pub head: u64,
    /// The staff history's last `staff_seq`.
    pub staff_head: u64,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub hashtag: Option<String>,
    pub description: Option<String>,
    pub stream_url: Option<String>,
    pub narrator: String,
    pub private: bool,
    pub join_code: Option<String>,
    pub created_at: String,
}

/// A bearer token's stored half and what it may act as.
#[derive(Debug, Clone)]
pub struct Credential {
    pub selector: String,
    pub verifier_hash: Vec<u8>,
    pub session_key: i64,
    pub role: Role,
    pub viewer_id: Option<Uuid>,
    pub name: Option<String>,
    pub revoked: bool,
}

const SESSION_COLUMNS: &str = "key, id, slug, title, hashtag, description, stream_url, narrator, \
     private, join_code, state, created_at, started_at, started_ms, ended_at, head, staff_head";

fn session_from_row(row: &Row<'_>) -> rusqlite::Result<SessionRow> {
    let id: String = row.get(1)?;
    let state: String = row.get(10)?;
    Ok(SessionRow {
        key: row.get(0)?,
        id: Uuid::parse_str(&id).unwrap_or_default(),
        slug: row.get(2)?,
        title: row.get(3)?,
        hashtag: row.get(4)?,
        description: row.get(5)?,
        stream_url: row.get(6)?,
        narrator: row.get(7)?,
        private: row.get(8)?,
        join_code: row.get(9)?,
        state: SessionState::parse(&state).unwrap_or(SessionState::Ended),
        created_at: row.get(11)?,
        started_at: row.get(12)?,
        started_ms: row.get(13)?,
        ended_at: row.get(14)?,
        head: row.get::<_, i64>(15)? as u64,
        staff_head: row.get::<_, i64>(16)? as u64,
    })
}

/// Inserts a session; `None` when the slug is taken.
pub fn insert_session(conn: &Connection, s: &NewSession) -> Result<Option<i64>> {
    let inserted = conn.execute(
        "INSERT INTO sessions (id, slug, title, hashtag, description, stream_url, narrator, private, \
         join_code, state, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'scheduled', ?10) \
         ON CONFLICT (slug) DO NOTHING",
        params![
            s.id.to_string(),
            s.slug,
            s.title,
            s.hashtag,
            s.description,
            s.stream_url,
            s.narrator,
            s.private,
            s.join_code,
            s.created_at
        ],
    )?;
    Ok((inserted == 1).then(|| conn.last_insert_rowid()))
}

pub fn session_by_slug(conn: &Connection, slug: &str) -> Result<Option<SessionRow>> {
    // Every request looks its session up: the text is built and the
    // statement prepared once.
    static SQL: LazyLock<String> =
        LazyLock::new(|| format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE slug = ?1"));
    Ok(conn
        .prepare_cached(&SQL)?
        .query_row([slug], session_from_row)
        .optional()?)
}

pub fn list_sessions(conn: &Connection) -> Result<Vec<SessionRow>> {
    let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions ORDER BY key DESC");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], session_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records a state change; the first move to live stamps `started_*`.
pub fn set_state(
    conn: &Connection,
    key: i64,
    state: SessionState,
    at: &crate::time::Stamp,
) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET state = ?2, \
           started_at = CASE WHEN ?2 = 'live' AND started_at IS NULL THEN ?3 ELSE started_at END, \
           started_ms = CASE WHEN ?2 = 'live' AND started_ms IS NULL THEN ?4 ELSE started_ms END, \
           ended_at = CASE WHEN ?2 = 'ended' THEN ?3 ELSE ended_at END \
         WHERE key = ?1",
        params![key, state.as_str(), at.rfc3339, at.unix_ms],
    )?;
    Ok(())
}

pub fn insert_credential(conn: &Connection, c: &Credential, created_at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO credentials (selector, verifier_hash, session_key, role, viewer_id, name, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            c.selector,
            c.verifier_hash,
            c.session_key,
            c.role.as_str(),
            c.viewer_id.map(|v| v.to_string()),
            c.name,
            created_at
        ],
    )?;
    Ok(())
}

pub fn credential(conn: &Connection, selector: &str) -> Result<Option<Credential>> {
    let mut stmt = conn.prepare_cached(
        "SELECT selector, verifier_hash, session_key, role, viewer_id, name, revoked \
         FROM credentials WHERE selector = ?1",
    )?;
    let found = stmt
        .query_row([selector], |row| {
            let role: String = row.get(3)?;
            let viewer: Option<String> = row.get(4)?;
            Ok(Credential {
                selector: row.get(0)?,
                verifier_hash: row.get(1)?,
                session_key: row.get(2)?,
                role: Role::parse(&role).unwrap_or(Role::Viewer),
                viewer_id: viewer.and_then(|v| Uuid::parse_str(&v).ok()),
                name: row.get(5)?,
                revoked: row.get(6)?,
            })
        })
        .optional()?;
    Ok(found)
}

/// Revokes every live token of `role` in a session (before a rotation).
pub fn revoke_role(conn: &Connection, session_key: i64, role: Role) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "UPDATE credentials SET revoked = 1 WHERE session_key = ?1 AND role = ?2 AND revoked = 0 \
         RETURNING selector",
    )?;
    let rows = stmt.query_map(params![session_key, role.as_str()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

pub fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

pub fn set_join_code(conn: &Connection, session_key: i64, code: &str) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET join_code = ?2 WHERE key = ?1",
        params![session_key, code],
    )?;
    Ok(())
}

/// Deletes the viewer tokens of sessions that ended before `cutoff`
/// (RFC 3339); returns how many.
pub fn expire_viewers(conn: &Connection, cutoff: &str) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM credentials WHERE role = 'viewer' AND session_key IN \
         (SELECT key FROM sessions WHERE state = 'ended' AND ended_at IS NOT NULL AND ended_at < ?1)",
        [cutoff],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewer_tokens_of_long_ended_sessions_expire_and_staff_tokens_stay() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO sessions (key, id, slug, title, narrator, private, state, created_at, ended_at)
               VALUES (1, 'a', 'old', 't', 'n', 0, 'ended', '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'),
                      (2, 'b', 'live', 't', 'n', 0, 'live', '2026-01-01T00:00:00.000Z', NULL);
             INSERT INTO credentials (selector, verifier_hash, session_key, role, created_at) VALUES
               ('v1', x'00', 1, 'viewer', 'x'), ('v2', x'00', 1, 'viewer', 'x'),
               ('n1', x'00', 1, 'narrator', 'x'), ('v3', x'00', 2, 'viewer', 'x');",
        )
        .unwrap();
        assert_eq!(
            expire_viewers(&conn, "2026-01-01T12:00:00.000Z").unwrap(),
            0
        );
        assert_eq!(
            expire_viewers(&conn, "2026-02-01T00:00:00.000Z").unwrap(),
            2
        );
        let left: Vec<String> = conn
            .prepare("SELECT selector FROM credentials ORDER BY selector")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(left, ["n1", "v3"]);
    }
}
