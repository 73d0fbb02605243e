//! Everything the server pushes on a stream, as `#[serde(tag = "type")]`
//! enums so the JSON matches the protocol document field for field; the
//! round-trip tests below pin it.

use super::{
    HeldItem, Question, QuestionAnswer, QueueStats, Session, StaffViewing, Update, VoteCount,
};
use crate::domain::{Role, SessionState};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
    /// A published answer, part of the history.
    Answer {
        seq: u64,
        ts: String,
        question: Question,
        answer: QuestionAnswer,
    },
    Hello {
        session: Session,
        role: Role,
        head: u64,
        /// Staff streams only: the staff history's head.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        staff_head: Option<u64>,
        /// Changes if a sequence is ever reset (a new database).
        epoch: String,
    },
    Presence {
        viewers: u64,
    },
    /// The queue's public figures (coalesced).
    QuestionCounts {
        received: u64,
        answered: u64,
    },
    NowAnswering {
        question: Option<Question>,
    },
    /// An approved question, for upvoting (also sent again when it changes).
    QuestionPublished {
        question: Question,
    },
    /// A published question left the list (rejected, merged or dismissed).
    QuestionWithdrawn {
        id: Uuid,
    },
    /// Several approved questions at once (coalesced approvals). In a rush
    /// only the newest few go out live; `more` lists the ids of the others
    /// published in the same interval, which `GET …/questions` returns.
    QuestionsPublished {
        questions: Vec<Question>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        more: Vec<Uuid>,
    },
    /// Coalesced vote counts, at most about once a second per session.
    QuestionVotes {
        id: Uuid,
        votes: i64,
    },
    /// Coalesced vote counts of several questions at once.
    VoteCounts {
        votes: Vec<VoteCount>,
    },
    /// Staff history: a question changed (moderators' view).
    Question {
        staff_seq: u64,
        question: Question,
    },
    /// Staff history: a text the screen held for a moderator.
    Held {
        staff_seq: u64,
        item: HeldItem,
    },
    /// Staff history: a held item was released or discarded.
    HeldResolved {
        staff_seq: u64,
        id: Uuid,
    },
    /// Staff, coalesced: the queue's figures.
    QueueStats {
        #[serde(flatten)]
        stats: QueueStats,
    },
    /// Staff, live: who of the staff is here and what each moderator has open.
    StaffPresence {
        moderators: Vec<String>,
        specialist: bool,
        #[serde(default)]
        viewing: Vec<StaffViewing>,
    },
    /// The asking viewer only: one of its own questions changed.
    MyQuestion {
        question: Question,
    },
}

impl Event {
    /// The event's place in the session's history; `None` for live-only events.
    pub fn seq(&self) -> Option<u64> {
        match self {
            Event::Update { seq, .. }
            | Event::UpdateEdited { seq, .. }
            | Event::UpdateRetracted { seq, .. }
            | Event::SessionState { seq, .. }
            | Event::Answer { seq, .. } => Some(*seq),
            _ => None,
        }
    }

    /// The event's place in the staff history; `None` for the others.
    pub fn staff_seq(&self) -> Option<u64> {
        match self {
            Event::Question { staff_seq, .. }
            | Event::Held { staff_seq, .. }
            | Event::HeldResolved { staff_seq, .. } => Some(*staff_seq),
            _ => None,
        }
    }

    /// Every event type a client must know, for the pages' protocol check.
    pub const TYPES: [&'static str; 20] = [
        "update",
        "update_edited",
        "update_retracted",
        "session_state",
        "answer",
        "hello",
        "presence",
        "question_counts",
        "now_answering",
        "question_published",
        "questions_published",
        "question_withdrawn",
        "question_votes",
        "vote_counts",
        "question",
        "held",
        "held_resolved",
        "queue_stats",
        "staff_presence",
        "my_question",
    ];

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("events always serialize")
    }
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
