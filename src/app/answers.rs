//! The specialist's side: "now answering" (one question at a time, shown
//! to every viewer), answering (screened like updates; the answer is a
//! public `answer` event in the history), and dismissing.

use super::audit::{Decision, record};
use super::held::store_held;
use super::moderation::save;
use super::questions::{View, announce, existing, view};
use super::screening::Publish;
use super::updates::open_session;
use super::{Actor, App, Coalescer};
use crate::Result;
use crate::domain::AnswerText;
use crate::domain::question::{QuestionStatus, SpecialistStep};
use crate::domain::screen::{Held, Screened};
use crate::protocol::{AnswerAck, AnswerQuestion, Event, HeldAck, Question};
use crate::store::{self, HeldOf, NewHeld, SessionRow, StoredAnswer, Tx};
use crate::time::Stamp;
use uuid::Uuid;

/// What answering led to: published, or held for a moderator.
#[derive(Debug)]
pub enum Answered {
    Published(AnswerAck),
    Held(HeldAck),
}

fn author(specialist: &Actor) -> String {
    specialist
        .name
        .clone()
        .unwrap_or_else(|| "Specialist".to_owned())
}

/// Publishes an answer: the question is answered, and a seq'd public
/// `answer` event holds both, so late joiners get it from the history.
pub(super) fn publish_answer(
    tx: &mut Tx<'_>,
    coalescer: &Coalescer,
    session: &SessionRow,
    answer_author: String,
    id: Uuid,
    text: &Screened<AnswerText>,
) -> Result<AnswerAck> {
    let mut row = existing(tx, session.key, id)?;
    let before = row.status;
    row.status = SpecialistStep::Answer.apply(before)?;
    let now = Stamp::now();
    let mut published = view(&row, View::Public);
    published.status = QuestionStatus::Answered.as_str().to_owned();
    let answer = crate::protocol::QuestionAnswer {
        text: text.as_str().to_owned(),
        author: answer_author.clone(),
        ts: now.rfc3339.clone(),
    };
    published.answer = Some(answer.clone());
    published.version = row.version + 1;
    let seq = tx.append_event(session.key, |seq| {
        Event::Answer {
            seq,
            ts: now.rfc3339.clone(),
            question: published,
            answer,
        }
        .to_json()
    })?;
    row.answered_ms = Some(now.unix_ms);
    row.answer = Some(StoredAnswer {
        text: text.as_str().to_owned(),
        author: answer_author,
        ts: now.rfc3339,
        seq,
    });
    let seen = row.version;
    save(tx, &mut row, seen, None)?;
    announce(tx, coalescer, Some(before), &row)?;
    Ok(AnswerAck {
        question: view(&row, View::Public),
        seq,
    })
}

fn hold_answer(
    tx: &mut Tx<'_>,
    session: &SessionRow,
    actor: &Actor,
    id: Uuid,
    text: &Held<AnswerText>,
) -> Result<HeldAck> {
    let row = existing(tx, session.key, id)?;
    SpecialistStep::Answer.apply(row.status)?;
    let item = store_held(
        tx,
        &NewHeld {
            id: Uuid::new_v4(),
            session_key: session.key,
            kind: HeldOf::Answer,
            text,
            author: &author(actor),
            created_at: &Stamp::now().rfc3339,
            phase: None,
            update_id: None,
            question_id: Some(id),
            client_key: None,
        },
    )?;
    Ok(HeldAck { held: item })
}

