//! Streams opened with a staff token that has since been rotated close at
//! once (4001): each such stream holds a cancellation token for its
//! credential's selector, and rotating the credential cancels it.

use dashmap::DashMap;
use tokio_util::sync::CancellationToken;

#[derive(Default)]
pub struct Revocations {
    by_selector: DashMap<String, CancellationToken>,
}

impl Revocations {
    /// The token a stream opened with this credential watches.
    pub fn watch(&self, selector: &str) -> CancellationToken {
        self.by_selector
            .entry(selector.to_owned())
            .or_default()
            .clone()
    }

    /// Closes every stream opened with these credentials.
    pub fn revoke(&self, selectors: &[String]) {
        for selector in selectors {
            if let Some((_, token)) = self.by_selector.remove(selector) {
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
        let a = revocations.watch("a");
        let a2 = revocations.watch("a");
        let b = revocations.watch("b");
        revocations.revoke(&["a".to_owned()]);
        assert!(a.is_cancelled() && a2.is_cancelled());
        assert!(!b.is_cancelled());
        assert!(
            !revocations.watch("a").is_cancelled(),
            "a new credential starts fresh"
        );
    }
}
