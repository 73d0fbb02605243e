//! The narrator's updates: post (idempotent with `client_id`), edit, retract.

use super::App;
use super::access::Member;
use crate::domain::{Phase, UpdateText};
use crate::protocol::{Event, PostUpdate, SeqAck, Update, UpdateAck};
use crate::store::{self, SessionRow, StoredEvent, UpdateRow};
use crate::time::Stamp;
use crate::{Error, Result};
use rusqlite::Connection;
use uuid::Uuid;

const MAX_CLIENT_ID: usize = 100;

fn open_session(conn: &Connection, slug: &str) -> Result<SessionRow> {
    let session = store::session_by_slug(conn, slug)?.ok_or_else(Error::session_not_found)?;
    if !session.state.accepts_updates() {
        return Err(Error::Conflict(
            "the session has ended; updates can no longer change".into(),
        ));
    }
    Ok(session)
}

fn existing_update(conn: &Connection, session_key: i64, id: Uuid) -> Result<UpdateRow> {
    let row = store::update_by_id(conn, session_key, id)?
        .ok_or_else(|| Error::NotFound(format!("no update {id} in this session")))?;
    if row.update.retracted {
        return Err(Error::Conflict("that update was retracted".into()));
    }
    Ok(row)
}

/// Rewrites every stored event that carries this update so that a replayed
/// history shows only `current`: the corrected text after an edit, and no
/// text at all once retracted (a narrator retracts what should never have
/// been said, a patient's name say). Viewers already connected get the
/// edit or retraction event as usual.
fn rewrite_history(
    conn: &Connection,
    session_key: i64,
    current: &Update,
) -> Result<Vec<StoredEvent>> {
    let mut rewritten = Vec::new();
    for seq in store::update_event_seqs(conn, current.id)? {
        let Some(body) = store::event_body(conn, session_key, seq)? else {
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
        rewritten.push(store::rewrite_event(
            conn,
            session_key,
            seq,
            event.to_json(),
        )?);
    }
    Ok(rewritten)
}

impl App {
    pub async fn post_update(
        &self,
        session: &SessionRow,
        narrator: &Member,
        req: PostUpdate,
    ) -> Result<UpdateAck> {
        let text = UpdateText::parse(&req.text, self.config.limits.max_update_chars)?.into_inner();
        let phase = req
            .phase
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(Phase::parse)
            .transpose()?;
        let client_key = match req.client_id {
            Some(id) if id.is_empty() || id.len() > MAX_CLIENT_ID => {
                return Err(Error::BadRequest(format!(
                    "client_id must be 1 to {MAX_CLIENT_ID} bytes"
                )));
            }
            Some(id) => Some(format!("{}:{id}", narrator.selector)),
            None => None,
        };
        let slug = session.slug.clone();
        self.store
            .write(move |conn| {
                let session = open_session(conn, &slug)?;
                if let Some(key) = &client_key
                    && let Some(row) = store::update_by_client_key(conn, session.key, key)?
                {
                    return Ok((
                        UpdateAck {
                            update: row.update,
                            seq: row.seq,
                        },
                        vec![],
                    ));
                }
                let now = Stamp::now();
                let update = Update {
                    id: Uuid::new_v4(),
                    text,
                    phase: phase.map(Phase::into_inner),
                    author: session.narrator.clone(),
                    ts: now.rfc3339.clone(),
                    elapsed_ms: session.started_ms.map(|start| (now.unix_ms - start).max(0)),
                    edited_at: None,
                    retracted: false,
                };
                let event = store::append_event(conn, session.key, |seq| {
                    Event::Update {
                        seq,
                        ts: now.rfc3339.clone(),
                        update: update.clone(),
                    }
                    .to_json()
                })?;
                let row = UpdateRow {
                    session_key: session.key,
                    seq: event.seq,
                    update,
                };
                store::insert_update(conn, &row, client_key.as_deref())?;
                store::link_update_event(conn, row.update.id, event.seq)?;
                Ok((
                    UpdateAck {
                        update: row.update,
                        seq: event.seq,
                    },
                    vec![event],
                ))
            })
            .await
    }

    pub async fn edit_update(
        &self,
        session: &SessionRow,
        id: Uuid,
        text: &str,
    ) -> Result<UpdateAck> {
        let text = UpdateText::parse(text, self.config.limits.max_update_chars)?.into_inner();
        let slug = session.slug.clone();
        self.store
            .write(move |conn| {
                let session = open_session(conn, &slug)?;
                let mut update = existing_update(conn, session.key, id)?.update;
                let now = Stamp::now();
                update.text = text;
                update.edited_at = Some(now.rfc3339.clone());
                store::save_update(conn, &update)?;
                let mut events = rewrite_history(conn, session.key, &update)?;
                let event = store::append_event(conn, session.key, |seq| {
                    Event::UpdateEdited {
                        seq,
                        ts: now.rfc3339.clone(),
                        update: update.clone(),
                    }
                    .to_json()
                })?;
                store::link_update_event(conn, id, event.seq)?;
                let seq = event.seq;
                events.push(event);
                Ok((UpdateAck { update, seq }, events))
            })
            .await
    }

    pub async fn retract_update(&self, session: &SessionRow, id: Uuid) -> Result<SeqAck> {
        let slug = session.slug.clone();
        self.store
            .write(move |conn| {
                let session = open_session(conn, &slug)?;
                let mut update = existing_update(conn, session.key, id)?.update;
                update.retracted = true;
                update.text = String::new();
                store::save_update(conn, &update)?;
                let mut events = rewrite_history(conn, session.key, &update)?;
                let now = Stamp::now();
                let event = store::append_event(conn, session.key, |seq| {
                    Event::UpdateRetracted {
                        seq,
                        ts: now.rfc3339.clone(),
                        update_id: id,
                    }
                    .to_json()
                })?;
                let seq = event.seq;
                events.push(event);
                Ok((SeqAck { seq }, events))
            })
            .await
    }
}
