//! The roles a token can carry within one session.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Narrator,
    Moderator,
    Specialist,
    Viewer,
}

impl Role {
    /// The roles whose tokens are handed out as invites when a session is created.
    pub const INVITED: [Role; 3] = [Role::Narrator, Role::Moderator, Role::Specialist];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Narrator => "narrator",
            Role::Moderator => "moderator",
            Role::Specialist => "specialist",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "narrator" => Some(Role::Narrator),
            "moderator" => Some(Role::Moderator),
            "specialist" => Some(Role::Specialist),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }

    /// Staff roles see more than the public timeline.
    pub fn is_staff(self) -> bool {
        self != Role::Viewer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in [
            Role::Narrator,
            Role::Moderator,
            Role::Specialist,
            Role::Viewer,
        ] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
