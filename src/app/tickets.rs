//! Single-use stream tickets: a token holder trades its token for a ticket
//! that can go in a stream URL, so no long-lived secret ever appears in one.

use super::Member;
use crate::token;
use dashmap::DashMap;
use std::time::{Duration, Instant};

pub const TICKET_TTL: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct Tickets {
    open: DashMap<String, (Member, Instant)>,
}

impl Tickets {
    pub fn issue(&self, member: Member) -> String {
        self.issue_with_ttl(member, TICKET_TTL)
    }

    pub fn issue_with_ttl(&self, member: Member, ttl: Duration) -> String {
        if self.open.len() > 10_000 {
            let now = Instant::now();
            self.open.retain(|_, (_, expires)| *expires > now);
        }
        let ticket = token::ticket();
        self.open
            .insert(ticket.clone(), (member, Instant::now() + ttl));
        ticket
    }

    /// Redeems a ticket: it works once, before it expires.
    pub fn redeem(&self, ticket: &str) -> Option<Member> {
        let (_, (member, expires)) = self.open.remove(ticket)?;
        (Instant::now() < expires).then_some(member)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn member() -> Member {
        Member {
            session_key: 1,
            role: Role::Moderator,
            viewer_id: None,
            name: None,
            selector: "s".into(),
        }
    }

    #[test]
    fn tickets_are_single_use_and_expire() {
        let tickets = Tickets::default();
        let t = tickets.issue(member());
        assert_eq!(tickets.redeem(&t).unwrap().role, Role::Moderator);
        assert!(tickets.redeem(&t).is_none());
        let expired = tickets.issue_with_ttl(member(), Duration::ZERO);
        assert!(tickets.redeem(&expired).is_none());
        assert!(tickets.redeem("not-a-ticket").is_none());
    }
}
