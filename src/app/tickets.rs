//! Single-use stream tickets: a token holder trades its token for a ticket
//! that can go in a stream URL, so no long-lived secret ever appears in one.
//! Each token may hold a few outstanding tickets (issuing another drops its
//! oldest); expired ones are swept on a timer; issuing is constant time.

use super::Actor;
use crate::token;
use dashmap::DashMap;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

pub const TICKET_TTL: Duration = Duration::from_secs(60);

/// Outstanding tickets one token may hold at once.
pub const TICKETS_PER_TOKEN: usize = 8;

#[derive(Default)]
pub struct Tickets {
    open: DashMap<String, (Actor, Instant)>,
    /// Each token's outstanding tickets, oldest first.
    by_token: DashMap<String, VecDeque<String>>,
}

impl Tickets {
    pub fn issue(&self, member: Actor) -> String {
        self.issue_with_ttl(member, TICKET_TTL)
    }

    pub fn issue_with_ttl(&self, member: Actor, ttl: Duration) -> String {
        let ticket = token::ticket();
        let dropped = {
            let mut queue = self.by_token.entry(member.selector.clone()).or_default();
            queue.push_back(ticket.clone());
            (queue.len() > TICKETS_PER_TOKEN)
                .then(|| queue.pop_front())
                .flatten()
        };
        if let Some(oldest) = dropped {
            self.open.remove(&oldest);
        }
        self.open
            .insert(ticket.clone(), (member, Instant::now() + ttl));
        ticket
    }

    /// Redeems a ticket: it works once, before it expires.
    pub fn redeem(&self, ticket: &str) -> Option<Actor> {
        let (_, (member, expires)) = self.open.remove(ticket)?;
        if let Some(mut queue) = self.by_token.get_mut(&member.selector) {
            queue.retain(|t| t != ticket);
        }
        (Instant::now() < expires).then_some(member)
    }

    /// Drops expired tickets (run on a timer).
    pub fn sweep(&self) {
        let now = Instant::now();
        self.open.retain(|_, (_, expires)| *expires > now);
        self.by_token.retain(|_, queue| {
            queue.retain(|t| self.open.contains_key(t));
            !queue.is_empty()
        });
    }

    pub fn outstanding(&self) -> usize {
        self.open.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn member(selector: &str) -> Actor {
        Actor {
            session_key: 1,
            role: Role::Moderator,
            viewer_id: None,
            name: None,
            selector: selector.into(),
        }
    }

    #[test]
    fn tickets_are_single_use_and_expire() {
        let tickets = Tickets::default();
        let t = tickets.issue(member("s"));
        assert_eq!(tickets.redeem(&t).unwrap().role, Role::Moderator);
        assert!(tickets.redeem(&t).is_none());
        let expired = tickets.issue_with_ttl(member("s"), Duration::ZERO);
        assert!(tickets.redeem(&expired).is_none());
        assert!(tickets.redeem("not-a-ticket").is_none());
    }

    #[test]
    fn a_token_holds_a_few_tickets_and_expired_ones_are_swept() {
        let tickets = Tickets::default();
        let first = tickets.issue(member("a"));
        for _ in 0..1000 {
            tickets.issue(member("a"));
        }
        let other = tickets.issue(member("b"));
        assert_eq!(tickets.outstanding(), TICKETS_PER_TOKEN + 1);
        assert!(tickets.redeem(&first).is_none(), "the oldest was dropped");
        assert!(tickets.redeem(&other).is_some());
        tickets.issue_with_ttl(member("c"), Duration::ZERO);
        tickets.sweep();
        assert_eq!(tickets.outstanding(), TICKETS_PER_TOKEN);
    }
}
