//! What changes with every vote or approval goes out coalesced: at most
//! once per interval per session, read back from the store at that moment,
//! never one message per vote or per approval. Each kind is one message
//! (`question_votes` for one question, `vote_counts` for several;
//! `question_published` for one, `questions_published` for several), so a
//! storm of votes costs every viewer a few frames a second, written at once.
//!
//! What viewers get is bounded whatever the rush: the newest few newly
//! published questions (`live_published`; `more` lists the rest, which
//! `GET …/questions` lists) and the counts of the most-voted
//! (`live_vote_counts`). It goes out just behind the narrator's updates,
//! so that these writes never delay the next update's.

use super::App;
use super::questions::{View, to_stats, view};
use crate::protocol::{Event, Question, VoteCount};
use crate::store::{self, Tx};
use dashmap::DashMap;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// What changed in a session since the last flush.
#[derive(Default)]
struct Dirty {
    /// When the first of these changes was marked.
    since: Option<Instant>,
    votes: HashSet<Uuid>,
    /// Questions published, changed while published, or withdrawn.
    public: HashSet<Uuid>,
    queue: bool,
}

/// Marks are made after the commit of the write that changed something
/// (`Tx::after_commit`): a flush that read the store before that commit
/// would send the old state and drop the mark.
#[derive(Default)]
pub struct Coalescer {
    dirty: Arc<DashMap<i64, Dirty>>,
}

fn mark(dirty: &DashMap<i64, Dirty>, session_key: i64, change: impl FnOnce(&mut Dirty)) {
    let mut entry = dirty.entry(session_key).or_default();
    entry.since.get_or_insert_with(Instant::now);
    change(&mut entry);
}

impl Coalescer {
    fn after_commit(
        &self,
        tx: &mut Tx<'_>,
        key: i64,
        change: impl FnOnce(&mut Dirty) + Send + 'static,
    ) {
        let dirty = self.dirty.clone();
        tx.after_commit(move || mark(&dirty, key, change));
    }

    pub fn votes_changed(&self, tx: &mut Tx<'_>, session_key: i64, question: Uuid) {
        self.after_commit(tx, session_key, move |d| {
            d.votes.insert(question);
        });
    }

    pub fn public_changed(&self, tx: &mut Tx<'_>, session_key: i64, question: Uuid) {
        self.after_commit(tx, session_key, move |d| {
            d.public.insert(question);
        });
    }

    pub fn queue_changed(&self, tx: &mut Tx<'_>, session_key: i64) {
        self.after_commit(tx, session_key, |d| d.queue = true);
    }

    /// The sessions whose changes are due (see [`due`]), given how long
    /// since each one's last update.
    fn take_due(
        &self,
        every: Duration,
        gap: Duration,
        since_update: impl Fn(i64) -> Option<Duration>,
    ) -> Vec<(i64, Dirty)> {
        let keys: Vec<i64> = self.dirty.iter().map(|e| *e.key()).collect();
        keys.into_iter()
            .filter_map(|k| {
                self.dirty.remove_if(&k, |_, d| {
                    let waited = d.since.map_or(Duration::MAX, |t| t.elapsed());
                    due(waited, since_update(k), every, gap)
                })
            })
            .collect()
    }
}

/// Whether changes marked `waited` ago go out now, the narrator's last
/// update having gone out `since_update` ago (`None`: nobody follows the
/// session). They go out `gap` after an update that followed them, once
/// per update and not sooner than three quarters of `every` (so the queue
/// state keeps its place just behind the narrator's updates instead of
/// drifting into the next one's fan-out); after `every` when there has been
/// no update for that long; and after twice `every` whatever happens.
fn due(waited: Duration, since_update: Option<Duration>, every: Duration, gap: Duration) -> bool {
    let Some(since) = since_update else {
        return waited >= every;
    };
    waited >= every * 2
        || (since >= gap && since < waited && waited >= every * 3 / 4)
        || (since >= every && waited >= every)
}

/// Of the questions to send live, those that go out: changes to questions
/// already out there (answering, answered) first, then the newest; and the
/// ids of those left out.
fn newest(mut published: Vec<Question>, limit: usize) -> (Vec<Question>, Vec<Uuid>) {
    published.sort_by(|a, b| {
        (a.status == "approved")
            .cmp(&(b.status == "approved"))
            .then_with(|| b.created_at.cmp(&a.created_at))
    });
    let rest = published.split_off(published.len().min(limit));
    (published, rest.into_iter().map(|q| q.id).collect())
}

