//! Held items: texts the screen held while authors may not confirm, waiting
//! for a moderator to release (optionally redacted first) or discard.

use super::App;
use super::screening::blocked_error;
use super::updates::{open_session, publish_edit, publish_update};
use crate::domain::UpdateText;
use crate::protocol::{DiscardHeld, FlaggedUpdate, HeldItem, HeldKind, ReleaseHeld, UpdateAck};
use crate::store::{self, HeldRow, SessionRow};
use crate::time::Stamp;
use crate::{Error, Result};
use rusqlite::Connection;
use std::sync::atomic::Ordering::Relaxed;
use uuid::Uuid;

const MAX_REASON_CHARS: usize = 500;

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

impl App {
    pub async fn held_items(&self, session: &SessionRow) -> Result<Vec<HeldItem>> {
        let key = session.key;
        self.store.read(move |c| store::open_held(c, key)).await
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
                update: row.update,
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
        id: Uuid,
        req: ReleaseHeld,
    ) -> Result<UpdateAck> {
        let key = session.key;
        let item = self.store.read(move |c| open_item(c, key, id)).await?.item;
        if item.kind != HeldKind::Update {
            return Err(Error::conflict(
                "not_an_update",
                "only held updates can be released here",
            ));
        }
        let raw = req.text.as_deref().unwrap_or(&item.text);
        let text = UpdateText::parse(raw, self.config.limits.max_update_chars)?;
        let screened = self.screen.release(text).map_err(|v| blocked_error(&v))?;
        let slug = session.slug.clone();
        let ack = self
            .store
            .write(move |conn| {
                let session = open_session(conn, &slug)?;
                open_item(conn, session.key, id)?;
                store::resolve_held(conn, id, true, &Stamp::now().rfc3339, None)?;
                match item.update_id {
                    Some(update_id) => {
                        let (ack, events) = publish_edit(conn, &session, update_id, &screened)?;
                        Ok((ack, events))
                    }
                    None => {
                        let (ack, event) =
                            publish_update(conn, &session, &screened, item.phase, None)?;
                        Ok((ack, vec![event]))
                    }
                }
            })
            .await?;
        self.metrics.screening.released.fetch_add(1, Relaxed);
        Ok(ack)
    }

    pub async fn discard_held(
        &self,
        session: &SessionRow,
        id: Uuid,
        req: DiscardHeld,
    ) -> Result<()> {
        let reason = req
            .reason
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty());
        if let Some(r) = &reason
            && r.chars().count() > MAX_REASON_CHARS
        {
            return Err(Error::bad_request(
                "text_too_long",
                format!("reason is longer than {MAX_REASON_CHARS} characters"),
            ));
        }
        let key = session.key;
        self.store
            .write(move |conn| {
                open_item(conn, key, id)?;
                store::resolve_held(conn, id, false, &Stamp::now().rfc3339, reason.as_deref())?;
                Ok(((), vec![]))
            })
            .await?;
        self.metrics.screening.discarded.fetch_add(1, Relaxed);
        Ok(())
    }
}
