//! Embedded migrations, applied in order at start and tracked with
//! SQLite's `user_version`.

use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_update_events.sql"),
    include_str!("migrations/0003_held_items.sql"),
    include_str!("migrations/0004_questions_audit.sql"),
];

pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
        tracing::info!(version = index + 1, "applied database migration");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_and_edits_written_before_the_link_table_are_linked() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO sessions (key, id, slug, title, narrator, private, state, created_at) \
               VALUES (1, 'i', 's', 't', 'n', 0, 'live', 'now');
             INSERT INTO events VALUES (1, 1, '{\"type\":\"session_state\",\"seq\":1}');
             INSERT INTO events VALUES (1, 2, '{\"type\":\"update\",\"seq\":2,\"update\":{\"id\":\"u1\"}}');
             INSERT INTO events VALUES (1, 3, '{\"type\":\"update_edited\",\"seq\":3,\"update\":{\"id\":\"u1\"}}');",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let linked: Vec<(String, i64)> = conn
            .prepare("SELECT update_id, seq FROM update_events ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(linked, vec![("u1".to_string(), 2), ("u1".to_string(), 3)]);
    }

    #[test]
    fn migrations_apply_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version as usize, MIGRATIONS.len());
    }
}
