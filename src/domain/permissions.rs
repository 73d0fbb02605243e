//! Who may do what: one table of role × action, so no handler keeps a list
//! of roles of its own.

use super::Role;

/// The commands a session's token holders can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    PostUpdate,
    EditUpdate,
    RetractUpdate,
    SetState,
    PreviewScreen,
    ReviewHeld,
    ReadAudit,
    TakeTicket,
    AskQuestion,
    ReadOwnQuestions,
    Vote,
    ListQuestions,
    Moderate,
    Mute,
    AnswerQuestion,
    ReadQueueStats,
    ShowPresence,
    /// The viewer link and its QR code, for the projector view.
    ShowInvite,
}

impl Action {
    pub const ALL: [Action; 18] = [
        Action::PostUpdate,
        Action::EditUpdate,
        Action::RetractUpdate,
        Action::SetState,
        Action::PreviewScreen,
        Action::ReviewHeld,
        Action::ReadAudit,
        Action::TakeTicket,
        Action::AskQuestion,
        Action::ReadOwnQuestions,
        Action::Vote,
        Action::ListQuestions,
        Action::Moderate,
        Action::Mute,
        Action::AnswerQuestion,
        Action::ReadQueueStats,
        Action::ShowPresence,
        Action::ShowInvite,
    ];
}

/// Whether `role` may take `action`.
pub fn allowed(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        PostUpdate | EditUpdate | RetractUpdate | SetState => role == Narrator,
        PreviewScreen | ShowInvite => matches!(role, Narrator | Moderator | Specialist),
        ReviewHeld | ReadAudit | Moderate | Mute => role == Moderator,
        AskQuestion | ReadOwnQuestions | Vote => role == Viewer,
        ListQuestions => true,
        AnswerQuestion => role == Specialist,
        ReadQueueStats | ShowPresence => matches!(role, Moderator | Specialist),
        TakeTicket => true,
    }
}

/// The roles allowed an action, for error messages ("it needs a moderator token").
pub fn roles_for(action: Action) -> Vec<Role> {
    [
        Role::Narrator,
        Role::Moderator,
        Role::Specialist,
        Role::Viewer,
    ]
    .into_iter()
    .filter(|r| allowed(*r, action))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_gives_each_role_its_commands() {
        let expect = |role: Role, actions: &[Action]| {
            for action in Action::ALL {
                assert_eq!(
                    allowed(role, action),
                    actions.contains(&action),
                    "{role:?} {action:?}"
                );
            }
        };
        use Action::*;
        expect(
            Role::Narrator,
            &[
                PostUpdate,
                EditUpdate,
                RetractUpdate,
                SetState,
                PreviewScreen,
                ShowInvite,
                TakeTicket,
                ListQuestions,
            ],
        );
        expect(
            Role::Moderator,
            &[
                PreviewScreen,
                ShowInvite,
                ReviewHeld,
                ReadAudit,
                TakeTicket,
                ListQuestions,
                Moderate,
                Mute,
                ReadQueueStats,
                ShowPresence,
            ],
        );
        expect(
            Role::Specialist,
            &[
                PreviewScreen,
                ShowInvite,
                TakeTicket,
                ListQuestions,
                AnswerQuestion,
                ReadQueueStats,
                ShowPresence,
            ],
        );
        expect(
            Role::Viewer,
            &[
                TakeTicket,
                AskQuestion,
                ReadOwnQuestions,
                Vote,
                ListQuestions,
            ],
        );
        assert_eq!(roles_for(ReviewHeld), [Role::Moderator]);
    }
}
