//! Per-session fan-out. Every event is serialized once into a [`Frame`];
//! the same bytes go to every connection through a broadcast channel, and a
//! ring of recent frames (then the store, through [`Backfill`]) lets any
//! connection resume from any seq without gaps or duplicates.
//!
//! The narrow interface (publish committed events, follow from a seq) is what
//! a bus-backed implementation for several nodes would provide as well.

mod feed;
mod follower;
mod frame;
mod pace;
mod topic;

pub use feed::{Audience, Feed};
pub use follower::{Backfill, FollowError, Follower};
pub use frame::Frame;
pub use topic::Topic;

use crate::config::StreamConfig;
use crate::metrics::Metrics;
use crate::store::{Channel, CommitListener, StoredEvent};
use dashmap::DashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub struct Hub {
    /// Each session's public history and live events.
    topics: DashMap<i64, Arc<Topic>>,
    /// Each session's staff history (`staff_seq`) and staff live events.
    staff: DashMap<i64, Arc<Topic>>,
    /// Live channels of the viewers following a session right now.
    viewers: DashMap<(i64, Uuid), broadcast::Sender<Frame>>,
    config: StreamConfig,
    metrics: Arc<Metrics>,
    heartbeat: watch::Sender<u64>,
}

impl Hub {
    pub fn new(config: StreamConfig, metrics: Arc<Metrics>) -> Arc<Self> {
        Arc::new(Self {
            topics: DashMap::new(),
            staff: DashMap::new(),
            viewers: DashMap::new(),
            config,
            metrics,
            heartbeat: watch::Sender::new(0),
        })
    }

    /// The topic of a session, created on first use with the store's head.
    pub fn topic(&self, session_key: i64, store_head: u64) -> Arc<Topic> {
        self.topic_in(&self.topics, session_key, store_head)
    }

    fn topic_in(
        &self,
        topics: &DashMap<i64, Arc<Topic>>,
        session_key: i64,
        store_head: u64,
    ) -> Arc<Topic> {
        if let Some(topic) = topics.get(&session_key) {
            return topic.clone();
        }
        topics
            .entry(session_key)
            .or_insert_with(|| {
                Arc::new(Topic::new(
                    session_key,
                    store_head,
                    self.config.ring_events,
                    self.config.channel_capacity,
                ))
            })
            .clone()
    }

    /// Viewers currently following a session.
    pub fn viewers(&self, session_key: i64) -> u64 {
        self.topics
            .get(&session_key)
            .map(|t| t.viewers())
            .unwrap_or(0)
    }

    /// Starts following a session from `since` (exclusive).
    pub fn follow(
        &self,
        session_key: i64,
        store_head: u64,
        since: u64,
        counts_as_viewer: bool,
        backfill: Arc<dyn Backfill>,
    ) -> Follower {
        let topic = self.topic(session_key, store_head);
        Follower::new(
            topic,
            since,
            counts_as_viewer,
            backfill,
            self.metrics.clone(),
        )
    }

    /// Starts following a session's staff history from `staff_since`.
    pub fn follow_staff(
        &self,
        session_key: i64,
        store_staff_head: u64,
        since: u64,
        backfill: Arc<dyn Backfill>,
    ) -> Follower {
        let topic = self.topic_in(&self.staff, session_key, store_staff_head);
        Follower::new(topic, since, false, backfill, self.metrics.clone())
    }

    /// The live channel of one viewer (its `my_question` events), for as
    /// long as the returned feed lives.
    pub fn follow_viewer(self: &Arc<Self>, session_key: i64, viewer_id: Uuid) -> ViewerFeed {
        let rx = self
            .viewers
            .entry((session_key, viewer_id))
            .or_insert_with(|| broadcast::Sender::new(VIEWER_CHANNEL))
            .subscribe();
        ViewerFeed {
            hub: self.clone(),
            key: (session_key, viewer_id),
            rx: Some(rx),
        }
    }

    /// Forgets an ended session's topics; streams still open keep theirs
    /// until they close.
    pub fn drop_session(&self, session_key: i64) {
        self.topics.remove(&session_key);
        self.staff.remove(&session_key);
        self.viewers.retain(|(key, _), _| *key != session_key);
    }

    /// Sessions with a topic in memory (for metrics and tests).
    pub fn topics_in_memory(&self) -> usize {
        self.topics.len() + self.staff.len()
    }

    /// Publishes a live (unsequenced) event to everyone following a session.
    pub fn publish_live(&self, session_key: i64, json: String) {
        if let Some(topic) = self.topics.get(&session_key) {
            topic.publish_live(Frame::live(json));
        }
    }

    /// Publishes live events to everyone following a session (`staff`:
    /// to its staff streams) as one bundle: one wake-up and one write per
    /// connection however many there are.
    pub fn publish_live_bundle(&self, session_key: i64, staff: bool, jsons: Vec<String>) {
        let topics = if staff { &self.staff } else { &self.topics };
        if let Some(topic) = topics.get(&session_key)
            && let Some(frame) = Frame::live_bundle(jsons)
        {
            topic.publish_live(frame);
        }
    }

