//! Staff presence: which moderators have a stream open, whether the
//! specialist is there, and which question each moderator has open, so two
//! rarely start on the same one (the version check still decides).

use super::{Actor, App};
use crate::domain::Role;
use crate::hub::Hub;
use crate::protocol::{Event, StaffHere, StaffViewing};
use crate::{Error, Result};
use dashmap::DashMap;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use uuid::Uuid;

const MAX_NAME_CHARS: usize = 60;

#[derive(Default)]
struct Room {
    streams: HashMap<u64, (Role, String)>,
    viewing: HashMap<String, Uuid>,
}

#[derive(Default)]
pub struct Roster {
    rooms: DashMap<i64, Room>,
    next: AtomicU64,
}

impl Roster {
    fn event(&self, session_key: i64) -> Option<String> {
        let room = self.rooms.get(&session_key)?;
        let mut moderators: Vec<String> = room
            .streams
            .values()
            .filter(|(role, _)| *role == Role::Moderator)
            .map(|(_, label)| label.clone())
            .collect();
        moderators.sort();
        moderators.dedup();
        let specialist = room.streams.values().any(|(r, _)| *r == Role::Specialist);
        let mut viewing: Vec<StaffViewing> = room
            .viewing
            .iter()
            .map(|(moderator, id)| StaffViewing {
                moderator: moderator.clone(),
                question_id: *id,
            })
            .collect();
        viewing.sort_by(|a, b| a.moderator.cmp(&b.moderator));
        Some(
            Event::StaffPresence {
                moderators,
                specialist,
                viewing,
            }
            .to_json(),
        )
    }

    fn publish(&self, hub: &Hub, session_key: i64) {
        if let Some(json) = self.event(session_key) {
            hub.publish_staff_live(session_key, json);
        }
    }
}

/// A staff stream's place in the roster; leaving is announced on drop.
pub struct PresenceGuard {
    roster: Arc<Roster>,
    hub: Arc<Hub>,
    session_key: i64,
    id: u64,
}

impl Drop for PresenceGuard {
    fn drop(&mut self) {
        let empty = match self.roster.rooms.get_mut(&self.session_key) {
            Some(mut room) => {
                if let Some((_, label)) = room.streams.remove(&self.id)
                    && !room.streams.values().any(|(_, l)| *l == label)
                {
                    room.viewing.remove(&label);
                }
                room.streams.is_empty()
            }
            None => false,
        };
        if empty {
            self.roster
                .rooms
                .remove_if(&self.session_key, |_, r| r.streams.is_empty());
        } else {
            self.roster.publish(&self.hub, self.session_key);
        }
    }
}

/// A display name a staff member chose, or the invite's label.
fn staff_name(actor: &Actor, name: Option<&str>) -> Result<String> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(actor.label()),
        Some(n) if n.chars().count() > MAX_NAME_CHARS || n.chars().any(char::is_control) => {
            Err(Error::bad_request(
                "invalid_name",
                format!("name must be 1 to {MAX_NAME_CHARS} printable characters"),
            ))
        }
        Some(n) => Ok(n.to_owned()),
    }
}

impl App {
    /// Puts a staff stream on the roster and tells the staff.
    pub(super) fn staff_arrived(&self, actor: &Actor, name: Option<&str>) -> Result<PresenceGuard> {
        let label = staff_name(actor, name)?;
        let id = self.roster.next.fetch_add(1, Relaxed);
        self.roster
            .rooms
            .entry(actor.session_key)
            .or_default()
            .streams
            .insert(id, (actor.role, label));
        self.roster.publish(&self.hub, actor.session_key);
        Ok(PresenceGuard {
            roster: self.roster.clone(),
            hub: self.hub.clone(),
            session_key: actor.session_key,
            id,
        })
    }

    /// `POST …/presence`: which question this moderator has open (none
    /// when `viewing` is left out).
    pub fn staff_here(&self, actor: &Actor, req: &StaffHere) -> Result<()> {
        let label = staff_name(actor, req.name.as_deref())?;
        {
            let mut room = self.roster.rooms.entry(actor.session_key).or_default();
            match req.viewing {
                Some(id) if actor.role == Role::Moderator => {
                    room.viewing.insert(label, id);
                }
                _ => {
                    room.viewing.remove(&label);
                }
            }
        }
        self.roster.publish(&self.hub, actor.session_key);
        Ok(())
    }
}
