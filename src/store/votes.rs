//! Votes: one per viewer per question. The question's `votes` column is
//! kept equal to its rows here in the same transaction.

use crate::Result;
use rusqlite::{Connection, params};
use uuid::Uuid;

fn recount(conn: &Connection, question_id: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "UPDATE questions SET votes = (SELECT COUNT(*) FROM votes WHERE question_id = ?1) \
             WHERE id = ?1 RETURNING votes",
        )?
        .query_row([question_id], |r| r.get(0))?)
}

/// Adds (or takes back) a viewer's vote; the question's new count, and
/// whether anything changed (a repeat changes nothing).
pub fn set_vote(
    conn: &Connection,
    question_id: Uuid,
    viewer_id: Uuid,
    on: bool,
) -> Result<(i64, bool)> {
    let q = question_id.to_string();
    let sql = if on {
        "INSERT OR IGNORE INTO votes (question_id, viewer_id) VALUES (?1, ?2)"
    } else {
        "DELETE FROM votes WHERE question_id = ?1 AND viewer_id = ?2"
    };
    let changed = conn
        .prepare_cached(sql)?
        .execute(params![q, viewer_id.to_string()])?;
    if changed == 0 {
        let votes = conn
            .prepare_cached("SELECT votes FROM questions WHERE id = ?1")?
            .query_row([&q], |r| r.get(0))?;
        return Ok((votes, false));
    }
    Ok((recount(conn, &q)?, true))
}

/// Moves a merged question's voters onto `into`, each counted once there;
/// `into`'s new count.
pub fn merge_votes(conn: &Connection, from: Uuid, into: Uuid) -> Result<i64> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO votes (question_id, viewer_id) \
         SELECT ?2, viewer_id FROM votes WHERE question_id = ?1",
    )?
    .execute(params![from.to_string(), into.to_string()])?;
    conn.prepare_cached(
        "INSERT OR IGNORE INTO question_askers (question_id, viewer_id) \
         SELECT ?2, viewer_id FROM question_askers WHERE question_id = ?1",
    )?
    .execute(params![from.to_string(), into.to_string()])?;
    recount(conn, &into.to_string())
}

/// Current counts of those of `ids` that are among the session's `top`
/// published questions by votes (all of them when `top` is 0), most first.
pub fn vote_counts(
    conn: &Connection,
    session_key: i64,
    ids: &[Uuid],
    top: usize,
) -> Result<Vec<(Uuid, i64)>> {
    let limit = if top == 0 { -1 } else { top as i64 };
    let mut stmt = conn.prepare_cached(
        "SELECT id, votes FROM questions WHERE session_key = ?1 \
         AND status IN ('approved', 'answering', 'answered') \
         ORDER BY votes DESC, created_ms LIMIT ?2",
    )?;
    let wanted: std::collections::HashSet<String> = ids.iter().map(Uuid::to_string).collect();
    let rows = stmt.query_map(rusqlite::params![session_key, limit], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, votes) = row?;
        if wanted.contains(&id)
            && let Ok(id) = Uuid::parse_str(&id)
        {
            out.push((id, votes));
        }
    }
    Ok(out)
}
