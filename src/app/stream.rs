//! Opening a stream: check access (ticket, join code), admission limits and
//! `since`, then start following the session's hub topic.

use super::access::code_matches;
use super::admission::AdmissionGuard;
use super::history::check_since;
use super::{Actor, App, PresenceGuard};
use crate::domain::Role;
use crate::hub::{Audience, Feed, Frame};
use crate::protocol::Event;
use crate::store;
use crate::{Error, Result};
use std::net::IpAddr;
use tokio_util::sync::CancellationToken;

pub struct StreamRequest<'a> {
    pub slug: &'a str,
    pub since: Option<u64>,
    /// Staff streams: resume the staff history after this `staff_seq`.
    pub staff_since: Option<u64>,
    pub ticket: Option<&'a str>,
    /// Staff streams: the name other staff see (default: the invite's label).
    pub name: Option<&'a str>,
    pub code: Option<&'a str>,
    pub peer: IpAddr,
}

pub struct OpenStream {
    pub role: Role,
    /// The `hello` message, to send before anything else.
    pub hello: Frame,
    pub feed: Feed,
    /// The stream's place under the admission limits; released when the
    /// connection ends.
    pub admission: Option<AdmissionGuard>,
    /// A staff stream's place in the staff presence roster.
    pub presence: Option<PresenceGuard>,
    /// Cancelled when the staff token the stream was opened with is rotated.
    pub revoked: Option<CancellationToken>,
}

impl App {
    /// Errors: 404 unknown (or private without access), 401 bad ticket,
    /// 400 `since` beyond head, 429/503 admission limits.
    pub async fn open_stream(&self, req: StreamRequest<'_>) -> Result<OpenStream> {
        let session = self.session(req.slug).await?;
        // Admission first, so that a refusal (429, 503) does not use up the
        // single-use ticket: the client retries with the same one.
        let admission = self.admission.admit(req.peer).inspect_err(|e| {
            self.metrics
                .rejected_connections
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if e.kind() == crate::error::Kind::RateLimited {
                self.metrics
                    .rate_limited
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tracing::warn!(client = %crate::net::client_group(req.peer), "stream refused: too many from this address");
            }
        })?;
        let (member, revoked) = match req.ticket {
            Some(ticket) => self.redeem(ticket, session.key).await?,
            None => (None, None),
        };
        if session.private && member.is_none() && !code_matches(&session, req.code) {
            // As for a session that does not exist, bad ticket or not.
            return Err(Error::session_not_found());
        }
        if req.ticket.is_some() && member.is_none() {
            return Err(Error::unauthorized(
                "ticket_invalid",
                "the stream ticket is invalid, used or expired",
            ));
        }
        let since = req.since.unwrap_or(0);
        check_since(&session, session.head, since)?;
        let role = member.as_ref().map_or(Role::Viewer, |m| m.role);
        let staff_since = req.staff_since.unwrap_or(0);
        if role.is_staff() && staff_since > session.staff_head {
            return Err(Error::bad_request(
                "staff_since_beyond_head",
                format!(
                    "staff_since is {staff_since} but the staff history ends at {};                      reconnect with staff_since=0 (the epoch may have changed)",
                    session.staff_head
                ),
            ));
        }
        let follower = self.hub.follow(
            session.key,
            session.head,
            since,
            role == Role::Viewer,
            self.backfill(),
        );
        let head = follower.head_at_start();
        let (feed, staff_head) = match (role, member.as_ref().and_then(|m| m.viewer_id)) {
            (Role::Moderator | Role::Specialist, _) => {
                let staff = self.hub.follow_staff(
                    session.key,
                    session.staff_head,
                    staff_since,
                    self.staff_backfill(),
                );
                let staff_head = staff.head_at_start();
                let audience = if role == Role::Specialist {
                    Audience::Specialist(staff)
                } else {
                    Audience::Staff(staff)
                };
                (Feed::with(follower, audience), Some(staff_head))
            }
            (Role::Viewer, Some(viewer_id)) => {
                let own = self.hub.follow_viewer(session.key, viewer_id);
                (Feed::with(follower, Audience::Viewer(own)), None)
            }
            _ => (Feed::public(follower), None),
        };
        // After the staff follower subscribed: this stream hears its own arrival.
        let presence = match &member {
            Some(m) if m.role.is_staff() && m.role != Role::Narrator => {
                Some(self.staff_arrived(m, req.name)?)
            }
            _ => None,
        };
        let mut public = self.to_protocol(&session);
        public.head = head;
        let hello = Frame::live(
            Event::Hello {
                session: public,
                role,
                head,
                staff_head,
                epoch: self.epoch().to_owned(),
            }
            .to_json(),
        );
        Ok(OpenStream {
            role,
            hello,
            feed,
            presence,
            admission: Some(admission),
            revoked,
        })
    }

    /// A ticket for this session whose token has not been revoked since,
    /// and, for staff, what the stream watches for a later rotation. The
    /// watch starts before the credential is read: a rotation that lands
    /// after the read still cancels it, one before is seen by the read.
    async fn redeem(
        &self,
        ticket: &str,
        session_key: i64,
    ) -> Result<(Option<Actor>, Option<CancellationToken>)> {
        let Some(member) = self
            .tickets
            .redeem(ticket)
            .filter(|m| m.session_key == session_key)
        else {
            return Ok((None, None));
        };
        let revoked = member
            .role
            .is_staff()
            .then(|| self.revocations.watch(session_key, &member.selector));
        let selector = member.selector.clone();
        let credential = self
            .store
            .read(move |c| store::credential(c, &selector))
            .await?;
        match credential.filter(|c| !c.revoked) {
            Some(_) => Ok((Some(member), revoked)),
            None => Ok((None, None)),
        }
    }
}
