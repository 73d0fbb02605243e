//! The narrator's updates: post (idempotent with `client_id`), edit,
//! retract. Every text is screened before it is stored or published.

use super::App;
use super::access::Actor;
use super::audit::{Decision, record};
use super::screening::Publish;
use crate::domain::screen::{Action as ScreenAction, Held, Screened};
use crate::domain::{Phase, UpdateText};
use crate::protocol::{
    EditUpdate, Event, HeldAck, HeldItem, PostUpdate, Posted, SeqAck, Update, UpdateAck,
};
use crate::store::{self, HeldOf, NewHeld, SessionRow, StoredUpdate, Tx, UpdateRow};
use crate::time::Stamp;
use crate::{Error, Result};
use rusqlite::Connection;
use std::sync::atomic::Ordering::Relaxed;
use uuid::Uuid;

const MAX_CLIENT_ID: usize = 100;

/// The idempotency key of a submission: the token's selector and the
/// client's id, so two tokens never share one.
pub(super) fn client_key(actor: &Actor, client_id: Option<String>) -> Result<Option<String>> {
    match client_id {
        Some(id) if id.is_empty() || id.len() > MAX_CLIENT_ID => Err(Error::bad_request(
            "invalid_client_id",
            format!("client_id must be 1 to {MAX_CLIENT_ID} bytes"),
        )),
        Some(id) => Ok(Some(format!("{}:{id}", actor.selector))),
        None => Ok(None),
    }
}

pub(super) fn open_session(conn: &Connection, slug: &str) -> Result<SessionRow> {
    let session = store::session_by_slug(conn, slug)?.ok_or_else(Error::session_not_found)?;
    if !session.state.accepts_updates() {
        return Err(Error::conflict(
            "session_ended",
            "the session has ended; updates can no longer change",
        ));
    }
    Ok(session)
}

pub(super) fn existing_update(conn: &Connection, session_key: i64, id: Uuid) -> Result<Update> {
    let row = store::update_by_id(conn, session_key, id)?.ok_or_else(|| {
        Error::not_found(
            "update_not_found",
            format!("no update {id} in this session"),
        )
    })?;
    if row.update.retracted {
        return Err(Error::conflict(
            "update_retracted",
            "that update was retracted",
        ));
    }
    Ok(row.update.into())
}

/// Rewrites every stored event that carries this update so that a replayed
/// history shows only `current`: the corrected text after an edit, and no
/// text at all once retracted (a narrator retracts what should never have
/// been said, a patient's name say). Viewers already connected get the
/// edit or retraction event as usual.
fn rewrite_history(tx: &mut Tx<'_>, session_key: i64, current: &Update) -> Result<()> {
    for seq in store::update_event_seqs(tx.db(), current.id)? {
        let Some(body) = store::event_body(tx.db(), session_key, seq)? else {
            continue;
        };
        let event = match serde_json::from_str::<Event>(&body) {
            Ok(Event::Update { seq, ts, .. }) => Event::Update {
                seq,
                ts,
                update: current.clone(),
            },
            Ok(Event::UpdateEdited { seq, ts, .. }) => Event::UpdateEdited {
                seq,
                ts,
                update: current.clone(),
            },
            _ => continue,
        };
        tx.rewrite_event(session_key, seq, event.to_json())?;
    }
    Ok(())
}

/// A new update in the session's history: the update row, its event, and
/// the link that lets later edits rewrite that event.
pub(super) fn publish_update(
    tx: &mut Tx<'_>,
    session: &SessionRow,
    text: &Screened<UpdateText>,
    phase: Option<String>,
    client_key: Option<&str>,
) -> Result<UpdateAck> {
    let now = Stamp::now();
    let update = Update {
        id: Uuid::new_v4(),
        text: text.as_str().to_owned(),
        phase,
        author: session.narrator.clone(),
        ts: now.rfc3339.clone(),
        elapsed_ms: session.started_ms.map(|start| (now.unix_ms - start).max(0)),
        edited_at: None,
        retracted: false,
    };
    let seq = tx.append_event(session.key, |seq| {
        Event::Update {
            seq,
            ts: now.rfc3339.clone(),
            update: update.clone(),
        }
        .to_json()
    })?;
    let row = UpdateRow {
        session_key: session.key,
        seq,
        update: StoredUpdate::from(&update),
    };
    store::insert_update(tx.db(), &row, text, client_key)?;
    store::link_update_event(tx.db(), update.id, seq)?;
    Ok(UpdateAck { update, seq })
}

/// Applies an edit: the update's new text, the stored events that carried
/// the old one rewritten, and an `update_edited` event.
pub(super) fn publish_edit(
    tx: &mut Tx<'_>,
    session: &SessionRow,
    id: Uuid,
    text: &Screened<UpdateText>,
) -> Result<UpdateAck> {
    let mut update = existing_update(tx.db(), session.key, id)?;
    let now = Stamp::now();
    update.text = text.as_str().to_owned();
    update.edited_at = Some(now.rfc3339.clone());
    store::save_edit(tx.db(), id, text, &now.rfc3339)?;
    rewrite_history(tx, session.key, &update)?;
    let seq = tx.append_event(session.key, |seq| {
        Event::UpdateEdited {
            seq,
            ts: now.rfc3339.clone(),
            update: update.clone(),
        }
        .to_json()
    })?;
    store::link_update_event(tx.db(), id, seq)?;
    Ok(UpdateAck { update, seq })
}

