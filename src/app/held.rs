//! Held items: texts the screen held while authors may not confirm, waiting
//! for a moderator to release (optionally redacted first) or discard.

use super::answers::publish_answer;
use super::audit::{Decision, record};
use super::screening::blocked_error;
use super::updates::{open_session, publish_edit, publish_update};
use super::{Actor, App};
use crate::domain::{AnswerText, UpdateText};
use crate::protocol::{
    AnswerAck, DiscardHeld, Event, FlaggedUpdate, HeldItem, ReleaseHeld, UpdateAck,
};

/// What releasing a held item published.
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
pub enum Released {
    Update(UpdateAck),
    Answer(AnswerAck),
}
use crate::store::{self, HeldOf, HeldRecord, HeldRow, NewHeld, SessionRow, Tx};
use crate::time::Stamp;
use crate::{Error, Result};
use rusqlite::Connection;
use std::sync::atomic::Ordering::Relaxed;
use uuid::Uuid;

fn open_item(conn: &Connection, session_key: i64, id: Uuid) -> Result<HeldRow> {
    let row = store::held_by_id(conn, session_key, id)?.ok_or_else(|| {
        Error::not_found(
            "held_not_found",
            format!("no held item {id} in this session"),
        )
    })?;
    if !row.open {
        return Err(Error::conflict(
            "already_resolved",
            "another moderator already released or discarded this item",
        ));
    }
    Ok(row)
}

/// Stores a text the screen held for a moderator and tells the staff.
pub(super) fn store_held<T: AsRef<str>>(tx: &mut Tx<'_>, new: &NewHeld<'_, T>) -> Result<HeldItem> {
    let item = HeldItem::from(store::insert_held(tx.db(), new)?);
    tx.append_staff(new.session_key, |staff_seq| {
        Event::Held {
            staff_seq,
            item: item.clone(),
        }
        .to_json()
    })?;
    Ok(item)
}

/// Marks a held item released or discarded, audits the decision and tells
/// the staff.
fn resolve(
    tx: &mut Tx<'_>,
    session: &SessionRow,
    actor: &Actor,
    decision: Decision<'_>,
    id: Uuid,
) -> Result<()> {
    let released = decision.action == "release";
    let reason = decision.reason.clone();
    store::resolve_held(
        tx.db(),
        id,
        released,
        &Stamp::now().rfc3339,
        reason.as_deref(),
    )?;
    tx.audit(session.key, &record(session, actor, decision))?;
    tx.append_staff(session.key, |staff_seq| {
        Event::HeldResolved { staff_seq, id }.to_json()
    })?;
    Ok(())
}

impl App {
    pub async fn held_items(&self, session: &SessionRow) -> Result<Vec<HeldItem>> {
        let key = session.key;
        let rows = self.store.read(move |c| store::open_held(c, key)).await?;
        Ok(rows.into_iter().map(HeldItem::from).collect())
    }

    /// Published updates with findings, for moderators to look over.
    pub async fn flagged_updates(&self, session: &SessionRow) -> Result<Vec<FlaggedUpdate>> {
        let key = session.key;
        let rows = self
            .store
            .read(move |c| store::flagged_updates(c, key))
            .await?;
        Ok(rows
            .into_iter()
            .map(|(row, flags)| FlaggedUpdate {
                update: row.update.into(),
                flags: serde_json::from_str(&flags).unwrap_or_default(),
            })
            .collect())
    }

    /// Publishes a held text, the moderator's redaction when given. The
    /// released text is screened again: a `block` phrase still stops it,
    /// while identifiers no longer do (a person reviewed them).
    pub async fn release_held(
        &self,
        session: &SessionRow,
        actor: &Actor,
        id: Uuid,
        req: ReleaseHeld,
    ) -> Result<Released> {
        let key = session.key;
        let item = self.store.read(move |c| open_item(c, key, id)).await?.item;
        if item.kind == HeldOf::Answer {
            let raw = req.text.unwrap_or_else(|| item.text.clone());
            return self.release_answer(session, actor, item, &raw).await;
        }
        let raw = req.text.as_deref().unwrap_or(&item.text);
        let text = UpdateText::parse(raw, self.config.limits.max_update_chars)?;
        let screened = self.screen.release(text).map_err(|v| blocked_error(&v))?;
        let slug = session.slug.clone();
        let actor = actor.clone();
        let ack = self
            .store
            .write(move |tx| {
                let session = open_session(tx.db(), &slug)?;
                open_item(tx.db(), session.key, id)?;
                let ack = match item.update_id {
                    Some(update_id) => publish_edit(tx, &session, update_id, &screened)?,
                    None => publish_update(tx, &session, &screened, item.phase, None)?,
                };
                let decision = Decision {
                    action: "release",
                    subject_id: Some(id.to_string()),
                    before: Some(item.text),
                    after: Some(ack.update.text.clone()),
                    reason: None,
                };
                resolve(tx, &session, &actor, decision, id)?;
                Ok(ack)
            })
            .await?;
        self.metrics.screening.released.fetch_add(1, Relaxed);
        Ok(Released::Update(ack))
    }

    /// Publishes a held answer (optionally redacted) to its question.
    async fn release_answer(
        &self,
        session: &SessionRow,
        actor: &Actor,
        item: HeldRecord,
        raw: &str,
    ) -> Result<Released> {
        let text = AnswerText::parse(raw, self.config.questions.max_answer_chars)?;
        let screened = self.screen.release(text).map_err(|v| blocked_error(&v))?;
        let question_id = item.question_id.ok_or_else(|| {
            Error::internal(anyhow::anyhow!("held answer {} has no question", item.id))
        })?;
        let (slug, actor) = (session.slug.clone(), actor.clone());
        let coalescer = self.coalescer.clone();
        let ack = self
            .store
            .write(move |tx| {
                let session = open_session(tx.db(), &slug)?;
                open_item(tx.db(), session.key, item.id)?;
                let ack = publish_answer(
                    tx,
                    &coalescer,
                    &session,
                    item.author,
                    question_id,
                    &screened,
                )?;
                let decision = Decision {
                    action: "release",
                    subject_id: Some(item.id.to_string()),
                    before: Some(item.text),
                    after: Some(screened.as_str().to_owned()),
                    reason: None,
                };
                resolve(tx, &session, &actor, decision, item.id)?;
                Ok(ack)
            })
            .await?;
        self.metrics.screening.released.fetch_add(1, Relaxed);
        Ok(Released::Answer(ack))
    }

    pub async fn discard_held(
        &self,
        session: &SessionRow,
        actor: &Actor,
        id: Uuid,
        req: DiscardHeld,
    ) -> Result<()> {
        let reason = crate::domain::text::reason(req.reason.as_deref())?;
        let (session, actor) = (session.clone(), actor.clone());
        self.store
            .write(move |tx| {
                let item = open_item(tx.db(), session.key, id)?.item;
                let decision = Decision {
                    action: "discard",
                    subject_id: Some(id.to_string()),
                    before: Some(item.text),
                    reason,
                    ..Decision::default()
                };
                resolve(tx, &session, &actor, decision, id)
            })
            .await?;
        self.metrics.screening.discarded.fetch_add(1, Relaxed);
        Ok(())
    }
}
