//! How fast one viewer, and one client address, may ask and vote: keyed
//! GCRA limiters (governor). Beyond them: 429 with `Retry-After`. A limited
//! viewer is refused before anything reaches the store, so it slows no one.

use crate::config::QuestionsConfig;
use crate::metrics::Metrics;
use crate::{Error, Result};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;
use uuid::Uuid;

fn quota(per_minute: u32, burst: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute.max(1)).expect("at least 1"))
        .allow_burst(NonZeroU32::new(burst.max(1)).expect("at least 1"))
}

/// One kind of submission, limited per viewer and per address.
struct Pair {
    viewer: DefaultKeyedRateLimiter<Uuid>,
    address: DefaultKeyedRateLimiter<IpAddr>,
}

pub struct QuestionLimits {
    asks: Pair,
    votes: Pair,
    clock: DefaultClock,
    metrics: Arc<Metrics>,
}

impl QuestionLimits {
    pub fn new(c: &QuestionsConfig, metrics: Arc<Metrics>) -> Self {
        Self {
            asks: Pair {
                viewer: RateLimiter::keyed(quota(c.per_viewer_per_minute, c.per_viewer_burst)),
                address: RateLimiter::keyed(quota(c.per_ip_per_minute, c.per_ip_burst)),
            },
            votes: Pair {
                viewer: RateLimiter::keyed(quota(
                    c.votes_per_viewer_per_minute,
                    c.votes_per_viewer_burst,
                )),
                address: RateLimiter::keyed(quota(c.votes_per_ip_per_minute, c.votes_per_ip_burst)),
            },
            clock: DefaultClock::default(),
            metrics,
        }
    }

    pub fn ask(&self, viewer: Uuid, ip: IpAddr) -> Result<()> {
        self.check(&self.asks, viewer, ip, "too_many_questions", "questions")
    }

    pub fn vote(&self, viewer: Uuid, ip: IpAddr) -> Result<()> {
        self.check(&self.votes, viewer, ip, "too_many_votes", "votes")
    }

    fn check(
        &self,
        pair: &Pair,
        viewer: Uuid,
        ip: IpAddr,
        reason: &'static str,
        what: &str,
    ) -> Result<()> {
        let refused = |not_until: governor::NotUntil<_>, whose: &str| {
            self.metrics.questions.rate_limited.fetch_add(1, Relaxed);
            let wait = not_until.wait_time_from(self.clock.now()).as_secs().max(1);
            Error::rate_limited(
                reason,
                format!("too many {what} {whose}; try again in {wait} s"),
                wait,
            )
        };
        pair.viewer
            .check_key(&viewer)
            .map_err(|n| refused(n, "from you"))?;
        pair.address
            .check_key(&crate::net::client_group(ip))
            .map_err(|n| refused(n, "from your network"))?;
        Ok(())
    }

    /// Forgets keys that are back under their limit (run on a timer).
    pub fn sweep(&self) {
        for pair in [&self.asks, &self.votes] {
            pair.viewer.retain_recent();
            pair.address.retain_recent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viewer_gets_its_burst_then_waits_and_others_are_not_affected() {
        let config = QuestionsConfig {
            per_viewer_per_minute: 3,
            per_viewer_burst: 2,
            ..QuestionsConfig::default()
        };
        let limits = QuestionLimits::new(&config, Arc::default());
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        limits.ask(a, ip).unwrap();
        limits.ask(a, ip).unwrap();
        let err = limits.ask(a, ip).unwrap_err();
        assert_eq!(err.reason(), "too_many_questions");
        assert!(limits.ask(b, ip).is_ok(), "another viewer still asks");
        assert!(limits.vote(a, ip).is_ok(), "votes have their own limit");
    }
}
