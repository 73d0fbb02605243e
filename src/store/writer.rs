//! The group-commit writer: one thread owns the write connection, takes every
//! queued job into one transaction (each job in its own savepoint, so one
//! failing job does not undo the others), commits once, then publishes the
//! events and answers each caller.

use super::{CommitListener, StoredEvent, Tx};
use crate::metrics::Metrics;
use crate::{Error, Result};
use rusqlite::Connection;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, oneshot};

/// What a job leaves behind: events to publish and a reply to send, given
/// whether the whole batch committed.
struct Done {
    events: Vec<StoredEvent>,
    reply: Box<dyn FnOnce(bool) + Send>,
}

type Job = Box<dyn FnOnce(&Connection) -> (Done, bool) + Send>;

enum Msg {
    Job(Job),
    Stop(oneshot::Sender<()>),
}

/// How many writes may wait for the writer, and how long a write waits for
/// a place before it is refused with 503: under overload the queue never
/// grows memory without limit.
#[derive(Debug, Clone, Copy)]
pub struct QueueLimit {
    pub max: usize,
    pub wait: Duration,
}

#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Msg>,
    places: Arc<Semaphore>,
    limit: QueueLimit,
}

impl Writer {
    pub fn start(
        conn: Connection,
        max_batch: usize,
        limit: QueueLimit,
        metrics: Arc<Metrics>,
        listener: Option<Arc<dyn CommitListener>>,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("gallery-store-writer".into())
            .spawn(move || run(conn, rx, max_batch, &metrics, listener.as_deref()))?;
        Ok(Self {
            tx,
            places: Arc::new(Semaphore::new(limit.max.max(1))),
            limit,
        })
    }

    /// Writes queued or being committed right now.
    pub fn queued(&self) -> usize {
        self.limit.max.max(1) - self.places.available_permits()
    }

    pub async fn submit<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx<'_>) -> Result<T> + Send + 'static,
    {
        let place = tokio::time::timeout(self.limit.wait, self.places.clone().acquire_owned())
            .await
            .map_err(|_| {
                tracing::warn!("the store's write queue is full; refused a write");
                Error::unavailable(
                    "store_busy",
                    "the server is busy saving other changes; try again in a moment",
                )
            })?
            .map_err(|_| shutting_down())?;
        let (reply_tx, reply_rx) = oneshot::channel::<Result<T>>();
        let job: Job = Box::new(move |conn| {
            let mut tx = Tx::new(conn);
            let (outcome, events) = match f(&mut tx) {
                Ok(value) => (Ok(value), tx.into_outbox()),
                Err(e) => (Err(e), Vec::new()),
            };
            let ok = outcome.is_ok();
            let reply = Box::new(move |committed: bool| {
                let answer = if committed {
                    outcome
                } else {
                    Err(Error::unavailable(
                        "commit_failed",
                        "the database could not commit; try again",
                    ))
                };
                let _ = reply_tx.send(answer);
            });
            (Done { events, reply }, ok)
        });
        self.tx.send(Msg::Job(job)).map_err(|_| shutting_down())?;
        let answer = reply_rx.await.map_err(|_| shutting_down())?;
        drop(place);
        answer
    }

    pub async fn stop(&self) {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(Msg::Stop(tx)).is_ok() {
            let _ = rx.await;
        }
    }
}

fn shutting_down() -> Error {
    Error::unavailable(
        "store_unavailable",
        "the database is not taking writes right now (shutting down or failing); try again shortly",
    )
}

fn run(
    mut conn: Connection,
    rx: mpsc::Receiver<Msg>,
    max_batch: usize,
    metrics: &Metrics,
    listener: Option<&dyn CommitListener>,
) {
    let mut stop = None;
    while stop.is_none() {
        let Ok(first) = rx.recv() else { return };
        let mut jobs = Vec::new();
        match first {
            Msg::Job(job) => jobs.push(job),
            Msg::Stop(tx) => stop = Some(tx),
        }
        while stop.is_none() && jobs.len() < max_batch {
            match rx.try_recv() {
                Ok(Msg::Job(job)) => jobs.push(job),
                Ok(Msg::Stop(tx)) => stop = Some(tx),
                Err(_) => break,
            }
        }
        if !jobs.is_empty() {
            commit_batch(&mut conn, jobs, metrics, listener);
        }
    }
    drop(conn);
    if let Some(tx) = stop {
        let _ = tx.send(());
    }
}

fn commit_batch(
    conn: &mut Connection,
    jobs: Vec<Job>,
    metrics: &Metrics,
    listener: Option<&dyn CommitListener>,
) {
    let started = Instant::now();
    let count = jobs.len();
    let mut done = Vec::with_capacity(count);
    let committed = match conn.transaction() {
        Ok(mut tx) => {
            for job in jobs {
                match tx.savepoint() {
                    Ok(mut sp) => {
                        let (d, ok) = job(&sp);
                        if !ok {
                            let _ = sp.rollback();
                        }
                        let _ = sp.commit();
                        done.push(d);
                    }
                    Err(e) => tracing::error!(error = %e, "savepoint failed; write dropped"),
                }
            }
            match tx.commit() {
                Ok(()) => true,
                Err(e) => {
                    tracing::error!(error = %e, "group commit failed");
                    false
                }
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "could not begin a transaction");
            false
        }
    };
    metrics.record_commit(started.elapsed(), count);
    for d in done {
        if committed && let Some(listener) = listener {
            listener.committed(&d.events);
        }
        (d.reply)(committed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_refuses_writes_instead_of_growing() {
        let limit = QueueLimit {
            max: 1,
            wait: Duration::from_millis(100),
        };
        let conn = Connection::open_in_memory().unwrap();
        let writer = Writer::start(conn, 8, limit, Arc::new(Metrics::default()), None).unwrap();
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
}
