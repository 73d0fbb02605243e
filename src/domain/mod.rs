//! Pure types and rules of a broadcast: who may do what, the session state
//! machine, and text that is validated when it is parsed. No I/O here.

pub mod audit;
pub mod permissions;
pub mod question;
pub mod role;
pub mod screen;
pub mod session;
pub mod text;

pub use permissions::Action;
pub use question::{Moderation, QuestionStatus, SpecialistStep};
pub use role::Role;
pub use session::{SessionState, Slug, Transition};
pub use text::{AnswerText, Phase, QuestionText, Title, UpdateText};

/// A rule of the domain was broken. `reason` is stable and machine-readable;
/// the message is meant for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainError {
    /// The input itself is wrong (empty, too long, malformed).
    Invalid {
        reason: &'static str,
        message: String,
    },
    /// The input is fine but conflicts with the current state.
    Conflict {
        reason: &'static str,
        message: String,
    },
}

impl DomainError {
    pub fn invalid(reason: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            reason,
            message: message.into(),
        }
    }

    pub fn conflict(reason: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            reason,
            message: message.into(),
        }
    }

    pub fn reason(&self) -> &'static str {
        match self {
            Self::Invalid { reason, .. } | Self::Conflict { reason, .. } => reason,
        }
    }
}

impl std::fmt::Display for DomainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Invalid { message, .. } | Self::Conflict { message, .. } => f.write_str(message),
        }
    }
}
