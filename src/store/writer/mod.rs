//! The group-commit writer: one thread owns the write connection, takes every
//! queued job into one transaction (each job in its own savepoint, so one
//! failing job does not undo the others), commits once, then publishes the
//! events and answers each caller. While writes keep coming (the last
//! commit ended moments ago), it waits a few milliseconds for more before
//! committing: under a storm of votes one sync to disk covers several. A
//! write that adds to the public history (an update, an answer) ends the
//! wait: the broadcast never waits for votes.

use super::tx::Outbox;
use super::{Channel, CommitListener, Tx};
use crate::metrics::Metrics;
use crate::{Error, Result};
use rusqlite::Connection;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, oneshot};

/// What a job leaves behind: its outbox and a reply to send, given whether
/// the whole batch committed.
struct Done {
    outbox: Outbox,
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

/// How writes are grouped: at most `max` per transaction, and while busy,
/// up to `delay` spent gathering them (zero: commit what is queued at once).
#[derive(Debug, Clone, Copy)]
pub struct Batching {
    pub max: usize,
    pub delay: Duration,
}

impl Batching {
    /// The writer counts as busy when its last commit ended this many
    /// `delay`s ago or less; a lone write never waits.
    const BUSY: u32 = 4;
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
        batching: Batching,
        limit: QueueLimit,
        metrics: Arc<Metrics>,
        listener: Option<Arc<dyn CommitListener>>,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("gallery-store-writer".into())
            .spawn(move || run(conn, rx, batching, &metrics, listener.as_deref()))?;
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
            let (outcome, outbox) = match f(&mut tx) {
                Ok(value) => (Ok(value), tx.into_outbox()),
                Err(e) => (Err(e), Outbox::default()),
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
            (Done { outbox, reply }, ok)
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
    batching: Batching,
    metrics: &Metrics,
    listener: Option<&dyn CommitListener>,
) {
    let mut stop = None;
    let mut last_commit: Option<Instant> = None;
    while stop.is_none() {
        let Ok(first) = rx.recv() else { return };
        let job = match first {
            Msg::Job(job) => job,
            Msg::Stop(tx) => {
                stop = Some(tx);
                break;
            }
        };
        let busy = last_commit.is_some_and(|t| t.elapsed() <= batching.delay * Batching::BUSY);
        let gather_until = Instant::now() + if busy { batching.delay } else { Duration::ZERO };
        let next = || match gather_until.checked_duration_since(Instant::now()) {
            Some(wait) if !wait.is_zero() => rx.recv_timeout(wait).ok(),
            _ => rx.try_recv().ok(),
        };
        stop = commit_batch(&mut conn, job, next, batching.max, metrics, listener);
        last_commit = Some(Instant::now());
    }
    drop(conn);
    if let Some(tx) = stop {
        let _ = tx.send(());
    }
}

/// Runs `first`, then each job `next` yields, in one transaction (each in
/// its own savepoint), until `next` has none, `max` ran, a stop comes, or a
/// job appends to the public history: the broadcast is waiting for that
/// one, so it commits at once. Then publishes the events and answers each
/// caller. Returns the stop, if one came.
fn commit_batch(
    conn: &mut Connection,
    first: Job,
    mut next: impl FnMut() -> Option<Msg>,
    max: usize,
    metrics: &Metrics,
    listener: Option<&dyn CommitListener>,
) -> Option<oneshot::Sender<()>> {
    let started = Instant::now();
    let (mut count, mut done, mut stop) = (0, Vec::new(), None);
    let committed = match conn.transaction() {
        Ok(mut tx) => {
            let mut job = Some(first);
            while let Some(f) = job.take() {
                count += 1;
                match tx.savepoint() {
                    Ok(mut sp) => {
                        let (d, ok) = f(&sp);
                        if !ok {
                            let _ = sp.rollback();
                        }
                        let _ = sp.commit();
                        let broadcast =
                            d.outbox.events.iter().any(|e| e.channel == Channel::Public);
                        done.push(d);
                        if broadcast {
                            break;
                        }
                    }
                    Err(e) => tracing::error!(error = %e, "savepoint failed; write dropped"),
                }
                if count >= max {
                    break;
                }
                match next() {
                    Some(Msg::Job(f)) => job = Some(f),
                    Some(Msg::Stop(tx)) => stop = Some(tx),
                    None => {}
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
        if committed {
            if let Some(listener) = listener {
                listener.committed(&d.outbox.events);
            }
            d.outbox.after.into_iter().for_each(|f| f());
        }
        (d.reply)(committed);
    }
    stop
}

#[cfg(test)]
mod tests;
