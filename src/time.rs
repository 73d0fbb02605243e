//! Server timestamps: RFC 3339 UTC with milliseconds, and Unix milliseconds
//! for elapsed-time arithmetic.

use std::time::{SystemTime, UNIX_EPOCH};

/// One reading of the wall clock, in both forms the protocol needs.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub rfc3339: String,
    pub unix_ms: i64,
}

impl Stamp {
    pub fn now() -> Self {
        let now = SystemTime::now();
        let unix_ms = now
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        Self {
            rfc3339: humantime::format_rfc3339_millis(now).to_string(),
            unix_ms,
        }
    }
}

/// The RFC 3339 form of a moment this long ago (for "older than" queries).
pub fn rfc3339_ago(ago: std::time::Duration) -> String {
    let then = SystemTime::now().checked_sub(ago).unwrap_or(UNIX_EPOCH);
    humantime::format_rfc3339_millis(then).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_rfc3339_utc_with_milliseconds() {
        let s = Stamp::now();
        assert_eq!(s.rfc3339.len(), "2026-11-22T10:47:54.123Z".len());
        assert!(s.rfc3339.ends_with('Z'));
        assert_eq!(&s.rfc3339[19..20], ".");
        assert!(s.unix_ms > 1_700_000_000_000);
    }
}
