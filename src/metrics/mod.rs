//! Counters and histograms for `/metrics`, in Prometheus text format.
//! Plain atomics: recording is a few relaxed increments on the hot path.

mod questions;

pub use questions::QuestionMetrics;

use crate::domain::screen::{Action, Category, Verdict};
use std::fmt::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    WebSocket,
    Sse,
}

/// A latency histogram with fixed buckets (seconds).
pub struct Histogram {
    bounds: &'static [f64],
    buckets: Vec<AtomicU64>,
    sum_micros: AtomicU64,
    count: AtomicU64,
}

const LATENCY_BOUNDS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

impl Histogram {
    fn new(bounds: &'static [f64]) -> Self {
        Self {
            bounds,
            buckets: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            sum_micros: AtomicU64::new(0),
            count: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        if let Some(i) = self.bounds.iter().position(|b| secs <= *b) {
            self.buckets[i].fetch_add(1, Relaxed);
        }
        self.sum_micros.fetch_add(d.as_micros() as u64, Relaxed);
        self.count.fetch_add(1, Relaxed);
    }

    pub fn count(&self) -> u64 {
        self.count.load(Relaxed)
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cumulative = 0;
        for (bound, bucket) in self.bounds.iter().zip(&self.buckets) {
            cumulative += bucket.load(Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {cumulative}");
        }
        let count = self.count.load(Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(
            out,
            "{name}_sum {}",
            self.sum_micros.load(Relaxed) as f64 / 1e6
        );
        let _ = writeln!(out, "{name}_count {count}");
    }
}

pub struct Metrics {
    /// Open streams: [viewer ws, viewer sse, staff ws, staff sse].
    connections: [AtomicI64; 4],
    pub events_published: AtomicU64,
    pub frames_delivered: AtomicU64,
    pub lagged: AtomicU64,
    pub backfilled_events: AtomicU64,
    pub slow_consumer_disconnects: AtomicU64,
    pub heartbeat_timeouts: AtomicU64,
    pub rejected_connections: AtomicU64,
    pub refused_http_connections: AtomicU64,
    pub rate_limited: AtomicU64,
    pub auth_failures: AtomicU64,
    pub floods_closed: AtomicU64,
    pub header_timeouts: AtomicU64,
    pub writes_committed: AtomicU64,
    pub commit_latency: Histogram,
    pub fanout_lag: Histogram,
    pub screening: ScreeningMetrics,
    pub questions: QuestionMetrics,
}

/// How often the privacy screen acts. Counts only: never the text.
#[derive(Default)]
pub struct ScreeningMetrics {
    findings: [AtomicU64; Category::ALL.len()],
    /// Texts screened for publishing, by verdict: pass, flag, hold, block.
    verdicts: [AtomicU64; 4],
    pub confirmed: AtomicU64,
    pub held_for_review: AtomicU64,
    pub released: AtomicU64,
    pub discarded: AtomicU64,
    pub previews: AtomicU64,
}

impl ScreeningMetrics {
    pub fn record(&self, verdict: &Verdict) {
        let slot = match verdict.action {
            Action::Pass => 0,
            Action::Flag => 1,
            Action::Hold => 2,
            Action::Block => 3,
        };
        self.verdicts[slot].fetch_add(1, Relaxed);
        for finding in &verdict.findings {
            self.findings[finding.category.index()].fetch_add(1, Relaxed);
        }
    }

    fn render(&self, out: &mut String) {
        let name = "gallery_screen_findings_total";
        let _ = writeln!(
            out,
            "# HELP {name} Privacy screen findings in texts submitted for publishing, by category.\n# TYPE {name} counter"
        );
        for category in Category::ALL {
            let v = self.findings[category.index()].load(Relaxed);
            let _ = writeln!(out, "{name}{{category=\"{}\"}} {v}", category.as_str());
        }
        let name = "gallery_screen_texts_total";
        let _ = writeln!(
            out,
            "# HELP {name} Texts screened for publishing, by verdict.\n# TYPE {name} counter"
        );
        for (i, verdict) in ["pass", "flag", "hold", "block"].iter().enumerate() {
            let v = self.verdicts[i].load(Relaxed);
            let _ = writeln!(out, "{name}{{verdict=\"{verdict}\"}} {v}");
        }
        for (name, help, counter) in [
            (
                "gallery_screen_confirmed_total",
                "Held texts their author confirmed and published.",
                &self.confirmed,
            ),
            (
                "gallery_screen_held_for_review_total",
                "Held texts stored for a moderator's review.",
                &self.held_for_review,
            ),
            (
                "gallery_screen_released_total",
                "Held texts a moderator released.",
                &self.released,
            ),
            (
                "gallery_screen_discarded_total",
                "Held texts a moderator discarded.",
                &self.discarded,
            ),
            (
                "gallery_screen_previews_total",
                "Texts checked through POST /screen (nothing stored).",
                &self.previews,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                counter.load(Relaxed)
            );
        }
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            connections: Default::default(),
            events_published: AtomicU64::new(0),
            frames_delivered: AtomicU64::new(0),
            lagged: AtomicU64::new(0),
            backfilled_events: AtomicU64::new(0),
            slow_consumer_disconnects: AtomicU64::new(0),
            heartbeat_timeouts: AtomicU64::new(0),
            rejected_connections: AtomicU64::new(0),
            refused_http_connections: AtomicU64::new(0),
            rate_limited: AtomicU64::new(0),
            auth_failures: AtomicU64::new(0),
            floods_closed: AtomicU64::new(0),
            header_timeouts: AtomicU64::new(0),
            writes_committed: AtomicU64::new(0),
            commit_latency: Histogram::new(LATENCY_BOUNDS),
            fanout_lag: Histogram::new(LATENCY_BOUNDS),
            screening: ScreeningMetrics::default(),
            questions: QuestionMetrics::default(),
        }
    }
}

/// Counts one open stream for as long as it lives, and gives the stream
/// access to the metrics it records.
pub struct ConnectionGauge {
    metrics: Arc<Metrics>,
    slot: usize,
}

impl ConnectionGauge {
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
}

impl Drop for ConnectionGauge {
    fn drop(&mut self) {
        self.metrics.connections[self.slot].fetch_sub(1, Relaxed);
    }
}

impl Metrics {
    fn slot(staff: bool, transport: Transport) -> usize {
        usize::from(staff) * 2 + usize::from(transport == Transport::Sse)
    }

    pub fn connection(self: &Arc<Self>, staff: bool, transport: Transport) -> ConnectionGauge {
        let slot = Self::slot(staff, transport);
        self.connections[slot].fetch_add(1, Relaxed);
        ConnectionGauge {
            metrics: self.clone(),
            slot,
        }
    }

    pub fn open_connections(&self) -> i64 {
        self.connections.iter().map(|c| c.load(Relaxed)).sum()
    }

    pub fn record_commit(&self, elapsed: Duration, writes: usize) {
        self.commit_latency.observe(elapsed);
        self.writes_committed.fetch_add(writes as u64, Relaxed);
    }

    pub fn render(&self) -> String {
        let mut out = String::with_capacity(4096);
        out.push_str("# HELP gallery_connections Open streams by role and transport.\n# TYPE gallery_connections gauge\n");
        for (role, staff) in [("viewer", false), ("staff", true)] {
            for (name, t) in [("websocket", Transport::WebSocket), ("sse", Transport::Sse)] {
                let v = self.connections[Self::slot(staff, t)].load(Relaxed);
                let _ = writeln!(
                    out,
                    "gallery_connections{{role=\"{role}\",transport=\"{name}\"}} {v}"
                );
            }
        }
        let counters = [
            (
                "gallery_events_published_total",
                "Seq'd events published to the hub.",
                &self.events_published,
            ),
            (
                "gallery_frames_delivered_total",
                "Frames written to streams.",
                &self.frames_delivered,
            ),
            (
                "gallery_lagged_total",
                "Times a stream fell behind the live channel and caught up from history.",
                &self.lagged,
            ),
            (
                "gallery_backfilled_events_total",
                "Events served from the ring or the store to catch a stream up.",
                &self.backfilled_events,
            ),
            (
                "gallery_slow_consumer_disconnects_total",
                "Streams closed with 4008 for making no write progress.",
                &self.slow_consumer_disconnects,
            ),
            (
                "gallery_heartbeat_timeouts_total",
                "Streams reaped for not answering pings.",
                &self.heartbeat_timeouts,
            ),
            (
                "gallery_rejected_connections_total",
                "Stream requests refused by admission limits.",
                &self.rejected_connections,
            ),
            (
                "gallery_http_connections_refused_total",
                "HTTP connections closed at accept: too many open from one address.",
                &self.refused_http_connections,
            ),
            (
                "gallery_rate_limited_total",
                "Requests answered 429 by a rate limit (viewer joins, streams per address).",
                &self.rate_limited,
            ),
            (
                "gallery_auth_failures_total",
                "Requests with a token that is not valid (or rotated).",
                &self.auth_failures,
            ),
            (
                "gallery_ws_floods_closed_total",
                "WebSocket clients closed for sending too many messages or not reading.",
                &self.floods_closed,
            ),
            (
                "gallery_http_header_timeouts_total",
                "HTTP connections closed for not sending request headers in time.",
                &self.header_timeouts,
            ),
            (
                "gallery_store_writes_committed_total",
                "Writes committed by the group-commit writer.",
                &self.writes_committed,
            ),
        ];
        for (name, help, counter) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                counter.load(Relaxed)
            );
        }
        self.commit_latency.render(
            &mut out,
            "gallery_store_commit_seconds",
            "Time to commit one group of writes.",
        );
        self.fanout_lag.render(
            &mut out,
            "gallery_fanout_lag_seconds",
            "Publish to flush on a stream.",
        );
        self.screening.render(&mut out);
        self.questions.render(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauges_follow_connections_and_render() {
        let m = Arc::new(Metrics::default());
        {
            let _a = m.connection(false, Transport::WebSocket);
            let _b = m.connection(true, Transport::Sse);
            assert_eq!(m.open_connections(), 2);
            assert!(
                m.render()
                    .contains("gallery_connections{role=\"staff\",transport=\"sse\"} 1")
            );
        }
        assert_eq!(m.open_connections(), 0);
        m.commit_latency.observe(Duration::from_millis(3));
        let text = m.render();
        assert!(text.contains("gallery_store_commit_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("gallery_store_commit_seconds_count 1"));
    }
}
