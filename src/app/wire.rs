//! From the store's row types to the wire's and back: the store never
//! speaks the protocol, and the protocol never leaks storage details.

use crate::protocol::{HeldItem, HeldKind, Update};
use crate::store::{HeldOf, HeldRecord, StoredUpdate};

impl From<StoredUpdate> for Update {
    fn from(s: StoredUpdate) -> Self {
        Update {
            id: s.id,
            text: s.text,
            phase: s.phase,
            author: s.author,
            ts: s.ts,
            elapsed_ms: s.elapsed_ms,
            edited_at: s.edited_at,
            retracted: s.retracted,
        }
    }
}

impl From<&Update> for StoredUpdate {
    fn from(u: &Update) -> Self {
        StoredUpdate {
            id: u.id,
            text: u.text.clone(),
            phase: u.phase.clone(),
            author: u.author.clone(),
            ts: u.ts.clone(),
            elapsed_ms: u.elapsed_ms,
            edited_at: u.edited_at.clone(),
            retracted: u.retracted,
        }
    }
}

impl From<HeldRecord> for HeldItem {
    fn from(r: HeldRecord) -> Self {
        HeldItem {
            id: r.id,
            kind: match r.kind {
                HeldOf::Update => HeldKind::Update,
                HeldOf::Answer => HeldKind::Answer,
            },
            text: r.text,
            flags: r.flags,
            author: r.author,
            created_at: r.created_at,
            update_id: r.update_id,
            question_id: r.question_id,
            phase: r.phase,
        }
    }
}
