//! The wire format: every JSON body and stream event, in one place.
//!
//! Events are `#[serde(tag = "type")]` enums so the JSON matches the
//! protocol document field for field; the round-trip tests below pin it.

mod held;

pub use held::{
    DiscardHeld, FlaggedList, FlaggedUpdate, HeldAck, HeldItem, HeldKind, HeldList, Posted,
    ReleaseHeld, ScreenAnswer, ScreenRequest,
};

use crate::domain::{Role, SessionState};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hashtag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_url: Option<String>,
    pub private: bool,
    pub state: SessionState,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<String>,
    pub head: u64,
    pub viewers: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Update {
    pub id: Uuid,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    pub author: String,
    pub ts: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<String>,
    pub retracted: bool,
}

/// Everything the server pushes on a stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    Update {
        seq: u64,
        ts: String,
        update: Update,
    },
    UpdateEdited {
        seq: u64,
        ts: String,
        update: Update,
    },
    UpdateRetracted {
        seq: u64,
        ts: String,
        update_id: Uuid,
    },
    SessionState {
        seq: u64,
        ts: String,
        state: SessionState,
    },
    Hello {
        session: Session,
        role: Role,
        head: u64,
    },
    Presence {
        viewers: u64,
    },
}

impl Event {
    /// The event's place in the session's history; `None` for live-only events.
    pub fn seq(&self) -> Option<u64> {
        match self {
            Event::Update { seq, .. }
            | Event::UpdateEdited { seq, .. }
            | Event::UpdateRetracted { seq, .. }
            | Event::SessionState { seq, .. } => Some(*seq),
            Event::Hello { .. } | Event::Presence { .. } => None,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("events always serialize")
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    pub title: String,
    pub slug: Option<String>,
    pub hashtag: Option<String>,
    pub description: Option<String>,
    pub stream_url: Option<String>,
    #[serde(default)]
    pub private: bool,
    /// The name shown as the author of updates (default "Narrator").
    pub narrator: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invite {
    pub token: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewerInvite {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invites {
    pub narrator: Invite,
    pub moderator: Invite,
    pub specialist: Invite,
    pub viewer: ViewerInvite,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedSession {
    pub session: Session,
    pub invites: Invites,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionList {
    pub sessions: Vec<Session>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetState {
    pub state: SessionState,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Join {
    pub name: Option<String>,
    pub join_code: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Joined {
    pub viewer_id: Uuid,
    pub token: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostUpdate {
    pub text: String,
    pub phase: Option<String>,
    pub client_id: Option<String>,
    #[serde(default)]
    pub confirm: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditUpdate {
    pub text: String,
    #[serde(default)]
    pub confirm: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateAck {
    pub update: Update,
    pub seq: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeqAck {
    pub seq: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ticket {
    pub ticket: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// `{code, reason, message, detail?}`: `code` follows the HTTP status,
/// `reason` is stable and machine-readable, `message` is for people.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub reason: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn update() -> Update {
        Update {
            id: Uuid::nil(),
            text: "Tourniquet inflated".into(),
            phase: Some("Exposure".into()),
            author: "Narrator".into(),
            ts: "2026-11-22T10:00:00.000Z".into(),
            elapsed_ms: Some(1500),
            edited_at: None,
            retracted: false,
        }
    }

    #[test]
    fn update_event_matches_the_protocol() {
        let event = Event::Update {
            seq: 1,
            ts: "2026-11-22T10:00:00.000Z".into(),
            update: update(),
        };
        let value: serde_json::Value = serde_json::from_str(&event.to_json()).unwrap();
        assert_eq!(
            value,
            json!({"type": "update", "seq": 1, "ts": "2026-11-22T10:00:00.000Z", "update": {
                "id": Uuid::nil(), "text": "Tourniquet inflated", "phase": "Exposure",
                "author": "Narrator", "ts": "2026-11-22T10:00:00.000Z", "elapsed_ms": 1500,
                "retracted": false}})
        );
        assert_eq!(serde_json::from_value::<Event>(value).unwrap(), event);
    }

    #[test]
    fn every_event_round_trips_with_its_type_tag() {
        let events = [
            Event::UpdateEdited {
                seq: 2,
                ts: "t".into(),
                update: update(),
            },
            Event::UpdateRetracted {
                seq: 3,
                ts: "t".into(),
                update_id: Uuid::nil(),
            },
            Event::SessionState {
                seq: 4,
                ts: "t".into(),
                state: SessionState::Live,
            },
            Event::Presence { viewers: 7 },
        ];
        let tags = [
            "update_edited",
            "update_retracted",
            "session_state",
            "presence",
        ];
        for (event, tag) in events.iter().zip(tags) {
            let json = event.to_json();
            assert!(json.starts_with(&format!("{{\"type\":\"{tag}\"")), "{json}");
            assert_eq!(&serde_json::from_str::<Event>(&json).unwrap(), event);
        }
        assert_eq!(events[2].seq(), Some(4));
        assert_eq!(events[3].seq(), None);
    }
}
