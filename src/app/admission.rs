//! Admission limits for streams: at most so many at once, and so many from
//! one address. A guard holds the place until the stream ends.

use crate::config::Limits;
use crate::{Error, Result};
use dashmap::DashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Admission {
    per_ip: DashMap<IpAddr, usize>,
    total: AtomicUsize,
    max_per_ip: usize,
    max_total: usize,
}

pub struct AdmissionGuard {
    admission: Arc<Admission>,
    ip: IpAddr,
}

impl Admission {
    pub fn new(limits: &Limits) -> Self {
        Self {
            per_ip: DashMap::new(),
            total: AtomicUsize::new(0),
            max_per_ip: limits.max_connections_per_ip,
            max_total: limits.max_connections,
        }
    }

    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<AdmissionGuard> {
        let ip = crate::net::client_group(ip);
        if self.total.fetch_add(1, Ordering::AcqRel) >= self.max_total {
            self.total.fetch_sub(1, Ordering::AcqRel);
            return Err(Error::unavailable(
                "server_full",
                "the server is at its connection limit; retry shortly",
            ));
        }
        let mut count = self.per_ip.entry(ip).or_insert(0);
        if *count >= self.max_per_ip {
            drop(count);
            self.total.fetch_sub(1, Ordering::AcqRel);
            return Err(Error::rate_limited(
                "too_many_streams",
                format!("too many open streams from {ip}; close some or retry later"),
                5,
            ));
        }
        *count += 1;
        Ok(AdmissionGuard {
            admission: self.clone(),
            ip,
        })
    }

    pub fn open(&self) -> usize {
        self.total.load(Ordering::Acquire)
    }
}

impl Drop for AdmissionGuard {
    fn drop(&mut self) {
        self.admission.total.fetch_sub(1, Ordering::AcqRel);
        self.admission.per_ip.remove_if_mut(&self.ip, |_, count| {
            *count -= 1;
            *count == 0
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;

    #[test]
    fn limits_per_address_and_in_total() {
        let limits = Limits {
            max_connections_per_ip: 2,
            max_connections: 3,
            ..Limits::default()
        };
        let admission = Arc::new(Admission::new(&limits));
        let a: IpAddr = "127.0.0.2".parse().unwrap();
        let b: IpAddr = "127.0.0.3".parse().unwrap();
        let g1 = admission.admit(a).unwrap();
        let _g2 = admission.admit(a).unwrap();
        assert!(matches!(admission.admit(a), Err(e) if e.kind() == Kind::RateLimited));
        let _g3 = admission.admit(b).unwrap();
        assert!(matches!(admission.admit(b), Err(e) if e.kind() == Kind::Unavailable));
        drop(g1);
        assert_eq!(admission.open(), 2);
        assert!(admission.admit(a).is_ok());
    }
}
