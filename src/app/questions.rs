//! Viewers' questions: asking (screened, idempotent with `client_id`,
//! rate-limited), listing by role, a viewer's own, and the queue's figures.
//! Every change is announced to each audience in its own view.

use super::screening::blocked_error;
use super::updates::{client_key, open_session};
use super::{Actor, App, Coalescer};
use crate::domain::question::QuestionStatus;
use crate::domain::screen::Clearance;
use crate::domain::{QuestionText, Role};
use crate::protocol::{AskQuestion, Event, Question, QuestionAnswer, QueueStats};
use crate::store::{self, Channel, Checked, QuestionFilter, QuestionRow, SessionRow, Tx};
use crate::time::Stamp;
use crate::{Error, Result};
use std::net::IpAddr;
use uuid::Uuid;

/// Who a question is shown to: each sees only what it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum View {
    /// Moderators and the specialist: findings, asker id, mute, reason.
    Staff,
    /// The viewer who asked: its own reason, nothing of other viewers.
    Asker,
    /// Everyone: published questions only.
    Public,
}

pub(super) fn view(row: &QuestionRow, v: View) -> Question {
    let staff = v == View::Staff;
    Question {
        id: row.id,
        text: row.text.clone(),
        author: row.author.clone(),
        status: row.status.as_str().to_owned(),
        votes: row.votes,
        starred: row.starred,
        version: row.version,
        created_at: row.created_at.clone(),
        phase: row.phase.clone(),
        elapsed_ms: row.elapsed_ms,
        answer: row.answer.as_ref().map(|a| QuestionAnswer {
            text: a.text.clone(),
            author: a.author.clone(),
            ts: a.ts.clone(),
        }),
        reason: if v == View::Public {
            None
        } else {
            row.reason.clone()
        },
        into: row.into,
        flags: staff.then(|| row.flags.clone()),
        viewer_id: staff.then_some(row.viewer_id),
        muted: staff.then_some(row.muted),
    }
}

pub(super) fn not_found(id: Uuid) -> Error {
    Error::not_found(
        "question_not_found",
        format!("no question {id} in this session"),
    )
}

pub(super) fn existing(tx: &Tx<'_>, session_key: i64, id: Uuid) -> Result<QuestionRow> {
    store::question_by_id(tx.db(), session_key, id)?.ok_or_else(|| not_found(id))
}

/// Tells each audience about a question's new state: staff (history,
/// unless it is a muted asker's question still waiting), its askers (live),
/// and everyone when it is or was published.
pub(super) fn announce(
    tx: &mut Tx<'_>,
    coalescer: &Coalescer,
    before: Option<QuestionStatus>,
    row: &QuestionRow,
) -> Result<()> {
    let key = row.session_key;
    if !(row.muted && row.status.awaits_moderator()) {
        let question = view(row, View::Staff);
        tx.append_staff(key, |staff_seq| {
            Event::Question {
                staff_seq,
                question,
            }
            .to_json()
        })?;
    }
    let mine = Event::MyQuestion {
        question: view(row, View::Asker),
    }
    .to_json();
    for asker in store::askers(tx.db(), row.id)? {
        tx.live(key, Channel::Viewer(asker), mine.clone());
    }
    // Publications reach viewers coalesced, one message per interval
    // however many moderators approve at once.
    if row.status.is_public() || before.is_some_and(QuestionStatus::is_public) {
        coalescer.public_changed(tx, key, row.id);
    }
    let answering = QuestionStatus::Answering;
    if row.status == answering && before != Some(answering) {
        let question = Some(view(row, View::Public));
        tx.live(
            key,
            Channel::PublicLive,
            Event::NowAnswering { question }.to_json(),
        );
    } else if before == Some(answering) && row.status != answering {
        tx.live(
            key,
            Channel::PublicLive,
            Event::NowAnswering { question: None }.to_json(),
        );
    }
    Ok(())
}

/// The statuses each role may list.
fn visible_to(role: Role) -> &'static [QuestionStatus] {
    use QuestionStatus::*;
    match role {
        Role::Moderator => &QuestionStatus::ALL,
        Role::Specialist => &QuestionStatus::SPECIALIST,
        _ => &[Approved, Answering, Answered],
    }
}

