//! The writer's batching: refusal when the queue is full, gathering while
//! busy, the broadcast never waiting, and work after the commit.

use super::*;
use std::sync::atomic::Ordering::Relaxed;

#[tokio::test]
async fn a_full_queue_refuses_writes_instead_of_growing() {
    let limit = QueueLimit {
        max: 1,
        wait: Duration::from_millis(100),
    };
    let conn = Connection::open_in_memory().unwrap();
    let batching = Batching {
        max: 8,
        delay: Duration::ZERO,
    };
    let writer = Writer::start(conn, batching, limit, Arc::new(Metrics::default()), None).unwrap();
    let (hold_tx, hold_rx) = std::sync::mpsc::channel::<()>();
    let busy = writer.clone();
    let first = tokio::spawn(async move {
        busy.submit(move |_| {
            let _ = hold_rx.recv();
            Ok(())
        })
        .await
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(writer.queued(), 1);
    let refused = writer.submit(|_| Ok(())).await.unwrap_err();
    assert_eq!(refused.reason(), "store_busy");
    hold_tx.send(()).unwrap();
    first.await.unwrap().unwrap();
    assert_eq!(writer.queued(), 0);
    writer.submit(|_| Ok(())).await.unwrap();
}

/// A writer on an in-memory database made by `schema` that gathers for
/// `delay` while busy, and its metrics.
fn gathering(delay: Duration, schema: &str) -> (Writer, Arc<Metrics>) {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(schema).unwrap();
    started(conn, delay)
}

fn started(conn: Connection, delay: Duration) -> (Writer, Arc<Metrics>) {
    let batching = Batching { max: 512, delay };
    let limit = QueueLimit {
        max: 1000,
        wait: Duration::from_secs(5),
    };
    let metrics = Arc::new(Metrics::default());
    let writer = Writer::start(conn, batching, limit, metrics.clone(), None).unwrap();
    (writer, metrics)
}

/// Writes arriving every millisecond (a storm of votes): with a delay,
/// several share each commit, and every one acknowledged is stored. A
/// lone write after a pause commits on its own.
#[tokio::test]
async fn a_busy_writer_gathers_writes_into_fewer_commits() {
    let (writer, metrics) = gathering(Duration::from_millis(10), "CREATE TABLE t (n INTEGER)");
    let mut tick = tokio::time::interval(Duration::from_millis(1));
    let mut writes = Vec::new();
    for n in 0..100 {
        tick.tick().await;
        let writer = writer.clone();
        writes.push(tokio::spawn(async move {
            writer
                .submit(move |tx| {
                    tx.db().execute("INSERT INTO t VALUES (?1)", [n])?;
                    Ok(())
                })
                .await
        }));
    }
    for write in writes {
        write.await.unwrap().unwrap();
    }
    let commits = metrics.commit_latency.count();
    assert_eq!(metrics.writes_committed.load(Relaxed), 100);
    assert!(commits <= 50, "{commits} commits for 100 busy writes");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let alone = std::time::Instant::now();
    writer.submit(|_| Ok(())).await.unwrap();
    assert!(alone.elapsed() < Duration::from_secs(1));
    assert_eq!(metrics.commit_latency.count(), commits + 1);
    let stored: i64 = writer
        .submit(|tx| {
            Ok(tx
                .db()
                .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))?)
        })
        .await
        .unwrap();
    assert_eq!(stored, 100);
}

/// Votes gather while the writer is busy, but a write that adds to the
/// public history (a narrator's update) ends the wait: it and the
/// votes gathered before it commit at once.
#[tokio::test]
async fn a_broadcast_event_ends_the_gathering_at_once() {
    let (writer, metrics) = gathering(
        Duration::from_secs(10),
        "CREATE TABLE sessions (key INTEGER PRIMARY KEY, head INTEGER NOT NULL DEFAULT 0);
         CREATE TABLE events (session_key INTEGER, seq INTEGER, body TEXT);
         INSERT INTO sessions (key) VALUES (1);",
    );
    writer.submit(|_| Ok(())).await.unwrap();
    let vote = tokio::spawn({
        let writer = writer.clone();
        async move { writer.submit(|_| Ok(())).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let update = tokio::spawn({
        let writer = writer.clone();
        async move {
            writer
                .submit(|tx| tx.append_event(1, |seq| format!("{{\"seq\":{seq}}}")))
                .await
        }
    });
    let (vote, update) = tokio::time::timeout(Duration::from_secs(5), async {
        (vote.await.unwrap(), update.await.unwrap())
    })
    .await
    .expect("the update did not wait out the 10 s gathering");
    vote.unwrap();
    assert_eq!(update.unwrap(), 1);
    assert_eq!(
        metrics.commit_latency.count(),
        2,
        "vote and update in one commit"
    );
}

/// Work left for after the commit (the coalescer's marks) sees what the
/// write did from another connection, as the coalescer's flush reads;
/// a write that failed leaves none. The writer gathers meanwhile, so
/// the commit comes well after the write ran.
#[tokio::test]
async fn work_after_the_commit_sees_the_write_and_a_failed_write_runs_none() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("after.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL; CREATE TABLE t (n INTEGER)")
        .unwrap();
    let (writer, _) = started(conn, Duration::from_millis(50));
    writer.submit(|_| Ok(())).await.unwrap();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (s, p) = (seen.clone(), path.clone());
    writer
        .submit(move |tx| {
            tx.db().execute("INSERT INTO t VALUES (1)", [])?;
            tx.after_commit(move || {
                let reader = Connection::open(&p).unwrap();
                let rows: i64 = reader
                    .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
                    .unwrap();
                s.lock().unwrap().push(rows);
            });
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [1],
        "ran once, after the row was readable"
    );
    let s = seen.clone();
    let failed = writer
        .submit(move |tx| {
            tx.after_commit(move || s.lock().unwrap().push(99));
            Err::<(), _>(Error::conflict("refused", "a write that fails"))
        })
        .await;
    assert!(failed.is_err());
    assert_eq!(*seen.lock().unwrap(), [1], "a failed write leaves no work");
}
