//! Pure types and rules of a broadcast: who may do what, the session state
//! machine, and text that is validated when it is parsed. No I/O here.

pub mod role;
pub mod session;
pub mod text;

pub use role::Role;
pub use session::{SessionState, Slug, Transition};
pub use text::{Phase, Title, UpdateText};

/// A rule of the domain was broken; the message is meant for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainError {
    /// The input itself is wrong (empty, too long, malformed).
    Invalid(String),
    /// The input is fine but conflicts with the current state.
    Conflict(String),
}

impl std::fmt::Display for DomainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Invalid(m) | Self::Conflict(m) => f.write_str(m),
        }
    }
}
