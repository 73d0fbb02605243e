//! The broadcast's pace: when the narrator's last update went out and how
//! far apart updates come, so that what every viewer is sent besides them
//! (the question queue, answers) goes out in the slot behind an update
//! instead of on top of its fan-out.

use super::Hub;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// How a narrator's update begins when serialized (the tag comes first).
const UPDATE_PREFIX: &str = r#"{"type":"update","#;

/// Whether a committed public event is a narrator's update.
pub fn is_update(body: &str) -> bool {
    body.starts_with(UPDATE_PREFIX)
}

/// One session's pace (ms after [`epoch`]; 0: never or not known).
#[derive(Default)]
pub struct Pace {
    update_at: AtomicU64,
    update_interval: AtomicU64,
}

/// The moment the pace counts from.
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Milliseconds after [`epoch`], counted from 1 (0 stands for "never").
fn now_ms() -> u64 {
    epoch().elapsed().as_millis() as u64 + 1
}

impl Pace {
    /// Notes that a narrator's update went out now.
    pub fn update_sent(&self) {
        let now = now_ms();
        let before = self.update_at.swap(now, Relaxed);
        if before != 0 {
            self.update_interval.store(now - before, Relaxed);
        }
    }

    /// How long since the last update went out (`None`: none yet), and the
    /// time between the last two (`None`: not known).
    fn read(&self) -> (Option<Duration>, Option<Duration>) {
        let at = self.update_at.load(Relaxed);
        let interval = self.update_interval.load(Relaxed);
        let since = (at != 0).then(|| Duration::from_millis(now_ms().saturating_sub(at)));
        let interval = (interval != 0).then(|| Duration::from_millis(interval));
        (since, interval)
    }
}

impl Hub {
    /// How long since the narrator's last update went out to a session's
    /// viewers (`None`: nobody follows it, or no update yet).
    pub fn since_update(&self, session_key: i64) -> Option<Duration> {
        self.topics.get(&session_key).and_then(|t| t.pace.read().0)
    }

    /// How long a broadcast other than an update (an answer) should wait so
    /// that it goes out `gap` behind an update instead of on top of one.
    pub fn wait_for_slot(&self, session_key: i64, gap: Duration) -> Duration {
        match self.topics.get(&session_key).map(|t| t.pace.read()) {
            Some((Some(since), interval)) => slot_wait(since, interval, gap),
            _ => Duration::ZERO,
        }
    }
}

/// The wait before a broadcast that is not an update, the last update
/// having gone out `since` ago and the one before `interval` before it:
/// until `gap` after the last update, or, when the next is due within
/// `gap`, until `gap` after that one. A pace slower than 5 s, or an update
/// already late, is no pace to keep: no wait then.
fn slot_wait(since: Duration, interval: Option<Duration>, gap: Duration) -> Duration {
    if since < gap {
        return gap - since;
    }
    match interval {
        Some(interval) if interval <= Duration::from_secs(5) && since < interval => {
            if since + gap > interval {
                interval - since + gap
            } else {
                Duration::ZERO
            }
        }
        _ => Duration::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StreamConfig;
    use crate::protocol::Event;
    use crate::store::{Channel, CommitListener, StoredEvent};
    use std::sync::Arc;
    use uuid::Uuid;

    fn commit(hub: &Hub, seq: u64, event: serde_json::Value) {
        let event: Event = serde_json::from_value(event).unwrap();
        hub.committed(&[StoredEvent {
            session_key: 1,
            seq,
            body: event.to_json(),
            channel: Channel::Public,
        }]);
    }

    #[test]
    fn the_narrators_updates_set_the_pace_and_other_events_do_not() {
        let hub = Hub::new(StreamConfig::default(), Arc::default());
        assert_eq!(hub.since_update(1), None, "nobody follows yet");
        hub.topic(1, 0);
        assert_eq!(hub.since_update(1), None, "no update yet");
        let update = serde_json::json!({
            "type": "update", "seq": 1, "ts": "2026-12-01T10:00:00.000Z",
            "update": {"id": Uuid::nil(), "text": "Incision", "author": "Dr A",
                       "ts": "2026-12-01T10:00:00.000Z", "retracted": false},
        });
        commit(&hub, 1, update);
        let after_update = hub.since_update(1).unwrap();
        assert!(after_update < Duration::from_secs(1));
        std::thread::sleep(Duration::from_millis(30));
        let paused = serde_json::json!({
            "type": "session_state", "seq": 2, "ts": "2026-12-01T10:00:01.000Z",
            "state": "paused",
        });
        commit(&hub, 2, paused);
        assert!(
            hub.since_update(1).unwrap() >= Duration::from_millis(30),
            "other history events leave the pace alone"
        );
    }

    #[test]
    fn an_answer_waits_for_the_slot_behind_an_update() {
        let ms = Duration::from_millis;
        let gap = ms(300);
        // An update's fan-out is running: wait until 300 ms behind it.
        assert_eq!(slot_wait(ms(100), Some(ms(1000)), gap), ms(200));
        // In the slot: at once.
        assert_eq!(slot_wait(ms(400), Some(ms(1000)), gap), ms(0));
        // The next update is due within 300 ms: behind that one instead.
        assert_eq!(slot_wait(ms(800), Some(ms(1000)), gap), ms(500));
        // No steady pace, or the update is late: no wait.
        assert_eq!(slot_wait(ms(800), None, gap), ms(0));
        assert_eq!(slot_wait(ms(1200), Some(ms(1000)), gap), ms(0));
        assert_eq!(slot_wait(ms(8000), Some(ms(10000)), gap), ms(0));
    }
}
