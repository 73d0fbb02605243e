//! The demo's audience: three scripted viewers ask (one question names a
//! patient, so the screen holds it), a scripted moderator approves and
//! rejects, a scripted specialist answers, so a newcomer sees the whole
//! question loop within the first minute.

use crate::app::{Actor, App, Caller};
use crate::domain::Role;
use crate::protocol::{AnswerQuestion, AskQuestion, Join, Moderate, Question};
use crate::store::SessionRow;
use crate::{Error, Result};
use std::net::{IpAddr, Ipv4Addr};

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// What happens after the narrator's update number `.0`.
enum Cue {
    Ask(usize, &'static str),
    Approve(usize),
    Reject(usize, &'static str),
    Vote(usize, usize),
    Answering(usize),
    Answer(usize, &'static str),
}

/// (after update, cue); questions are numbered in the order asked.
const SCRIPT: &[(usize, Cue)] = &[
    (
        1,
        Cue::Ask(
            0,
            "Why spinal rather than general anaesthesia for a knee replacement?",
        ),
    ),
    (
        2,
        Cue::Ask(
            1,
            "Is that Mr Jones from bed 4? I saw him on the ward on Monday.",
        ),
    ),
    (2, Cue::Approve(0)),
    (
        3,
        Cue::Ask(
            2,
            "What tourniquet pressure do you use, and for how long is it safe?",
        ),
    ),
    (3, Cue::Reject(1, "Please don't name or describe patients.")),
    (4, Cue::Approve(2)),
    (4, Cue::Vote(1, 0)),
    (4, Cue::Vote(2, 0)),
    (5, Cue::Vote(0, 2)),
    (5, Cue::Answering(0)),
    (
        6,
        Cue::Answer(
            0,
            "Less blood loss, less nausea, earlier mobilisation, and good analgesia afterwards; general is kept for when a spinal is not possible.",
        ),
    ),
    (8, Cue::Answering(2)),
    (
        9,
        Cue::Answer(
            2,
            "Usually about 100 mmHg above systolic pressure; we aim to keep it under two hours.",
        ),
    ),
];

pub struct Audience {
    viewers: Vec<Actor>,
    moderator: Actor,
    specialist: Actor,
    asked: Vec<Option<Question>>,
}

fn staff(session: &SessionRow, role: Role, name: &str) -> Actor {
    Actor {
        session_key: session.key,
        role,
        viewer_id: None,
        name: Some(name.into()),
        selector: format!("built-in-{}", role.as_str()),
    }
}

impl Audience {
    pub async fn join(app: &App, session: &SessionRow) -> Result<Self> {
        let mut viewers = Vec::new();
        for name in ["Student A", "Student B", "Trainee C"] {
            let joined = app
                .join(
                    &session.slug,
                    Join {
                        name: Some(name.into()),
                        join_code: session.join_code.clone(),
                    },
                )
                .await?;
            match app.caller(Some(&joined.token)).await? {
                Some(Caller::Member(actor)) => viewers.push(actor),
                _ => {
                    return Err(Error::internal(anyhow::anyhow!(
                        "demo viewer token refused"
                    )));
                }
            }
        }
        Ok(Self {
            viewers,
            moderator: staff(session, Role::Moderator, "Demo moderator"),
            specialist: staff(session, Role::Specialist, "Demo specialist"),
            asked: Vec::new(),
        })
    }

    /// Plays the cues due after update `index`. A cue that fails (the
    /// script was interrupted, say) is logged and skipped.
    pub async fn after_update(&mut self, app: &App, session: &SessionRow, index: usize) {
        if index == 0 {
            self.asked.clear();
        }
        for (_, cue) in SCRIPT.iter().filter(|(at, _)| *at == index) {
            if let Err(e) = self.play(app, session, cue).await {
                tracing::warn!(error = %e, "demo audience skipped a step");
            }
        }
    }

    fn question(&self, n: usize) -> Result<&Question> {
        self.asked
            .get(n)
            .and_then(Option::as_ref)
            .ok_or_else(|| Error::conflict("demo_skipped", "an earlier demo step was skipped"))
    }

    async fn moderate(
        &mut self,
        app: &App,
        s: &SessionRow,
        n: usize,
        action: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        let q = self.question(n)?;
        let req = Moderate {
            action: action.into(),
            version: q.version,
            text: None,
            reason: reason.map(Into::into),
            into: None,
        };
        let id = q.id;
        let updated = app.moderate(s, &self.moderator, id, req).await?;
        self.asked[n] = Some(updated);
        Ok(())
    }

    async fn play(&mut self, app: &App, s: &SessionRow, cue: &Cue) -> Result<()> {
        match cue {
            Cue::Ask(viewer, text) => {
                let req = AskQuestion {
                    text: (*text).into(),
                    anonymous: *viewer != 0,
                    client_id: None,
                };
                let asked = app.ask(s, &self.viewers[*viewer], LOOPBACK, req).await;
                self.asked.push(asked.ok());
            }
            Cue::Approve(n) => self.moderate(app, s, *n, "approve", None).await?,
            Cue::Reject(n, reason) => self.moderate(app, s, *n, "reject", Some(reason)).await?,
            Cue::Vote(viewer, n) => {
                let id = self.question(*n)?.id;
                app.vote(s, &self.viewers[*viewer], LOOPBACK, id, true)
                    .await?;
            }
            Cue::Answering(n) => {
                let id = self.question(*n)?.id;
                app.now_answering(s, &self.specialist, id).await?;
            }
            Cue::Answer(n, text) => {
                let id = self.question(*n)?.id;
                let req = AnswerQuestion {
                    text: (*text).into(),
                    client_id: None,
                    confirm: false,
                };
                app.answer(s, &self.specialist, id, req).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ScreeningConfig;
    use crate::domain::screen::{Action, Screen};

    #[test]
    fn the_scripted_question_that_names_a_patient_is_held_and_the_rest_pass() {
        let screen = Screen::new(ScreeningConfig::default().policy().unwrap());
        let mut held = 0;
        for (_, cue) in SCRIPT {
            let text = match cue {
                Cue::Ask(_, t) | Cue::Answer(_, t) => t,
                _ => continue,
            };
            match screen.screen(text).action {
                Action::Hold => held += 1,
                Action::Pass | Action::Flag => {}
                Action::Block => panic!("blocked: {text}"),
            }
        }
        assert_eq!(held, 1);
    }
}
