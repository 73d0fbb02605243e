//! What changes with every vote or approval goes out coalesced: at most
//! once per interval per session, read back from the store at that moment,
//! never one message per vote or per approval. Each kind is one message
//! (`question_votes` for one question, `vote_counts` for several;
//! `question_published` for one, `questions_published` for several), so a
//! storm of votes costs every viewer a few frames a second, written at once.

use super::App;
use super::questions::{View, to_stats, view};
use crate::protocol::{Event, Question, VoteCount};
use crate::store;
use dashmap::DashMap;
use std::collections::HashSet;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

/// What changed in a session since the last flush.
#[derive(Default)]
struct Dirty {
    votes: HashSet<Uuid>,
    /// Questions published, changed while published, or withdrawn.
    public: HashSet<Uuid>,
    queue: bool,
}

/// Most questions one flush publishes (about 10 KB for each viewer).
const MAX_PUBLISHED_PER_FLUSH: usize = 25;

#[derive(Default)]
pub struct Coalescer {
    dirty: DashMap<i64, Dirty>,
}

impl Coalescer {
    pub fn votes_changed(&self, session_key: i64, question: Uuid) {
        self.dirty
            .entry(session_key)
            .or_default()
            .votes
            .insert(question);
    }

    pub fn public_changed(&self, session_key: i64, question: Uuid) {
        self.dirty
            .entry(session_key)
            .or_default()
            .public
            .insert(question);
    }

    pub fn queue_changed(&self, session_key: i64) {
        self.dirty.entry(session_key).or_default().queue = true;
    }

    fn take(&self) -> Vec<(i64, Dirty)> {
        let keys: Vec<i64> = self.dirty.iter().map(|e| *e.key()).collect();
        keys.into_iter()
            .filter_map(|k| self.dirty.remove(&k))
            .collect()
    }
}

impl App {
    /// Sends what changed, every `questions.coalesce_ms`, until `shutdown`.
    pub async fn run_coalescer(self, shutdown: CancellationToken) {
        let every = Duration::from_millis(self.config.questions.coalesce_ms.max(50));
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tick.tick() => {}
            }
            for (key, dirty) in self.coalescer.take() {
                if let Err(e) = self.flush(key, dirty).await {
                    tracing::warn!(error = %e, "could not send coalesced figures");
                }
            }
        }
    }

    async fn flush(&self, key: i64, dirty: Dirty) -> crate::Result<()> {
        let ids: Vec<Uuid> = dirty.votes.into_iter().collect();
        let mut public: Vec<Uuid> = dirty.public.into_iter().collect();
        // A bulk approval must not become one huge message copied into
        // every viewer's buffer: the rest go out with the next flushes.
        for later in public.split_off(public.len().min(MAX_PUBLISHED_PER_FLUSH)) {
            self.coalescer.public_changed(key, later);
        }
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
        let mut published: Vec<Question> = shown.iter().map(|r| view(r, View::Public)).collect();
        match published.len() {
            0 => {}
            1 => public.push(
                Event::QuestionPublished {
                    question: published.remove(0),
                }
                .to_json(),
            ),
            _ => public.push(
                Event::QuestionsPublished {
                    questions: published,
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