impl App {
    /// Sends what changed, every `questions.coalesce_ms`, until `shutdown`.
    pub async fn run_coalescer(self, shutdown: CancellationToken) {
        let every = Duration::from_millis(self.config.questions.coalesce_ms.max(50));
        let gap = Duration::from_millis(self.config.questions.quiet_gap_ms);
        let since_update = |key| self.hub.since_update(key);
        let mut tick = tokio::time::interval(
            (every / 20).clamp(Duration::from_millis(10), Duration::from_millis(50)),
        );
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tick.tick() => {}
            }
            for (key, dirty) in self.coalescer.take_due(every, gap, since_update) {
                if let Err(e) = self.flush(key, dirty).await {
                    tracing::warn!(error = %e, "could not send coalesced figures");
                }
            }
        }
    }

    async fn flush(&self, key: i64, dirty: Dirty) -> crate::Result<()> {
        let ids: Vec<Uuid> = dirty.votes.into_iter().collect();
        let public: Vec<Uuid> = dirty.public.into_iter().collect();
        let queue = dirty.queue;
        let top = self.config.questions.live_vote_counts;
        let (votes, rows, counts) = self
            .store
            .read(move |c| {
                let votes = store::vote_counts(c, key, &ids, top)?;
                let rows = store::questions_by_ids(c, key, &public)?;
                let counts = if queue {
                    Some(store::queue_counts(c, key)?)
                } else {
                    None
                };
                Ok((votes, rows, counts))
            })
            .await?;
        let (mut public, mut staff) = (Vec::new(), Vec::new());
        let (shown, gone): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r.status.is_public());
        let published: Vec<Question> = shown.iter().map(|r| view(r, View::Public)).collect();
        let (mut published, more) = newest(published, self.config.questions.live_published.max(1));
        match published.len() {
            0 => {}
            1 if more.is_empty() => public.push(
                Event::QuestionPublished {
                    question: published.remove(0),
                }
                .to_json(),
            ),
            _ => public.push(
                Event::QuestionsPublished {
                    questions: published,
                    more,
                }
                .to_json(),
            ),
        }
        for row in gone {
            public.push(Event::QuestionWithdrawn { id: row.id }.to_json());
        }
        match votes.as_slice() {
            [] => {}
            [(id, votes)] => public.push(
                Event::QuestionVotes {
                    id: *id,
                    votes: *votes,
                }
                .to_json(),
            ),
            many => public.push(
                Event::VoteCounts {
                    votes: many
                        .iter()
                        .map(|(id, votes)| VoteCount {
                            id: *id,
                            votes: *votes,
                        })
                        .collect(),
                }
                .to_json(),
            ),
        }
        if let Some(counts) = counts {
            public.push(
                Event::QuestionCounts {
                    received: counts.received,
                    answered: counts.answered,
                }
                .to_json(),
            );
            staff.push(
                Event::QueueStats {
                    stats: to_stats(counts),
                }
                .to_json(),
            );
        }
        self.metrics
            .questions
            .coalesced_flushes
            .fetch_add((public.len() + staff.len()) as u64, Relaxed);
        self.hub.publish_live_bundle(key, false, public);
        self.hub.publish_live_bundle(key, true, staff);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(n: u8, status: &str) -> Question {
        serde_json::from_value(serde_json::json!({
            "id": Uuid::from_u128(n.into()),
            "text": format!("question {n}"),
            "status": status,
            "votes": 0,
            "starred": false,
            "version": 1,
            "created_at": format!("2026-12-01T10:00:{n:02}.000Z"),
        }))
        .unwrap()
    }

    #[test]
    fn a_rush_sends_changes_then_the_newest_and_counts_the_rest() {
        let all = vec![
            question(1, "approved"),
            question(2, "answering"),
            question(3, "approved"),
            question(4, "approved"),
            question(5, "approved"),
        ];
        let (sent, more) = newest(all, 3);
        let texts: Vec<&str> = sent.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(texts, ["question 2", "question 5", "question 4"]);
        assert_eq!(more, [Uuid::from_u128(3), Uuid::from_u128(1)]);
        let (sent, more) = newest(vec![question(1, "approved")], 3);
        assert_eq!((sent.len(), more.len()), (1, 0));
    }

    #[test]
    fn the_queue_state_goes_out_just_behind_each_update() {
        let ms = Duration::from_millis;
        let (every, gap) = (ms(1000), ms(300));
        // An update went out 100 ms ago: its fan-out may still be running.
        assert!(!due(ms(1100), Some(ms(100)), every, gap));
        // 300 ms after an update that followed the changes: out now.
        assert!(due(ms(1000), Some(ms(300)), every, gap));
        // ...but not twice for the same update.
        assert!(!due(ms(600), Some(ms(900)), every, gap));
        // An update half a second after the last flush (the narrator
        // posting faster than once a second): every other update.
        assert!(!due(ms(500), Some(ms(300)), every, gap));
        // Without updates, once an interval.
        assert!(!due(ms(900), Some(ms(5000)), every, gap));
        assert!(due(ms(1000), Some(ms(5000)), every, gap));
        assert!(due(ms(1000), None, every, gap));
        // Updates several times a second never leave a gap: at most twice
        // the interval.
        assert!(!due(ms(1900), Some(ms(150)), every, gap));
        assert!(due(ms(2000), Some(ms(150)), every, gap));
    }

    #[test]
    fn a_session_is_taken_once_due_and_only_then() {
        let c = Coalescer::default();
        let every = Duration::from_millis(200);
        mark(&c.dirty, 1, |d| {
            d.votes.insert(Uuid::nil());
        });
        let no_update = |_| Some(Duration::from_secs(60));
        assert!(
            c.take_due(every, every, no_update).is_empty(),
            "not before the interval"
        );
        std::thread::sleep(every);
        assert_eq!(c.take_due(every, every, no_update).len(), 1);
        assert!(c.take_due(every, every, no_update).is_empty(), "taken once");
    }
}
