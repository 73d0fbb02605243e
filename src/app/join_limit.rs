//! How fast one client address may mint viewer identities (`POST
//! …/viewers`): a keyed GCRA limiter (governor) per address, IPv6 grouped
//! by /64. Beyond it: 429 with `Retry-After`.

use crate::{Error, Result};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

pub struct JoinLimit {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl JoinLimit {
    pub fn new(per_minute: u32, burst: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute.max(1)).expect("at least 1"))
            .allow_burst(NonZeroU32::new(burst.max(1)).expect("at least 1"));
        Self {
            limiter: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one join for this address, or says how long to wait.
    pub fn check(&self, ip: IpAddr) -> Result<()> {
        let key = crate::net::client_group(ip);
        self.limiter
            .check_key(&key)
            .map(|_| ())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(self.clock.now()).as_secs().max(1);
                Error::rate_limited(
                    "too_many_joins",
                    format!("too many viewers joined from this address; retry in {wait} s"),
                    wait,
                )
            })
    }

    /// Forgets addresses that are back under their limit (run on a timer).
    pub fn sweep(&self) {
        self.limiter.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_burst_then_waits() {
        let limit = JoinLimit::new(6, 3);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            limit.check(a).unwrap();
        }
        let err = limit.check(a).unwrap_err();
        assert_eq!(err.reason(), "too_many_joins");
        assert!(limit.check(b).is_ok(), "another address is not affected");
    }
}
