//! A question's life: which moderation or specialist step is allowed from
//! which status, and where it leads. Pure rules; the version check that
//! stops two moderators overwriting each other happens before these.

use super::DomainError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionStatus {
    Pending,
    Held,
    Approved,
    Rejected,
    Merged,
    Answering,
    Answered,
    Dismissed,
}

impl QuestionStatus {
    pub const ALL: [QuestionStatus; 8] = [
        Self::Pending,
        Self::Held,
        Self::Approved,
        Self::Rejected,
        Self::Merged,
        Self::Answering,
        Self::Answered,
        Self::Dismissed,
    ];

    /// What the specialist may see: questions a moderator approved, and
    /// what became of them. Never a pending, held, rejected or merged
    /// question, whose text no moderator has passed.
    pub const SPECIALIST: [QuestionStatus; 4] = [
        Self::Approved,
        Self::Answering,
        Self::Answered,
        Self::Dismissed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Held => "held",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Merged => "merged",
            Self::Answering => "answering",
            Self::Answered => "answered",
            Self::Dismissed => "dismissed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Published: every viewer sees it and may vote on it.
    pub fn is_public(self) -> bool {
        matches!(self, Self::Approved | Self::Answering | Self::Answered)
    }

    /// Waiting for a moderator.
    pub fn awaits_moderator(self) -> bool {
        matches!(self, Self::Pending | Self::Held)
    }

    /// In the specialist's queue.
    pub fn awaits_specialist(self) -> bool {
        matches!(self, Self::Approved | Self::Answering)
    }
}

/// What a moderator does to a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderation {
    Approve,
    Reject,
    Edit,
    Merge,
    Star,
    Unstar,
}

impl Moderation {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Ok(match raw {
            "approve" => Self::Approve,
            "reject" => Self::Reject,
            "edit" => Self::Edit,
            "merge" => Self::Merge,
            "star" => Self::Star,
            "unstar" => Self::Unstar,
            other => {
                return Err(DomainError::invalid(
                    "invalid_action",
                    format!(
                        "action must be approve, reject, edit, merge, star or unstar, not '{other}'"
                    ),
                ));
            }
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::Edit => "edit",
            Self::Merge => "merge",
            Self::Star => "star",
            Self::Unstar => "unstar",
        }
    }

    /// The status after this action, or why it is not allowed now.
    pub fn apply(self, from: QuestionStatus) -> Result<QuestionStatus, DomainError> {
        use QuestionStatus::*;
        let to = match (self, from) {
            (Self::Approve, Pending | Held) => Approved,
            (Self::Reject, Pending | Held | Approved) => Rejected,
            (Self::Edit, Pending | Held | Approved) => from,
            (Self::Merge, Pending | Held | Approved) => Merged,
            (Self::Star | Self::Unstar, Pending | Held | Approved | Answering) => from,
            (Self::Approve, Approved | Answering) => {
                return Err(DomainError::conflict(
                    "already_approved",
                    "this question was already approved",
                ));
            }
            (_, Answered) => {
                return Err(DomainError::conflict(
                    "already_answered",
                    "this question was already answered",
                ));
            }
            (_, from) => {
                return Err(DomainError::conflict(
                    "question_closed",
                    format!(
                        "a question that is {} cannot be {}",
                        from.as_str(),
                        self.past()
                    ),
                ));
            }
        };
        Ok(to)
    }

    fn past(self) -> &'static str {
        match self {
            Self::Approve => "approved",
            Self::Reject => "rejected",
            Self::Edit => "edited",
            Self::Merge => "merged",
            Self::Star => "starred",
            Self::Unstar => "unstarred",
        }
    }
}

/// Whether a question can take in a duplicate merged into it.
pub fn can_take_merge(target: QuestionStatus) -> bool {
    !matches!(
        target,
        QuestionStatus::Rejected | QuestionStatus::Merged | QuestionStatus::Dismissed
    )
}

/// What the specialist does to an approved question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialistStep {
    /// "Now answering": every viewer sees which question is being taken.
    Answering,
    Answer,
    Dismiss,
}

impl SpecialistStep {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Answering => "answering",
            Self::Answer => "answer",
            Self::Dismiss => "dismiss",
        }
    }

    pub fn apply(self, from: QuestionStatus) -> Result<QuestionStatus, DomainError> {
        use QuestionStatus::*;
        match (self, from) {
            (Self::Answering, Approved | Answering) => Ok(Answering),
            (Self::Answer, Approved | Answering) => Ok(Answered),
            (Self::Dismiss, Approved | Answering) => Ok(Dismissed),
            (_, Answered) => Err(DomainError::conflict(
                "already_answered",
                "this question was already answered",
            )),
            (_, Pending | Held) => Err(DomainError::conflict(
                "not_approved",
                "a moderator has not approved this question yet",
            )),
            (_, from) => Err(DomainError::conflict(
                "question_closed",
                format!("this question is {}", from.as_str()),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::QuestionStatus::*;
    use super::*;

    #[test]
    fn moderators_move_questions_only_along_allowed_paths() {
        assert_eq!(Moderation::Approve.apply(Pending), Ok(Approved));
        assert_eq!(Moderation::Approve.apply(Held), Ok(Approved));
        assert_eq!(Moderation::Reject.apply(Approved), Ok(Rejected));
        assert_eq!(Moderation::Merge.apply(Pending), Ok(Merged));
        assert_eq!(Moderation::Edit.apply(Held), Ok(Held));
        assert_eq!(Moderation::Star.apply(Answering), Ok(Answering));
        assert_eq!(
            Moderation::Approve.apply(Approved).unwrap_err().reason(),
            "already_approved"
        );
        assert_eq!(
            Moderation::Reject.apply(Answered).unwrap_err().reason(),
            "already_answered"
        );
        for closed in [Rejected, Merged, Dismissed] {
            for action in [Moderation::Approve, Moderation::Edit, Moderation::Star] {
                assert_eq!(
                    action.apply(closed).unwrap_err().reason(),
                    "question_closed",
                    "{action:?} on {closed:?}"
                );
            }
        }
        assert_eq!(
            Moderation::parse("delete").unwrap_err().reason(),
            "invalid_action"
        );
    }

    #[test]
    fn the_specialist_takes_only_approved_questions() {
        assert_eq!(SpecialistStep::Answering.apply(Approved), Ok(Answering));
        assert_eq!(SpecialistStep::Answer.apply(Answering), Ok(Answered));
        assert_eq!(SpecialistStep::Dismiss.apply(Approved), Ok(Dismissed));
        assert_eq!(
            SpecialistStep::Answer.apply(Pending).unwrap_err().reason(),
            "not_approved"
        );
        assert_eq!(
            SpecialistStep::Answer.apply(Answered).unwrap_err().reason(),
            "already_answered"
        );
        assert_eq!(
            SpecialistStep::Dismiss
                .apply(Rejected)
                .unwrap_err()
                .reason(),
            "question_closed"
        );
    }

    #[test]
    fn only_open_questions_take_merged_duplicates_and_statuses_round_trip() {
        assert!(can_take_merge(Approved) && can_take_merge(Answered));
        assert!(!can_take_merge(Rejected) && !can_take_merge(Merged));
        for s in QuestionStatus::ALL {
            assert_eq!(QuestionStatus::parse(s.as_str()), Some(s));
            assert_eq!(s.is_public(), matches!(s, Approved | Answering | Answered));
        }
    }
}
