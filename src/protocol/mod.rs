//! The wire format: every JSON body and stream event, in one place.
//!
//! Events are `#[serde(tag = "type")]` enums so the JSON matches the
//! protocol document field for field; the round-trip tests below pin it.

mod events;
mod held;
mod questions;

pub use events::Event;
pub use questions::{
    AnswerAck, AnswerQuestion, AskQuestion, Moderate, Mute, Muted, Question, QuestionAck,
    QuestionAnswer, QuestionList, QueueStats, StaffHere, StaffViewing, VoteCount,
};

pub use held::{
    DiscardHeld, FlaggedList, FlaggedUpdate, HeldAck, HeldItem, HeldKind, HeldList, Posted,
    ReleaseHeld, ScreenAnswer, ScreenRequest,
};

use crate::domain::SessionState;
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
