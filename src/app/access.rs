//! Who is asking: the admin, a member of a session (narrator, moderator,
//! specialist or viewer), or nobody. Tokens are checked against their stored
//! digest in constant time.

use super::App;
use crate::domain::Role;
use crate::domain::permissions::{self, Action};
use crate::store::{self, SessionRow, Store};
use crate::{Error, Result, token};
use subtle::ConstantTimeEq;
use uuid::Uuid;

const ADMIN_DIGEST_KEY: &str = "admin_token_sha256";
const EPOCH_KEY: &str = "epoch";

/// Who is calling: a token holder acting within one session. Built by the
/// extractors from the bearer token (or a stream ticket) and handed to
/// every use case.
#[derive(Debug, Clone)]
pub struct Actor {
    pub session_key: i64,
    pub role: Role,
    pub viewer_id: Option<Uuid>,
    pub name: Option<String>,
    /// Identifies the token, for idempotency keys.
    pub selector: String,
}

impl Actor {
    /// How the audit trail names this actor: the invite's label (its name,
    /// else its role), never anything of the token.
    pub fn label(&self) -> String {
        match (self.viewer_id, &self.name) {
            (Some(id), _) => format!("viewer {}", &id.simple().to_string()[..8]),
            (None, Some(name)) => name.clone(),
            (None, None) => self.role.as_str().to_owned(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Caller {
    Admin,
    Member(Actor),
}

/// The admin token's digest: from config, from a previous start, or new.
pub(super) async fn admin_digest(
    store: &Store,
    configured: Option<&str>,
) -> anyhow::Result<(Vec<u8>, Option<super::NewAdminToken>)> {
    if let Some(token) = configured {
        return Ok((token::digest(token), None));
    }
    if let Some(hex) = store.read(|c| store::meta_get(c, ADMIN_DIGEST_KEY)).await? {
        return Ok((unhex(&hex), None));
    }
    let token = token::hex(&token::random_bytes::<24>());
    let digest = token::digest(&token);
    let stored = token::hex(&digest);
    store
        .write(move |tx| store::meta_set(tx.db(), ADMIN_DIGEST_KEY, &stored))
        .await?;
    Ok((digest, Some(super::NewAdminToken(token))))
}

/// The database's epoch, made on first start.
pub(super) async fn epoch(store: &Store) -> anyhow::Result<String> {
    if let Some(epoch) = store.read(|c| store::meta_get(c, EPOCH_KEY)).await? {
        return Ok(epoch);
    }
    let epoch = token::hex(&token::random_bytes::<8>());
    let stored = epoch.clone();
    store
        .write(move |tx| store::meta_set(tx.db(), EPOCH_KEY, &stored))
        .await?;
    Ok(epoch)
}

fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect()
}

impl App {
    /// Resolves a bearer token. No token is `Ok(None)`; a token that is not
    /// valid is 401.
    pub async fn caller(&self, bearer: Option<&str>) -> Result<Option<Caller>> {
        let Some(presented) = bearer else {
            return Ok(None);
        };
        if bool::from(token::digest(presented).ct_eq(&self.admin_digest)) {
            return Ok(Some(Caller::Admin));
        }
        let invalid = || {
            self.metrics
                .auth_failures
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            tracing::warn!("refused a token that is not valid (never the token itself in logs)");
            Error::unauthorized(
                "token_invalid",
                "this token is not valid (it may have been rotated)",
            )
        };
        let (selector, verifier) = token::split(presented).ok_or_else(invalid)?;
        let selector = selector.to_owned();
        let found = self
            .store
            .lookup(move |c| store::credential(c, &selector))
            .await?;
        match found {
            Some(cred) if !cred.revoked && token::verify(verifier, &cred.verifier_hash) => {
                Ok(Some(Caller::Member(Actor {
                    session_key: cred.session_key,
                    role: cred.role,
                    viewer_id: cred.viewer_id,
                    name: cred.name,
                    selector: cred.selector,
                })))
            }
            _ => Err(invalid()),
        }
    }

    pub async fn require_admin(&self, bearer: Option<&str>) -> Result<()> {
        match self.caller(bearer).await? {
            Some(Caller::Admin) => Ok(()),
            Some(Caller::Member(_)) => Err(Error::forbidden(
                "admin_only",
                "only the admin token may do this",
            )),
            None => Err(missing_token()),
        }
    }

    pub async fn session(&self, slug: &str) -> Result<SessionRow> {
        let slug = slug.to_owned();
        self.store
            .lookup(move |c| store::session_by_slug(c, &slug))
            .await?
            .ok_or_else(Error::session_not_found)
    }

    /// The session and the caller, who must be allowed `action` there (the
    /// role × action table in `domain::permissions`).
    pub async fn member_for(
        &self,
        slug: &str,
        bearer: Option<&str>,
        action: Action,
    ) -> Result<(SessionRow, Actor)> {
        self.member(slug, bearer, &permissions::roles_for(action))
            .await
    }

    /// The session and the caller, who must hold one of `roles` in it.
    pub async fn member(
        &self,
        slug: &str,
        bearer: Option<&str>,
        roles: &[Role],
    ) -> Result<(SessionRow, Actor)> {
        let caller = self.caller(bearer).await?.ok_or_else(missing_token)?;
        let session = self.session(slug).await?;
        let wanted = || {
            roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        };
        match caller {
            // A token of another session learns nothing about this one, not
            // even whether it exists: the same 404 as for no session at all.
            Caller::Member(m) if m.session_key != session.key => Err(Error::session_not_found()),
            Caller::Member(m) if roles.contains(&m.role) => Ok((session, m)),
            Caller::Member(m) => Err(Error::forbidden(
                "wrong_role",
                format!(
                    "a {} token cannot do this; it needs a {} token",
                    m.role.as_str(),
                    wanted()
                ),
            )),
            Caller::Admin => Err(Error::forbidden(
                "wrong_role",
                format!(
                    "the admin token cannot do this; it needs a {} token",
                    wanted()
                ),
            )),
        }
    }

    /// A session the caller may read: public ones for anyone; private ones for
    /// the admin, the session's own tokens, or with the join code (otherwise
    /// 404, exactly as if it did not exist).
    pub async fn readable(
        &self,
        slug: &str,
        bearer: Option<&str>,
        code: Option<&str>,
    ) -> Result<SessionRow> {
        let session = self.session(slug).await?;
        if !session.private {
            return Ok(session);
        }
        let caller = self.caller(bearer).await.unwrap_or(None);
        let member_here = match &caller {
            Some(Caller::Admin) => true,
            Some(Caller::Member(m)) => m.session_key == session.key,
            None => false,
        };
        if member_here || code_matches(&session, code) {
            Ok(session)
        } else {
            Err(Error::session_not_found())
        }
    }
}

pub(super) fn code_matches(session: &SessionRow, code: Option<&str>) -> bool {
    match (&session.join_code, code) {
        (Some(expected), Some(given)) => {
            bool::from(expected.as_bytes().ct_eq(given.trim().as_bytes()))
        }
        _ => false,
    }
}

pub(super) fn missing_token() -> Error {
    Error::unauthorized(
        "token_missing",
        "this needs a token: send it as 'Authorization: Bearer <token>'",
    )
}
