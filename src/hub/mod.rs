//! Per-session fan-out. Every event is serialized once into a [`Frame`];
//! the same bytes go to every connection through a broadcast channel, and a
//! ring of recent frames (then the store, through [`Backfill`]) lets any
//! connection resume from any seq without gaps or duplicates.
//!
//! The narrow interface (publish committed events, follow from a seq) is what
//! a bus-backed implementation for several nodes would provide as well.

mod follower;
mod frame;
mod topic;

pub use follower::{Backfill, FollowError, Follower};
pub use frame::Frame;
pub use topic::Topic;

use crate::config::StreamConfig;
use crate::metrics::Metrics;
use crate::store::{CommitListener, StoredEvent};
use dashmap::DashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

pub struct Hub {
    topics: DashMap<i64, Arc<Topic>>,
    config: StreamConfig,
    metrics: Arc<Metrics>,
    heartbeat: watch::Sender<u64>,
}

impl Hub {
    pub fn new(config: StreamConfig, metrics: Arc<Metrics>) -> Arc<Self> {
        Arc::new(Self {
            topics: DashMap::new(),
            config,
            metrics,
            heartbeat: watch::Sender::new(0),
        })
    }

    /// The topic of a session, created on first use with the store's head.
    pub fn topic(&self, session_key: i64, store_head: u64) -> Arc<Topic> {
        if let Some(topic) = self.topics.get(&session_key) {
            return topic.clone();
        }
        self.topics
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

    /// Publishes a live (unsequenced) event to everyone following a session.
    pub fn publish_live(&self, session_key: i64, json: String) {
        if let Some(topic) = self.topics.get(&session_key) {
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

impl CommitListener for Hub {
    fn committed(&self, events: &[StoredEvent]) {
        for event in events {
            if event.replaces {
                if let Some(topic) = self.topics.get(&event.session_key) {
                    topic.replace(Frame::from_history(event.seq, &event.body));
                }
                continue;
            }
            let topic = self.topic(event.session_key, event.seq - 1);
            topic.publish(Frame::sequenced(event.seq, &event.body));
            self.metrics
                .events_published
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
}
