//! Paging through a session's public history.

use super::App;
use crate::store::{self, SessionRow};
use crate::{Error, Result};

pub const DEFAULT_PAGE: usize = 100;
pub const MAX_PAGE: usize = 1000;

/// Rejects a `since` the session has not reached: a client that asks for it
/// is confused about which session (or server) it talks to.
pub fn check_since(session: &SessionRow, head: u64, since: u64) -> Result<()> {
    if since > head {
        return Err(Error::bad_request(
            "since_beyond_head",
            format!(
                "since={since} is beyond the last event of session '{}' (head is {head})",
                session.slug
            ),
        ));
    }
    Ok(())
}

impl App {
    /// `{"events":[...],"head":N}` with the stored event bodies spliced in as
    /// they are, so a page costs no re-serialization.
    pub async fn events_page(
        &self,
        session: &SessionRow,
        since: u64,
        limit: Option<usize>,
    ) -> Result<String> {
        let limit = limit.unwrap_or(DEFAULT_PAGE);
        if limit == 0 || limit > MAX_PAGE {
            return Err(Error::bad_request(
                "invalid_limit",
                format!("limit must be between 1 and {MAX_PAGE}"),
            ));
        }
        check_since(session, session.head, since)?;
        let key = session.key;
        let rows = self
            .store
            .read(move |c| store::events_after(c, store::Channel::Public, key, since, limit))
            .await?;
        let mut body =
            String::with_capacity(rows.iter().map(|(_, b)| b.len() + 1).sum::<usize>() + 32);
        body.push_str("{\"events\":[");
        for (i, (_, event)) in rows.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(event);
        }
        body.push_str(&format!("],\"head\":{}}}", session.head));
        Ok(body)
    }
}