impl App {
    /// Posts an update. The text goes through the privacy screen first: held
    /// text is refused (422) unless its author confirms, or, when authors may
    /// not confirm, stored for a moderator and answered with the held item.
    pub async fn post_update(
        &self,
        session: &SessionRow,
        narrator: &Actor,
        req: PostUpdate,
    ) -> Result<Posted> {
        let text = UpdateText::parse(&req.text, self.config.limits.max_update_chars)?;
        let phase = req
            .phase
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(Phase::parse)
            .transpose()?
            .map(Phase::into_inner);
        let client_key = client_key(narrator, req.client_id)?;
        if let Some(key) = &client_key
            && let Some(earlier) = self.earlier_post(session.key, key.clone()).await?
        {
            return Ok(earlier);
        }
        let decision = self.screen_for_publishing(text, req.confirm)?;
        let slug = session.slug.clone();
        let metrics = self.metrics.clone();
        let narrator = narrator.clone();
        self.store
            .write(move |tx| {
                let session = open_session(tx.db(), &slug)?;
                if let Some(key) = &client_key
                    && let Some(earlier) = earlier_post(tx.db(), session.key, key)?
                {
                    return Ok(earlier);
                }
                match decision {
                    Publish::Now(text) => {
                        let ack =
                            publish_update(tx, &session, &text, phase, client_key.as_deref())?;
                        audit_confirmation(tx, &session, &narrator, &text, &ack.update)?;
                        Ok(Posted::Published(ack))
                    }
                    Publish::Review(text) => {
                        let held = hold_for_review(
                            tx,
                            &session,
                            &text,
                            phase,
                            None,
                            client_key.as_deref(),
                        )?;
                        metrics.screening.held_for_review.fetch_add(1, Relaxed);
                        Ok(Posted::Held(HeldAck { held }))
                    }
                }
            })
            .await
    }

    /// A retried post (same `client_id`) answers what the first one did.
    async fn earlier_post(&self, session_key: i64, key: String) -> Result<Option<Posted>> {
        self.store
            .read(move |conn| earlier_post(conn, session_key, &key))
            .await
    }

    pub async fn edit_update(
        &self,
        session: &SessionRow,
        narrator: &Actor,
        id: Uuid,
        req: EditUpdate,
    ) -> Result<Posted> {
        let text = UpdateText::parse(&req.text, self.config.limits.max_update_chars)?;
        let decision = self.screen_for_publishing(text, req.confirm)?;
        let slug = session.slug.clone();
        let narrator = narrator.clone();
        let metrics = self.metrics.clone();
        self.store
            .write(move |tx| {
                let session = open_session(tx.db(), &slug)?;
                match decision {
                    Publish::Now(text) => {
                        let ack = publish_edit(tx, &session, id, &text)?;
                        audit_confirmation(tx, &session, &narrator, &text, &ack.update)?;
                        Ok(Posted::Published(ack))
                    }
                    Publish::Review(text) => {
                        let existing = existing_update(tx.db(), session.key, id)?;
                        let held =
                            hold_for_review(tx, &session, &text, existing.phase, Some(id), None)?;
                        metrics.screening.held_for_review.fetch_add(1, Relaxed);
                        Ok(Posted::Held(HeldAck { held }))
                    }
                }
            })
            .await
    }

    pub async fn retract_update(&self, session: &SessionRow, id: Uuid) -> Result<SeqAck> {
        let slug = session.slug.clone();
        self.store
            .write(move |tx| {
                let session = open_session(tx.db(), &slug)?;
                let mut update = existing_update(tx.db(), session.key, id)?;
                update.retracted = true;
                update.text = String::new();
                store::save_retraction(tx.db(), id)?;
                rewrite_history(tx, session.key, &update)?;
                let now = Stamp::now();
                let seq = tx.append_event(session.key, |seq| {
                    Event::UpdateRetracted {
                        seq,
                        ts: now.rfc3339.clone(),
                        update_id: id,
                    }
                    .to_json()
                })?;
                Ok(SeqAck { seq })
            })
            .await
    }
}

fn earlier_post(conn: &Connection, session_key: i64, key: &str) -> Result<Option<Posted>> {
    if let Some(row) = store::update_by_client_key(conn, session_key, key)? {
        return Ok(Some(Posted::published(row.update.into(), row.seq)));
    }
    Ok(
        store::held_by_client_key(conn, session_key, key)?.map(|row| {
            Posted::Held(HeldAck {
                held: row.item.into(),
            })
        }),
    )
}

/// A narrator who confirmed that the screen's findings are false alarms
/// took a screening decision: it goes in the audit trail.
fn audit_confirmation(
    tx: &mut Tx<'_>,
    session: &SessionRow,
    narrator: &Actor,
    text: &Screened<UpdateText>,
    update: &Update,
) -> Result<()> {
    if text.verdict().action != ScreenAction::Hold {
        return Ok(());
    }
    let decision = Decision {
        action: "confirm",
        subject_id: Some(update.id.to_string()),
        after: Some(update.text.clone()),
        ..Decision::default()
    };
    tx.audit(session.key, &record(session, narrator, decision))
}

/// Stores a held text for a moderator and tells the staff streams.
fn hold_for_review(
    tx: &mut Tx<'_>,
    session: &SessionRow,
    text: &Held<UpdateText>,
    phase: Option<String>,
    update_id: Option<Uuid>,
    client_key: Option<&str>,
) -> Result<HeldItem> {
    super::held::store_held(
        tx,
        &NewHeld {
            id: Uuid::new_v4(),
            session_key: session.key,
            kind: HeldOf::Update,
            text,
            author: &session.narrator,
            created_at: &Stamp::now().rfc3339,
            phase: phase.as_deref(),
            update_id,
            question_id: None,
            client_key,
        },
    )
}