    /// Publishes a live event to the staff streams of a session.
    pub fn publish_staff_live(&self, session_key: i64, json: String) {
        if let Some(topic) = self.staff.get(&session_key) {
            topic.publish_live(Frame::live(json));
        }
    }

    /// A tick shared by every connection, for pings and heartbeat comments;
    /// it also tells every stream when the server stops.
    pub fn heartbeat(&self) -> Heartbeat {
        Heartbeat(self.heartbeat.subscribe())
    }

    /// Tells every stream to close (1012: reconnect elsewhere with since).
    pub fn stop_streams(&self) {
        self.heartbeat.send_replace(STOPPING);
    }

    /// Ticks the shared heartbeat and publishes coalesced viewer counts until
    /// `shutdown` fires.
    pub async fn run_timers(self: Arc<Self>, shutdown: CancellationToken) {
        let mut presence = tokio::time::interval(Duration::from_millis(
            self.config.presence_interval_ms.max(50),
        ));
        let mut heartbeat =
            tokio::time::interval(Duration::from_secs(self.config.heartbeat_secs.max(1)));
        presence.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        heartbeat.tick().await;
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return self.stop_streams(),
                _ = presence.tick() => self.publish_presence(),
                _ = heartbeat.tick() => self.heartbeat.send_modify(|n| *n += 1),
            }
        }
    }

    fn publish_presence(&self) {
        for topic in self.topics.iter() {
            if let Some(viewers) = topic.presence_changed() {
                let json = crate::protocol::Event::Presence { viewers }.to_json();
                topic.publish_live(Frame::live(json));
            }
        }
    }
}

const STOPPING: u64 = u64::MAX;

/// What the shared heartbeat says.
#[derive(Debug, PartialEq, Eq)]
pub enum Beat {
    /// Time to ping (or send a keep-alive).
    Tick,
    /// The server is stopping.
    Stop,
}

/// One connection's view of the shared heartbeat (one timer for all).
pub struct Heartbeat(watch::Receiver<u64>);

impl Heartbeat {
    pub fn stopping(&self) -> bool {
        *self.0.borrow() == STOPPING
    }

    /// Waits for the next beat. Cancel-safe.
    pub async fn beat(&mut self) -> Beat {
        match self.0.changed().await {
            Ok(()) if !self.stopping() => Beat::Tick,
            _ => Beat::Stop,
        }
    }
}

/// How many `my_question` events may wait for one viewer's stream.
const VIEWER_CHANNEL: usize = 16;

/// One stream's subscription to its viewer's live channel; the channel is
/// dropped from the hub with its last subscriber.
pub struct ViewerFeed {
    hub: Arc<Hub>,
    key: (i64, Uuid),
    rx: Option<broadcast::Receiver<Frame>>,
}

impl ViewerFeed {
    /// The next live event if one is ready without waiting.
    pub fn try_next(&mut self) -> Option<Frame> {
        let rx = self.rx.as_mut()?;
        loop {
            match rx.try_recv() {
                Ok(frame) => return Some(frame),
                Err(broadcast::error::TryRecvError::Lagged(_)) => continue,
                Err(_) => return None,
            }
        }
    }

    /// The next live event for this viewer. Cancel-safe. A viewer that fell
    /// behind skips what it missed (these are live events: the page reloads
    /// its questions).
    pub async fn next(&mut self) -> Option<Frame> {
        let rx = self.rx.as_mut()?;
        loop {
            match rx.recv().await {
                Ok(frame) => return Some(frame),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

impl Drop for ViewerFeed {
    fn drop(&mut self) {
        self.hub
            .viewers
            .remove_if(&self.key, |_, tx| tx.receiver_count() <= 1);
        self.rx = None;
    }
}

impl CommitListener for Hub {
    fn committed(&self, events: &[StoredEvent]) {
        for event in events {
            let key = event.session_key;
            match event.channel {
                Channel::Public => {
                    let topic = self.topic(key, event.seq - 1);
                    topic.publish(Frame::sequenced(event.seq, &event.body));
                    if pace::is_update(&event.body) {
                        topic.pace.update_sent();
                    }
                    self.metrics
                        .events_published
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                Channel::Rewrite => {
                    if let Some(topic) = self.topics.get(&key) {
                        topic.replace(Frame::from_history(event.seq, &event.body));
                    }
                }
                Channel::Staff => {
                    let topic = self.topic_in(&self.staff, key, event.seq - 1);
                    topic.publish(Frame::staff(event.seq, &event.body, true));
                }
                Channel::PublicLive => self.publish_live(key, event.body.clone()),
                Channel::StaffLive => self.publish_staff_live(key, event.body.clone()),
                Channel::Viewer(viewer) => {
                    if let Some(tx) = self.viewers.get(&(key, viewer)) {
                        let _ = tx.send(Frame::live(event.body.clone()));
                    }
                }
            }
        }
    }
}
