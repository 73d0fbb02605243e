//! The privacy screen on the wire: previews, held items, release and discard.

use super::Update;
use crate::domain::screen::{Action, Finding};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `POST …/screen`: check a text without storing anything.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    pub text: String,
}

/// The screen's findings for a text: `verdict` is `pass | flag | hold |
/// block`; `flags` is empty when nothing was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenAnswer {
    pub verdict: Action,
    pub flags: Vec<Finding>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeldKind {
    Update,
    Answer,
}

impl HeldKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HeldKind::Update => "update",
            HeldKind::Answer => "answer",
        }
    }
}

/// A text the screen held for a moderator (when authors may not confirm).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldItem {
    pub id: Uuid,
    pub kind: HeldKind,
    pub text: String,
    pub flags: Vec<Finding>,
    pub author: String,
    pub created_at: String,
    /// The update this text would replace, when it is an edit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

/// 202 to an author whose text now waits for a moderator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldAck {
    pub held: HeldItem,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeldList {
    pub items: Vec<HeldItem>,
}

/// A published update the screen found something in: a flagged phrase, or
/// identifiers its author confirmed as false alarms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlaggedUpdate {
    pub update: Update,
    pub flags: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FlaggedList {
    pub items: Vec<FlaggedUpdate>,
}

/// `POST …/held/{id}/release`: publish, optionally redacted first.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseHeld {
    pub text: Option<String>,
}

/// `POST …/held/{id}/discard`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscardHeld {
    pub reason: Option<String>,
}

/// What a narrator's post or edit led to: published, or waiting for review.
#[derive(Debug, Clone, PartialEq)]
pub enum Posted {
    Published(super::UpdateAck),
    Held(HeldAck),
}

impl Posted {
    pub fn published(update: Update, seq: u64) -> Self {
        Posted::Published(super::UpdateAck { update, seq })
    }
}
