//! Streams opened with a staff token that has since been rotated close at
//! once (4001): each such stream holds a cancellation token for its
//! credential's selector, and rotating the credential cancels it.

use dashmap::DashMap;
use tokio_util::sync::CancellationToken;

#[derive(Default)]
pub struct Revocations {
    by_selector: DashMap<String, (i64, CancellationToken)>,
}

impl Revocations {
    /// The token a stream opened with this credential watches.
    pub fn watch(&self, session_key: i64, selector: &str) -> CancellationToken {
        self.by_selector
            .entry(selector.to_owned())
            .or_insert_with(|| (session_key, CancellationToken::new()))
            .1
            .clone()
    }

    /// Forgets an ended session's credentials (its streams are closing).
    pub fn forget_session(&self, session_key: i64) {
        self.by_selector.retain(|_, (key, _)| *key != session_key);
    }

    /// Closes every stream opened with these credentials.
    pub fn revoke(&self, selectors: &[String]) {
        for selector in selectors {
            if let Some((_, (_, token))) = self.by_selector.remove(selector) {
                token.cancel();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revoking_a_selector_cancels_its_streams_only() {
        let revocations = Revocations::default();
        let a = revocations.watch(1, "a");
        let a2 = revocations.watch(1, "a");
        let b = revocations.watch(2, "b");
        revocations.revoke(&["a".to_owned()]);
        assert!(a.is_cancelled() && a2.is_cancelled());
        assert!(!b.is_cancelled());
        assert!(
            !revocations.watch(1, "a").is_cancelled(),
            "a new credential starts fresh"
        );
        revocations.forget_session(1);
        revocations.forget_session(2);
        assert!(
            revocations.by_selector.is_empty(),
            "ended sessions are forgotten"
        );
    }
}
