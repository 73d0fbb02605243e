//! What a viewer tallies: counts summed over workers, a latency histogram,
//! and the cursor that reads each event's sequence number for gaps and
//! duplicates.

use crate::narrator::now_ns;
use crate::servers::Kind;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

/// What viewers count, summed over a worker and then over all workers.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Counts {
    pub received: u64,
    pub gaps: u64,
    pub duplicates: u64,
    pub connected: u64,
    pub failed: u64,
    pub reconnects: u64,
    pub closed_4008: u64,
    pub closed_1012: u64,
    pub refused: u64,
    pub slow_closed: u64,
    pub slow_open: u64,
    pub slow_received: u64,
    /// Viewers whose last seq at the end was below the session's head.
    #[serde(default)]
    pub behind: u64,
}

impl Counts {
    pub fn add(&mut self, other: &Counts) {
        let pairs = [
            (&mut self.received, other.received),
            (&mut self.gaps, other.gaps),
            (&mut self.duplicates, other.duplicates),
            (&mut self.connected, other.connected),
            (&mut self.failed, other.failed),
            (&mut self.reconnects, other.reconnects),
            (&mut self.closed_4008, other.closed_4008),
            (&mut self.closed_1012, other.closed_1012),
            (&mut self.refused, other.refused),
            (&mut self.slow_closed, other.slow_closed),
            (&mut self.slow_open, other.slow_open),
            (&mut self.slow_received, other.slow_received),
            (&mut self.behind, other.behind),
        ];
        for (mine, theirs) in pairs {
            *mine += theirs;
        }
    }
}

/// One update's deliveries: when it was sent, how many arrived, and the
/// first, slowest and summed latency (to find the rounds that met
/// something; the first delivery says how long publishing took, the rest
/// how long the fan-out).
#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
pub struct Round {
    pub n: u64,
    pub sent_ms: u64,
    pub count: u64,
    pub sum_us: u64,
    pub max_us: u64,
    pub min_us: u64,
}

impl Round {
    pub fn add(&mut self, other: &Round) {
        self.n = other.n;
        self.sent_ms = other.sent_ms;
        self.min_us = if self.count == 0 {
            other.min_us
        } else {
            self.min_us.min(other.min_us)
        };
        self.count += other.count;
        self.sum_us += other.sum_us;
        self.max_us = self.max_us.max(other.max_us);
    }
}

/// One worker's tallies: a latency histogram, each update's round and the counts.
pub struct Tally {
    pub latency_us: Histogram<u64>,
    pub rounds: std::collections::BTreeMap<u64, Round>,
    pub counts: Counts,
}

impl Default for Tally {
    fn default() -> Self {
        Self {
            latency_us: Histogram::new_with_bounds(1, 120_000_000, 3).expect("histogram bounds"),
            rounds: Default::default(),
            counts: Counts::default(),
        }
    }
}

pub fn number_after(text: &str, key: &str) -> Option<u64> {
    let start = text.find(key)? + key.len();
    let digits = text[start..].bytes().take_while(u8::is_ascii_digit).count();
    text[start..start + digits].parse().ok()
}

/// A viewer's cursor: the last seq it saw.
pub struct Cursor {
    pub last: u64,
}

impl Cursor {
    /// Tallies one event text. Gallery events carry `"seq":`; peers' texts
    /// carry the narrator's `n=` as their sequence.
    /// Checks the order of a Gallery event without timing it (for stalled viewers).
    pub fn count(&mut self, text: &str, tally: &RefCell<Tally>) {
        let Some(seq) = number_after(text, "\"seq\":") else {
            return;
        };
        let mut t = tally.borrow_mut();
        if seq <= self.last {
            t.counts.duplicates += 1;
        } else {
            t.counts.gaps += seq - self.last - 1;
            self.last = seq;
        }
    }

    pub fn on_text(&mut self, kind: Kind, text: &str, tally: &RefCell<Tally>) {
        let seq = match kind {
            Kind::Gallery => number_after(text, "\"seq\":"),
            _ => number_after(text, "n="),
        };
        let Some(seq) = seq else { return };
        let mut t = tally.borrow_mut();
        if seq <= self.last {
            t.counts.duplicates += 1;
            return;
        }
        if seq > self.last + 1 {
            t.counts.gaps += seq - self.last - 1;
        }
        self.last = seq;
        if let Some(sent) = number_after(text, "t=") {
            let us = (now_ns().saturating_sub(sent as u128) / 1000) as u64;
            t.latency_us.saturating_record(us);
            let n = number_after(text, "n=").unwrap_or(0);
            t.rounds.entry(n).or_default().add(&Round {
                n,
                sent_ms: sent / 1_000_000,
                count: 1,
                sum_us: us,
                max_us: us,
                min_us: us,
            });
            t.counts.received += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_after_their_key() {
        assert_eq!(
            number_after(r#"{"type":"update","seq":42,"ts":"t"}"#, "\"seq\":"),
            Some(42)
        );
        assert_eq!(number_after("t=1700000000000000000 n=7 xxx", "n="), Some(7));
        assert_eq!(number_after("no number here", "n="), None);
    }

    #[test]
    fn a_round_merged_from_workers_keeps_its_first_and_slowest_delivery() {
        let one = |us| Round {
            n: 3,
            sent_ms: 9,
            count: 1,
            sum_us: us,
            max_us: us,
            min_us: us,
        };
        let mut round = Round::default();
        for us in [40, 7, 90] {
            round.add(&one(us));
        }
        assert_eq!((round.count, round.sum_us), (3, 137));
        assert_eq!((round.min_us, round.max_us), (7, 90));
    }

    #[test]
    fn the_cursor_counts_gaps_and_duplicates() {
        let tally = RefCell::new(Tally::default());
        let mut cursor = Cursor { last: 0 };
        for n in [1, 2, 2, 5, 6] {
            cursor.on_text(Kind::Node, &format!("t=1 n={n} x"), &tally);
        }
        let t = tally.borrow();
        assert_eq!(
            (t.counts.received, t.counts.duplicates, t.counts.gaps),
            (4, 1, 2)
        );
    }
}
