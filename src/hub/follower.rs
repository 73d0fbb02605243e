//! One connection's cursor into a session: it yields every seq'd frame after
//! `since` exactly once and in order, plus live-only frames as they come.
//! When the connection lags behind the channel, the missing seqs come from the
//! ring or, failing that, from the store. `next` is cancel-safe: state only
//! changes after an await completes, so it can sit in a `select!`.

use super::{Frame, Topic};
use crate::metrics::Metrics;
use futures_util::future::BoxFuture;
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;
use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};

/// Most frames fetched from history in one step.
const CHUNK: usize = 256;

/// Reads committed events back from the system of record.
pub trait Backfill: Send + Sync + 'static {
    fn events_after(
        &self,
        session_key: i64,
        after: u64,
        limit: usize,
    ) -> BoxFuture<'static, crate::Result<Vec<(u64, String)>>>;
}

#[derive(Debug)]
pub enum FollowError {
    /// The history could not be read; the client should reconnect with since.
    History(crate::Error),
    /// The hub went away.
    Closed,
}

pub struct Follower {
    topic: Arc<Topic>,
    rx: broadcast::Receiver<Frame>,
    backfill: Arc<dyn Backfill>,
    metrics: Arc<Metrics>,
    counts_as_viewer: bool,
    head_at_start: u64,
    /// The last seq handed to `pending` (or given as `since`).
    last: u64,
    /// History still owed up to this seq before `held` can go out.
    gap_to: Option<u64>,
    held: Option<Box<Frame>>,
    pending: VecDeque<Frame>,
}

impl Follower {
    pub(super) fn new(
        topic: Arc<Topic>,
        since: u64,
        counts_as_viewer: bool,
        backfill: Arc<dyn Backfill>,
        metrics: Arc<Metrics>,
    ) -> Self {
        let (rx, head) = topic.subscribe();
        if counts_as_viewer {
            topic.viewer_joined();
        }
        Self {
            topic,
            rx,
            backfill,
            metrics,
            counts_as_viewer,
            head_at_start: head,
            last: since,
            gap_to: (head > since).then_some(head),
            held: None,
            pending: VecDeque::new(),
        }
    }

    /// The session's head when following began (for the hello message).
    pub fn head_at_start(&self) -> u64 {
        self.head_at_start
    }

    /// The next frame, waiting for one if need be.
    pub async fn next(&mut self) -> Result<Frame, FollowError> {
        loop {
            if let Some(frame) = self.pop_pending() {
                return Ok(frame);
            }
            if let Some(to) = self.gap_to {
                // Catching up is the rare path: its future lives on the heap
                // so that every idle connection's task stays small.
                Box::pin(self.fill(to)).await?;
                continue;
            }
            match self.rx.recv().await {
                Ok(frame) => {
                    if let Some(frame) = self.accept(frame) {
                        return Ok(frame);
                    }
                }
                Err(RecvError::Lagged(_)) => self.lagged(),
                Err(RecvError::Closed) => return Err(FollowError::Closed),
            }
        }
    }

    /// The next frame if one is ready without waiting (for write coalescing).
    pub fn try_next(&mut self) -> Option<Frame> {
        loop {
            if let Some(frame) = self.pop_pending() {
                return Some(frame);
            }
            if self.gap_to.is_some() {
                return None;
            }
            match self.rx.try_recv() {
                Ok(frame) => {
                    if let Some(frame) = self.accept(frame) {
                        return Some(frame);
                    }
                }
                Err(TryRecvError::Lagged(_)) => self.lagged(),
                Err(_) => return None,
            }
        }
    }

    /// Frames were dropped for this follower: catch up to the head from
    /// history now, not when the next seq'd frame happens to arrive.
    fn lagged(&mut self) {
        self.metrics.lagged.fetch_add(1, Relaxed);
        let head = self.topic.head();
        if head > self.last && self.gap_to.is_none() {
            self.gap_to = Some(head);
        }
    }

    /// Takes the next caught-up frame; frees the catch-up buffer once empty.
    fn pop_pending(&mut self) -> Option<Frame> {
        let frame = self.pending.pop_front();
        if frame.is_none() && self.pending.capacity() > 0 {
            self.pending = VecDeque::new();
        }
        frame
    }

    /// A live frame: returned when it can go out now, dropped when already
    /// sent, held back when history is missing before it.
    fn accept(&mut self, frame: Frame) -> Option<Frame> {
        if frame.seq == 0 {
            Some(frame)
        } else if frame.seq == self.last + 1 {
            self.last = frame.seq;
            Some(frame)
        } else if frame.seq > self.last + 1 {
            self.gap_to = Some(frame.seq - 1);
            self.held = Some(Box::new(frame));
            None
        } else {
            None
        }
    }