impl App {
    /// Waits (at most about one update interval) so that what the
    /// specialist sends to every viewer goes out `quiet_gap_ms` behind one
    /// of the narrator's updates instead of on top of it: ten thousand
    /// writes landing on an update's fan-out delay it for everyone.
    async fn behind_updates(&self, session_key: i64) {
        let gap = std::time::Duration::from_millis(self.config.questions.quiet_gap_ms);
        let wait = self.hub.wait_for_slot(session_key, gap);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Marks a question "now answering"; the one answered before goes back
    /// to the approved queue.
    pub async fn now_answering(
        &self,
        session: &SessionRow,
        specialist: &Actor,
        id: Uuid,
    ) -> Result<Question> {
        self.specialist_step(session, specialist, id, SpecialistStep::Answering)
            .await
    }

    pub async fn dismiss(
        &self,
        session: &SessionRow,
        specialist: &Actor,
        id: Uuid,
    ) -> Result<Question> {
        self.specialist_step(session, specialist, id, SpecialistStep::Dismiss)
            .await
    }

    async fn specialist_step(
        &self,
        session: &SessionRow,
        specialist: &Actor,
        id: Uuid,
        step: SpecialistStep,
    ) -> Result<Question> {
        if step == SpecialistStep::Answering {
            self.behind_updates(session.key).await;
        }
        let slug = session.slug.clone();
        let actor = specialist.clone();
        let coalescer = self.coalescer.clone();
        let question = self
            .store
            .write(move |tx| {
                let session = open_session(tx.db(), &slug)?;
                let mut row = existing(tx, session.key, id)?;
                let before = row.status;
                row.status = step.apply(before)?;
                if before == row.status {
                    return Ok(view(&row, View::Staff));
                }
                if step == SpecialistStep::Answering
                    && let Some(mut other) = store::now_answering(tx.db(), session.key)?
                {
                    other.status = QuestionStatus::Approved;
                    let seen = other.version;
                    save(tx, &mut other, seen, None)?;
                    announce(tx, &coalescer, Some(QuestionStatus::Answering), &other)?;
                }
                let seen = row.version;
                save(tx, &mut row, seen, None)?;
                let decision = Decision {
                    action: step.as_str(),
                    subject_id: Some(id.to_string()),
                    ..Decision::default()
                };
                tx.audit(session.key, &record(&session, &actor, decision))?;
                announce(tx, &coalescer, Some(before), &row)?;
                coalescer.queue_changed(tx, session.key);
                Ok(view(&row, View::Staff))
            })
            .await?;
        self.metrics.questions.step(step.as_str());
        Ok(question)
    }

    /// Answers a question. The text is screened like an update: 422 when it
    /// may identify a patient (unless confirmed), or held for a moderator
    /// when authors may not confirm.
    pub async fn answer(
        &self,
        session: &SessionRow,
        specialist: &Actor,
        id: Uuid,
        req: AnswerQuestion,
    ) -> Result<Answered> {
        let text = AnswerText::parse(&req.text, self.config.questions.max_answer_chars)?;
        let retry = super::updates::client_key(specialist, req.client_id)?.is_some();
        let decision = self.screen_for_publishing(text, req.confirm)?;
        if matches!(decision, Publish::Now(_)) {
            self.behind_updates(session.key).await;
        }
        let slug = session.slug.clone();
        let actor = specialist.clone();
        let coalescer = self.coalescer.clone();
        let answered = self
            .store
            .write(move |tx| {
                let session = open_session(tx.db(), &slug)?;
                let current = existing(tx, session.key, id)?;
                // A retried answer (same client_id, same text) answers what
                // the first one did.
                if let (true, Some(a), Publish::Now(t)) = (retry, &current.answer, &decision)
                    && a.text == t.as_str()
                {
                    return Ok(Answered::Published(AnswerAck {
                        question: view(&current, View::Public),
                        seq: a.seq,
                    }));
                }
                let answered = match &decision {
                    Publish::Now(text) => {
                        let ack =
                            publish_answer(tx, &coalescer, &session, author(&actor), id, text)?;
                        let decision = Decision {
                            action: "answer",
                            subject_id: Some(id.to_string()),
                            after: Some(text.as_str().to_owned()),
                            ..Decision::default()
                        };
                        tx.audit(session.key, &record(&session, &actor, decision))?;
                        Answered::Published(ack)
                    }
                    Publish::Review(text) => {
                        Answered::Held(hold_answer(tx, &session, &actor, id, text)?)
                    }
                };
                coalescer.queue_changed(tx, session.key);
                Ok(answered)
            })
            .await?;
        if matches!(answered, Answered::Published(_)) {
            self.metrics.questions.step("answer");
        }
        Ok(answered)
    }
}
