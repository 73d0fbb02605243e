//! Upvotes on published questions: one per viewer, idempotent both ways.
//! Counts reach viewers through the coalescer, never one message per vote.

use super::questions::{View, existing, view};
use super::{Actor, App};
use crate::protocol::Question;
use crate::store::{self, SessionRow};
use crate::{Error, Result};
use std::net::IpAddr;
use uuid::Uuid;

impl App {
    /// Votes (`on`) or takes the vote back; a repeat changes nothing.
    pub async fn vote(
        &self,
        session: &SessionRow,
        voter: &Actor,
        client: IpAddr,
        id: Uuid,
        on: bool,
    ) -> Result<Question> {
        let viewer_id = voter
            .viewer_id
            .ok_or_else(|| Error::forbidden("wrong_role", "only a viewer token can vote"))?;
        self.limits.vote(viewer_id, client)?;
        let key = session.key;
        let coalescer = self.coalescer.clone();
        let metrics = self.metrics.clone();
        self.store
            .write(move |tx| {
                let mut row = existing(tx, key, id)?;
                if !row.status.is_public() {
                    return Err(Error::conflict(
                        "not_votable",
                        format!(
                            "only published questions take votes; this one is {}",
                            row.status.as_str()
                        ),
                    ));
                }
                let (votes, changed) = store::set_vote(tx.db(), id, viewer_id, on)?;
                row.votes = votes;
                if changed {
                    coalescer.votes_changed(tx, key, id);
                    metrics
                        .questions
                        .votes
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                Ok(view(&row, View::Public))
            })
            .await
    }
}
