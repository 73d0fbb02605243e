//! Viewers join a session and get a token of their own (anonymous unless
//! they give a name).

use super::App;
use super::access::code_matches;
use crate::domain::Role;
use crate::protocol::{Join, Joined};
use crate::store::{self, Credential};
use crate::time::Stamp;
use crate::{Error, Result, token};
use uuid::Uuid;

const MAX_NAME_CHARS: usize = 60;

impl App {
    /// Deletes viewer tokens of sessions that ended more than
    /// `viewer_retention_hours` ago.
    pub async fn expire_viewers(&self) -> Result<usize> {
        let hours = self.config.limits.viewer_retention_hours;
        let cutoff = crate::time::rfc3339_ago(std::time::Duration::from_secs(hours * 3600));
        let removed = self
            .store
            .write(move |tx| store::expire_viewers(tx.db(), &cutoff))
            .await?;
        if removed > 0 {
            tracing::info!(removed, "expired viewer tokens of ended sessions");
        }
        Ok(removed)
    }

    pub async fn join(&self, slug: &str, req: Join) -> Result<Joined> {
        let session = self.session(slug).await?;
        if session.private && !code_matches(&session, req.join_code.as_deref()) {
            return Err(Error::session_not_found());
        }
        let name = req
            .name
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        if name
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NAME_CHARS)
        {
            return Err(Error::bad_request(
                "text_too_long",
                format!("name is longer than {MAX_NAME_CHARS} characters"),
            ));
        }
        let viewer_id = Uuid::new_v4();
        let issued = token::issue();
        let cred = Credential {
            selector: issued.selector,
            verifier_hash: issued.verifier_hash,
            session_key: session.key,
            role: Role::Viewer,
            viewer_id: Some(viewer_id),
            name,
            revoked: false,
        };
        self.store
            .write(move |tx| store::insert_credential(tx.db(), &cred, &Stamp::now().rfc3339))
            .await?;
        Ok(Joined {
            viewer_id,
            token: issued.token,
        })
    }
}