impl App {
    /// A viewer asks. Answers 202 with the question as its asker sees it;
    /// the same `client_id` again returns the first question.
    pub async fn ask(
        &self,
        session: &SessionRow,
        asker: &Actor,
        client: IpAddr,
        req: AskQuestion,
    ) -> Result<Question> {
        let text = QuestionText::parse(&req.text, self.config.questions.max_question_chars)?;
        let client_key = client_key(asker, req.client_id)?;
        let session_key = session.key;
        if let Some(key) = client_key.clone()
            && let Some(earlier) = self
                .store
                .lookup(move |c| store::question_by_client_key(c, session_key, &key))
                .await?
        {
            return Ok(view(&earlier, View::Asker));
        }
        let viewer_id = asker.viewer_id.ok_or_else(|| {
            Error::forbidden("wrong_role", "only a viewer token can ask questions")
        })?;
        self.limits.ask(viewer_id, client)?;
        let screened = match self.screen.clear(text) {
            Clearance::Clear(t) => {
                self.metrics.screening.record(t.verdict());
                Ok(t)
            }
            Clearance::Held(t) => {
                self.metrics.screening.record(t.verdict());
                Err(t)
            }
            Clearance::Blocked(verdict) => {
                self.metrics.screening.record(&verdict);
                return Err(blocked_error(&verdict));
            }
        };
        let author = (!req.anonymous).then(|| asker.name.clone()).flatten();
        let slug = session.slug.clone();
        let coalescer = self.coalescer.clone();
        let metrics = self.metrics.clone();
        let question = self
            .store
            .write(move |tx| {
                let session = open_session(tx.db(), &slug)?;
                if let Some(key) = &client_key
                    && let Some(earlier) = store::question_by_client_key(tx.db(), session.key, key)?
                {
                    return Ok(view(&earlier, View::Asker));
                }
                let now = Stamp::now();
                let (status, checked) = match &screened {
                    Ok(t) => (QuestionStatus::Pending, Checked::Clear(t)),
                    Err(t) => (QuestionStatus::Held, Checked::Held(t)),
                };
                let row = QuestionRow {
                    id: Uuid::new_v4(),
                    session_key: session.key,
                    viewer_id,
                    author,
                    text: checked.text().to_owned(),
                    flags: checked.findings().to_vec(),
                    status,
                    votes: 0,
                    starred: false,
                    version: 1,
                    muted: store::is_muted(tx.db(), session.key, viewer_id)?,
                    created_at: now.rfc3339.clone(),
                    created_ms: now.unix_ms,
                    phase: store::current_phase(tx.db(), session.key)?,
                    elapsed_ms: session.started_ms.map(|s| (now.unix_ms - s).max(0)),
                    reason: None,
                    into: None,
                    approved_ms: None,
                    answered_ms: None,
                    answer: None,
                };
                store::insert_question(tx.db(), &row, checked, client_key.as_deref())?;
                announce(tx, &coalescer, None, &row)?;
                coalescer.queue_changed(tx, session.key);
                Ok(view(&row, View::Asker))
            })
            .await;
        if let Ok(q) = &question {
            metrics.questions.asked(&q.status);
        }
        question
    }

    /// The caller's own questions, any status (a viewer reloading after a
    /// reconnect).
    pub async fn my_questions(
        &self,
        session: &SessionRow,
        viewer: &Actor,
    ) -> Result<Vec<Question>> {
        let Some(viewer_id) = viewer.viewer_id else {
            return Ok(Vec::new());
        };
        let key = session.key;
        let rows = self
            .store
            .read(move |c| store::questions_of(c, key, viewer_id))
            .await?;
        Ok(rows.iter().map(|r| view(r, View::Asker)).collect())
    }

    /// Questions in queue order, as the caller's role may see them.
    pub async fn list_questions(
        &self,
        session: &SessionRow,
        role: Role,
        status: Option<&str>,
        muted: Option<bool>,
    ) -> Result<Vec<Question>> {
        let allowed = visible_to(role);
        let statuses = match status {
            None => allowed.to_vec(),
            Some(raw) => {
                let wanted = QuestionStatus::parse(raw).ok_or_else(|| {
                    Error::bad_request(
                        "invalid_status",
                        format!("'{raw}' is not a question status"),
                    )
                })?;
                if !allowed.contains(&wanted) {
                    return Err(Error::forbidden(
                        "status_not_visible",
                        format!("a {} token cannot list {raw} questions", role.as_str()),
                    ));
                }
                vec![wanted]
            }
        };
        let staff = role.is_staff();
        let filter = QuestionFilter {
            statuses,
            muted: if role == Role::Moderator {
                Some(muted.unwrap_or(false))
            } else {
                Some(false)
            },
        };
        let key = session.key;
        let rows = self
            .store
            .read(move |c| store::list_questions(c, key, &filter))
            .await?;
        let v = if staff { View::Staff } else { View::Public };
        Ok(rows.iter().map(|r| view(r, v)).collect())
    }

    pub async fn queue_stats(&self, session: &SessionRow) -> Result<QueueStats> {
        let key = session.key;
        let c = self
            .store
            .read(move |c| store::queue_counts(c, key))
            .await?;
        Ok(to_stats(c))
    }
}

pub(super) fn to_stats(c: store::QueueCounts) -> QueueStats {
    QueueStats {
        pending: c.pending,
        held: c.held,
        approved: c.approved,
        answered: c.answered,
        rejected: c.rejected,
        received: c.received,
        median_wait_approve_ms: c.median_wait_approve_ms,
        median_wait_answer_ms: c.median_wait_answer_ms,
    }
}
