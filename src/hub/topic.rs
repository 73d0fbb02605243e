//! One session's live state in the hub: the broadcast channel, the ring of
//! recent frames and the viewer count.

use super::Frame;
use super::pace::Pace;
use std::collections::VecDeque;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use tokio::sync::broadcast;

struct Ring {
    frames: VecDeque<Frame>,
    head: u64,
}

pub struct Topic {
    pub key: i64,
    ring: RwLock<Ring>,
    capacity: usize,
    tx: broadcast::Sender<Frame>,
    viewers: AtomicU64,
    presence_sent: AtomicU64,
    /// The narrator's updates: when the last went out, how far apart.
    pub pace: Pace,
}

impl Topic {
    pub fn new(key: i64, head: u64, ring_capacity: usize, channel_capacity: usize) -> Self {
        Self {
            key,
            ring: RwLock::new(Ring {
                frames: VecDeque::with_capacity(ring_capacity.min(64)),
                head,
            }),
            capacity: ring_capacity,
            tx: broadcast::Sender::new(channel_capacity),
            viewers: AtomicU64::new(0),
            presence_sent: AtomicU64::new(0),
            pace: Pace::default(),
        }
    }

    fn ring_read(&self) -> std::sync::RwLockReadGuard<'_, Ring> {
        self.ring.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Appends a committed frame (in seq order) and sends it live. Seqs the
    /// topic already knows are ignored; the channel send happens under the
    /// ring lock so that `subscribe` sees each frame exactly once.
    pub fn publish(&self, frame: Frame) {
        let mut ring = self.ring.write().unwrap_or_else(|p| p.into_inner());
        if frame.seq <= ring.head {
            return;
        }
        if frame.seq != ring.head + 1 {
            ring.frames.clear();
        }
        ring.head = frame.seq;
        if ring.frames.len() == self.capacity {
            ring.frames.pop_front();
        }
        ring.frames.push_back(frame.clone());
        let _ = self.tx.send(frame);
    }

    /// Swaps a rewritten event into the ring, if the ring still holds it,
    /// so resumes serve the scrubbed text too. Nothing is broadcast.
    pub fn replace(&self, frame: Frame) {
        let mut ring = self.ring.write().unwrap_or_else(|p| p.into_inner());
        let Some(first) = ring.frames.front().map(|f| f.seq) else {
            return;
        };
        if frame.seq >= first
            && let Some(slot) = ring.frames.get_mut((frame.seq - first) as usize)
        {
            *slot = frame;
        }
    }

    pub fn publish_live(&self, frame: Frame) {
        let _ = self.tx.send(frame);
    }

    /// A live receiver and the head it starts after: everything up to the head
    /// is history, everything after arrives on the receiver.
    pub fn subscribe(&self) -> (broadcast::Receiver<Frame>, u64) {
        let ring = self.ring_read();
        (self.tx.subscribe(), ring.head)
    }

    pub fn head(&self) -> u64 {
        self.ring_read().head
    }

    /// Frames with seq in `(after, through]`, at most `limit`, if the ring
    /// still holds the first of them.
    pub fn ring_range(&self, after: u64, through: u64, limit: usize) -> Option<Vec<Frame>> {
        let ring = self.ring_read();
        let first = ring.frames.front()?.seq;
        if first > after + 1 {
            return None;
        }
        let skip = (after + 1 - first) as usize;
        let take = (through.min(ring.head).saturating_sub(after) as usize).min(limit);
        Some(ring.frames.iter().skip(skip).take(take).cloned().collect())
    }

    pub fn viewers(&self) -> u64 {
        self.viewers.load(Relaxed)
    }

    pub(super) fn viewer_joined(&self) {
        self.viewers.fetch_add(1, Relaxed);
    }

    pub(super) fn viewer_left(&self) {
        self.viewers.fetch_sub(1, Relaxed);
    }

    /// The viewer count, if it changed since the last time this was asked.
    pub(super) fn presence_changed(&self) -> Option<u64> {
        let now = self.viewers();
        (self.presence_sent.swap(now, Relaxed) != now).then_some(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic_with(seqs: std::ops::RangeInclusive<u64>, capacity: usize) -> Topic {
        let topic = Topic::new(1, seqs.start() - 1, capacity, 16);
        for seq in seqs {
            topic.publish(Frame::sequenced(seq, "{}"));
        }
        topic
    }

    #[test]
    fn the_ring_keeps_the_newest_frames() {
        let topic = topic_with(1..=10, 4);
        assert_eq!(topic.head(), 10);
        assert!(
            topic.ring_range(5, 10, 100).is_none(),
            "seq 6 has left the ring"
        );
        let seqs: Vec<u64> = topic
            .ring_range(6, 10, 100)
            .unwrap()
            .iter()
            .map(|f| f.seq)
            .collect();
        assert_eq!(seqs, vec![7, 8, 9, 10]);
        let seqs: Vec<u64> = topic
            .ring_range(7, 9, 1)
            .unwrap()
            .iter()
            .map(|f| f.seq)
            .collect();
        assert_eq!(seqs, vec![8]);
    }

    #[test]
    fn rewritten_frames_replace_their_seq_in_the_ring() {
        let topic = topic_with(1..=3, 8);
        topic.replace(Frame::from_history(2, "{\"scrubbed\":true}"));
        topic.replace(Frame::from_history(9, "{}"));
        let frames = topic.ring_range(0, 3, 10).unwrap();
        assert_eq!(frames[1].ws.as_str(), "{\"scrubbed\":true}");
        assert_eq!(
            frames.iter().map(|f| f.seq).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn republished_seqs_are_ignored() {
        let topic = topic_with(1..=3, 8);
        let (mut rx, head) = topic.subscribe();
        assert_eq!(head, 3);
        topic.publish(Frame::sequenced(3, "{}"));
        topic.publish(Frame::sequenced(4, "{}"));
        assert_eq!(rx.try_recv().unwrap().seq, 4);
        assert!(rx.try_recv().is_err());
    }
}
