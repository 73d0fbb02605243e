//! A session's lifecycle (scheduled, live, paused, ended) and its slug.

use super::DomainError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    Scheduled,
    Live,
    Paused,
    Ended,
}

/// What a requested state change amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// The session moves to a new state: an event is published.
    Changed,
    /// The session is already in that state: nothing happens (safe to retry).
    Unchanged,
}

impl SessionState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Live => "live",
            Self::Paused => "paused",
            Self::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "scheduled" => Some(Self::Scheduled),
            "live" => Some(Self::Live),
            "paused" => Some(Self::Paused),
            "ended" => Some(Self::Ended),
            _ => None,
        }
    }

    /// Checks a move to `to`. Ended is final; nothing goes back to scheduled.
    pub fn transition(self, to: Self) -> Result<Transition, DomainError> {
        use SessionState::*;
        if self == to {
            return Ok(Transition::Unchanged);
        }
        match (self, to) {
            (Scheduled, Live | Ended) | (Live, Paused | Ended) | (Paused, Live | Ended) => {
                Ok(Transition::Changed)
            }
            (Ended, _) => Err(DomainError::conflict(
                "session_ended",
                "the session has ended; it cannot be restarted",
            )),
            (_, Scheduled) => Err(DomainError::conflict(
                "invalid_transition",
                "a session that has started cannot go back to scheduled",
            )),
            (from, to) => Err(DomainError::conflict(
                "invalid_transition",
                format!("a {} session cannot become {}", from.as_str(), to.as_str()),
            )),
        }
    }

    /// Whether a narrator may still post or change updates.
    pub fn accepts_updates(self) -> bool {
        self != Self::Ended
    }
}

/// A session's address in URLs: 1 to 64 of `a-z`, `0-9` and `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub const MAX: usize = 64;

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let ok = !s.is_empty()
            && s.len() <= Self::MAX
            && !s.starts_with('-')
            && !s.ends_with('-')
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::invalid(
                "invalid_slug",
                format!(
                    "slug must be 1-{} characters of a-z, 0-9 and '-', not starting or ending with '-'",
                    Self::MAX
                ),
            ))
        }
    }

    /// Derives a slug from a title ("Knee replacement, day 2" -> "knee-replacement-day-2").
    pub fn from_title(title: &str) -> Self {
        let mut out = String::new();
        for c in title.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            if out.len() >= Self::MAX - 9 {
                break;
            }
        }
        let trimmed = out.trim_end_matches('-');
        if trimmed.is_empty() {
            Self("session".into())
        } else {
            Self(trimmed.to_owned())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SessionState::*;

    #[test]
    fn lifecycle_moves_forward_and_ended_is_final() {
        assert_eq!(Scheduled.transition(Live), Ok(Transition::Changed));
        assert_eq!(Live.transition(Paused), Ok(Transition::Changed));
        assert_eq!(Paused.transition(Live), Ok(Transition::Changed));
        assert_eq!(Live.transition(Ended), Ok(Transition::Changed));
        assert_eq!(Live.transition(Live), Ok(Transition::Unchanged));
        assert!(Ended.transition(Live).is_err());
        assert!(Live.transition(Scheduled).is_err());
        assert!(Scheduled.transition(Paused).is_err());
    }

    #[test]
    fn slugs_are_url_safe() {
        assert!(Slug::parse("knee-demo-2").is_ok());
        for bad in ["", "-a", "a-", "Knee", "a b", "a/b", &"a".repeat(65)] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn slugs_derive_from_titles() {
        assert_eq!(
            Slug::from_title("Knee replacement, day 2!").as_str(),
            "knee-replacement-day-2"
        );
        assert_eq!(Slug::from_title("¿?").as_str(), "session");
        assert!(Slug::parse(Slug::from_title(&"word ".repeat(40)).as_str()).is_ok());
    }
}
