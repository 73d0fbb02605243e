//! Moderators at work: approve, reject with a reason, edit (redact), merge
//! into an earlier duplicate, star and unstar, mute a viewer. Every action
//! names the version it was taken on; a stale one is a 409 carrying the
//! current question, so two moderators never overwrite each other.

use super::audit::{Decision, record};
use super::questions::{View, announce, existing, not_found, view};
use super::screening::blocked_error;
use super::updates::open_session;
use super::{Actor, App, Coalescer};
use crate::domain::question::{Moderation, can_take_merge};
use crate::domain::screen::Screened;
use crate::domain::{QuestionText, text};
use crate::protocol::{Moderate, Muted, Question};
use crate::store::{self, QuestionRow, SessionRow, Tx};
use crate::time::Stamp;
use crate::{Error, Result};
use serde_json::json;
use uuid::Uuid;

pub(super) fn stale(row: &QuestionRow) -> Error {
    Error::conflict(
        "stale_version",
        "someone changed this question since you loaded it; here is how it stands now",
    )
    .with_detail(json!({ "question": view(row, View::Staff) }))
}

/// Saves a question at the version the caller saw, or answers 409.
pub(super) fn save(
    tx: &mut Tx<'_>,
    row: &mut QuestionRow,
    seen: i64,
    text: Option<&Screened<QuestionText>>,
) -> Result<()> {
    if !store::save_question(tx.db(), row, seen, text)? {
        let current = existing(tx, row.session_key, row.id)?;
        return Err(stale(&current));
    }
    row.version = seen + 1;
    if let Some(text) = text {
        row.text = text.as_str().to_owned();
        row.flags = text.verdict().findings.clone();
    }
    Ok(())
}

/// What a moderation needs beyond the action, checked before the write.
struct Prepared {
    action: Moderation,
    text: Option<Screened<QuestionText>>,
    reason: Option<String>,
    into: Option<Uuid>,
}

impl App {
    fn prepare(&self, id: Uuid, req: &Moderate) -> Result<Prepared> {
        let action = Moderation::parse(&req.action)?;
        let reason = text::reason(req.reason.as_deref())?;
        let text = match (action, &req.text) {
            (Moderation::Edit, Some(raw)) => {
                let parsed = QuestionText::parse(raw, self.config.questions.max_question_chars)?;
                // A person wrote this redaction: identifiers no longer hold
                // it, but a phrase policy never allows still does.
                Some(self.screen.release(parsed).map_err(|v| blocked_error(&v))?)
            }
            (Moderation::Edit, None) => {
                return Err(Error::bad_request(
                    "missing_text",
                    "edit needs the new text in 'text'",
                ));
            }
            _ => None,
        };
        let into = match (action, req.into) {
            (Moderation::Merge, None) => {
                return Err(Error::bad_request(
                    "missing_into",
                    "merge needs the id of the question to merge into, in 'into'",
                ));
            }
            (Moderation::Merge, Some(into)) if into == id => {
                return Err(Error::bad_request(
                    "merge_into_itself",
                    "a question cannot be merged into itself",
                ));
            }
            (_, into) => into,
        };
        Ok(Prepared {
            action,
            text,
            reason,
            into,
        })
    }

    /// `POST …/questions/{id}/moderate`: the question as staff now see it.
    pub async fn moderate(
        &self,
        session: &SessionRow,
        moderator: &Actor,
        id: Uuid,
        req: Moderate,
    ) -> Result<Question> {
        let p = self.prepare(id, &req)?;
        let seen = req.version;
        let slug = session.slug.clone();
        let actor = moderator.clone();
        let coalescer = self.coalescer.clone();
        let metrics = self.metrics.clone();
        let result = self
            .store
            .write(move |tx| {
                let session = open_session(tx.db(), &slug)?;
                let mut row = existing(tx, session.key, id)?;
                if row.version != seen {
                    return Err(stale(&row));
                }
                let before = row.status;
                row.status = p.action.apply(before)?;
                let mut decision = Decision {
                    action: p.action.as_str(),
                    subject_id: Some(id.to_string()),
                    ..Decision::default()
                };
                match p.action {
                    Moderation::Approve => row.approved_ms = Some(Stamp::now().unix_ms),
                    Moderation::Reject => {
                        row.reason = p.reason.clone();
                        decision.reason = p.reason;
                    }
                    Moderation::Edit => {
                        decision.before = Some(row.text.clone());
                        decision.after = p.text.as_ref().map(|t| t.as_str().to_owned());
                    }
                    Moderation::Star => row.starred = true,
                    Moderation::Unstar => row.starred = false,
                    Moderation::Merge => {
                        let into = p.into.ok_or_else(|| {
                            Error::bad_request("missing_into", "merge needs 'into'")
                        })?;
                        let target = merge_into(tx, &coalescer, &session, &row, into)?;
                        row.into = Some(target);
                        decision.after = Some(target.to_string());
                    }
                }
                save(tx, &mut row, seen, p.text.as_ref())?;
                tx.audit(session.key, &record(&session, &actor, decision))?;
                announce(tx, &coalescer, Some(before), &row)?;
                coalescer.queue_changed(tx, session.key);
                Ok(view(&row, View::Staff))
            })
            .await;
        match &result {
            Ok(_) => metrics.questions.step(&req.action),
            Err(e) if e.reason() == "stale_version" => {
                metrics
                    .questions
                    .stale_versions
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Err(_) => {}
        }
        result
    }

    /// `POST …/viewers/{viewer_id}/mute`: that viewer's later questions go
    /// to the muted list, never the queue. The viewer is not told.
    pub async fn mute(
        &self,
        session: &SessionRow,
        moderator: &Actor,
        viewer_id: Uuid,
        muted: bool,
    ) -> Result<Muted> {
        let (session, actor) = (session.clone(), moderator.clone());
        self.store
            .write(move |tx| {
                if !store::viewer_exists(tx.db(), session.key, viewer_id)? {
                    return Err(Error::not_found(
                        "viewer_not_found",
                        format!("no viewer {viewer_id} joined this session"),
                    ));
                }
                store::set_muted(tx.db(), session.key, viewer_id, muted)?;
                let decision = Decision {
                    action: if muted { "mute" } else { "unmute" },
                    subject_id: Some(viewer_id.to_string()),
                    ..Decision::default()
                };
                tx.audit(session.key, &record(&session, &actor, decision))?;
                Ok(Muted { viewer_id, muted })
            })
            .await
    }
}

/// Folds `source` into the question `into`: its voters (each counted once)
/// and askers move over; the target's new state is announced.
fn merge_into(
    tx: &mut Tx<'_>,
    coalescer: &Coalescer,
    session: &SessionRow,
    source: &QuestionRow,
    into: Uuid,
) -> Result<Uuid> {
    let mut target =
        store::question_by_id(tx.db(), session.key, into)?.ok_or_else(|| not_found(into))?;
    if !can_take_merge(target.status) {
        return Err(Error::conflict(
            "merge_target_closed",
            format!(
                "the question to merge into is {}; pick an open one",
                target.status.as_str()
            ),
        ));
    }
    target.votes = store::merge_votes(tx.db(), source.id, into)?;
    let seen = target.version;
    let before = target.status;
    save(tx, &mut target, seen, None)?;
    announce(tx, coalescer, Some(before), &target)?;
    Ok(target.id)
}