    async fn fill(&mut self, to: u64) -> Result<(), FollowError> {
        let frames = match self.topic.ring_range(self.last, to, CHUNK) {
            Some(frames) => frames,
            None => {
                let limit = ((to - self.last) as usize).min(CHUNK);
                let rows = self
                    .backfill
                    .events_after(self.topic.key, self.last, limit)
                    .await
                    .map_err(FollowError::History)?;
                rows.iter()
                    .map(|(seq, body)| Frame::from_history(*seq, body))
                    .collect()
            }
        };
        if frames.is_empty() {
            return Err(FollowError::History(crate::Error::internal(
                anyhow::anyhow!("history of session {} ends before seq {to}", self.topic.key),
            )));
        }
        self.metrics
            .backfilled_events
            .fetch_add(frames.len() as u64, Relaxed);
        for frame in frames {
            if frame.seq == self.last + 1 && frame.seq <= to {
                self.last = frame.seq;
                self.pending.push_back(frame);
            }
        }
        if self.last >= to {
            self.gap_to = None;
            if let Some(frame) = self.held.take().and_then(|f| self.accept(*f)) {
                self.pending.push_back(frame);
            }
        }
        Ok(())
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        if self.counts_as_viewer {
            self.topic.viewer_left();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Hub;
    use super::*;
    use crate::config::StreamConfig;
    use std::sync::Mutex;

    /// History kept in memory, standing in for the store.
    #[derive(Default)]
    struct Memory(Mutex<Vec<(u64, String)>>);

    impl Backfill for Memory {
        fn events_after(
            &self,
            _: i64,
            after: u64,
            limit: usize,
        ) -> BoxFuture<'static, crate::Result<Vec<(u64, String)>>> {
            let rows: Vec<_> = self
                .0
                .lock()
                .unwrap()
                .iter()
                .filter(|(s, _)| *s > after)
                .take(limit)
                .cloned()
                .collect();
            Box::pin(async move { Ok(rows) })
        }
    }

    fn setup(ring: usize, channel: usize) -> (Arc<Hub>, Arc<Memory>) {
        let config = StreamConfig {
            ring_events: ring,
            channel_capacity: channel,
            ..StreamConfig::default()
        };
        (Hub::new(config, Arc::default()), Arc::default())
    }

    fn publish(hub: &Hub, memory: &Memory, seqs: std::ops::RangeInclusive<u64>) {
        use crate::store::{CommitListener, StoredEvent};
        for seq in seqs {
            let body = format!("{{\"seq\":{seq}}}");
            memory.0.lock().unwrap().push((seq, body.clone()));
            hub.committed(&[StoredEvent {
                session_key: 1,
                seq,
                body,
                channel: crate::store::Channel::Public,
            }]);
        }
    }

    async fn drain(f: &mut Follower, n: usize) -> Vec<u64> {
        let mut seqs = Vec::new();
        while seqs.len() < n {
            seqs.push(f.next().await.unwrap().seq);
        }
        seqs
    }

    #[tokio::test]
    async fn a_lagging_follower_catches_up_without_gaps_or_duplicates() {
        let (hub, memory) = setup(8, 4);
        publish(&hub, &memory, 1..=5);
        let mut f = hub.follow(1, 5, 2, true, memory.clone());
        assert_eq!(hub.viewers(1), 1);
        publish(&hub, &memory, 6..=100);
        assert_eq!(drain(&mut f, 98).await, (3..=100).collect::<Vec<_>>());
        assert!(f.try_next().is_none());
        publish(&hub, &memory, 101..=101);
        assert_eq!(f.try_next().unwrap().seq, 101);
        drop(f);
        assert_eq!(hub.viewers(1), 0);
    }

    #[tokio::test]
    async fn a_follower_from_zero_reads_history_the_ring_no_longer_has() {
        let (hub, memory) = setup(4, 4);
        publish(&hub, &memory, 1..=600);
        let mut f = hub.follow(1, 600, 0, false, memory.clone());
        assert_eq!(f.head_at_start(), 600);
        assert_eq!(drain(&mut f, 600).await, (1..=600).collect::<Vec<_>>());
        assert_eq!(hub.viewers(1), 0);
    }

    #[tokio::test]
    async fn a_follower_that_lagged_behind_live_frames_catches_up_at_once() {
        let (hub, memory) = setup(8, 4);
        let mut f = hub.follow(1, 0, 0, true, memory.clone());
        publish(&hub, &memory, 1..=3);
        for _ in 0..6 {
            hub.publish_live(1, "{\"type\":\"presence\",\"viewers\":1}".into());
        }
        let mut seqs = Vec::new();
        while seqs.len() < 3 {
            let frame = tokio::time::timeout(std::time::Duration::from_secs(1), f.next())
                .await
                .expect("no wait for a further seq'd frame")
                .unwrap();
            if frame.seq > 0 {
                seqs.push(frame.seq);
            }
        }
        assert_eq!(seqs, vec![1, 2, 3]);
    }

    #[tokio::test]
    async fn an_ended_sessions_topics_leave_memory_and_open_streams_keep_theirs() {
        let (hub, memory) = setup(8, 8);
        publish(&hub, &memory, 1..=2);
        let mut staff = hub.follow_staff(1, 0, 0, memory.clone());
        let mut f = hub.follow(1, 2, 0, true, memory.clone());
        let viewer = hub.follow_viewer(1, uuid::Uuid::nil());
        assert_eq!(hub.topics_in_memory(), 2);
        hub.drop_session(1);
        assert_eq!(hub.topics_in_memory(), 0);
        assert_eq!(
            drain(&mut f, 2).await,
            vec![1, 2],
            "an open stream finishes"
        );
        assert!(staff.try_next().is_none());
        drop(viewer);
    }

    #[tokio::test]
    async fn live_frames_pass_through_between_seqd_ones() {
        let (hub, memory) = setup(8, 8);
        publish(&hub, &memory, 1..=1);
        let mut f = hub.follow(1, 1, 1, true, memory.clone());
        hub.publish_live(1, "{\"type\":\"presence\",\"viewers\":1}".into());
        publish(&hub, &memory, 2..=2);
        assert_eq!(drain(&mut f, 2).await, vec![0, 2]);
    }
}
