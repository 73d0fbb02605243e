//! Questions on the wire: asking, the moderators' and the specialist's
//! commands, votes, the queue's figures and staff presence.

use crate::domain::screen::Finding;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A question as one audience sees it. Moderators also get `flags`,
/// `viewer_id` and `muted`; `reason` goes to staff and the asker only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: Uuid,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub status: String,
    pub votes: i64,
    pub starred: bool,
    pub version: i64,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<QuestionAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub into: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<Vec<Finding>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewer_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionAnswer {
    pub text: String,
    pub author: String,
    pub ts: String,
}

/// `POST …/questions`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AskQuestion {
    pub text: String,
    /// Ask under the name given on joining; anonymous by default.
    #[serde(default = "yes")]
    pub anonymous: bool,
    pub client_id: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuestionAck {
    pub question: Question,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuestionList {
    pub questions: Vec<Question>,
}

/// `POST …/questions/{id}/moderate`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moderate {
    pub action: String,
    pub version: i64,
    pub text: Option<String>,
    pub reason: Option<String>,
    pub into: Option<Uuid>,
}

/// `POST …/questions/{id}/answer`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerQuestion {
    pub text: String,
    pub client_id: Option<String>,
    #[serde(default)]
    pub confirm: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnswerAck {
    pub question: Question,
    pub seq: u64,
}

/// `POST …/viewers/{viewer_id}/mute`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mute {
    pub muted: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Muted {
    pub viewer_id: Uuid,
    pub muted: bool,
}

/// The queue's figures, for moderators and the specialist.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueStats {
    pub pending: u64,
    pub held: u64,
    pub approved: u64,
    pub answered: u64,
    pub rejected: u64,
    pub received: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_wait_approve_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_wait_answer_ms: Option<i64>,
}

/// `POST …/presence`: which question a moderator has open.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffHere {
    /// How the other moderators see this one ("Dr Okafor"); the invite's
    /// label when left out.
    pub name: Option<String>,
    pub viewing: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffViewing {
    pub moderator: String,
    pub question_id: Uuid,
}

/// One question's vote count, in a `vote_counts` batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteCount {
    pub id: Uuid,
    pub votes: i64,
}
