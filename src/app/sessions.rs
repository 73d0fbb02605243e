//! Creating sessions and their invites, listing them, moving them through
//! their lifecycle, and rotating role tokens.

use super::access::Actor;
use super::audit::{ADMIN, Decision, record_as};
use super::{App, Caller};
use crate::domain::{Action, Role, SessionState, Slug, Title, Transition};
use crate::protocol::{self, CreateSession, CreatedSession, Event, Invite, Invites, ViewerInvite};
use crate::store::{self, Credential, NewSession, SessionRow};
use crate::time::Stamp;
use crate::{Error, Result, token};
use rusqlite::Connection;
use uuid::Uuid;

fn optional(field: &str, value: Option<String>, max_chars: usize) -> Result<Option<String>> {
    let Some(v) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > max_chars {
        return Err(Error::bad_request(
            "text_too_long",
            format!("{field} is longer than {max_chars} characters"),
        ));
    }
    Ok(Some(v))
}

fn validate(req: CreateSession) -> Result<(NewSession, bool)> {
    let title = Title::parse(&req.title)?.into_inner();
    let (slug, slug_given) = match req.slug.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => (Slug::parse(s)?.as_str().to_owned(), true),
        None => (Slug::from_title(&title).as_str().to_owned(), false),
    };
    let hashtag = optional(
        "hashtag",
        req.hashtag
            .map(|h| h.trim().trim_start_matches('#').to_owned()),
        50,
    )?;
    if hashtag
        .as_deref()
        .is_some_and(|h| h.contains(char::is_whitespace))
    {
        return Err(Error::bad_request(
            "invalid_hashtag",
            "hashtag must be one word, without spaces",
        ));
    }
    let stream_url = optional("stream_url", req.stream_url, 500)?;
    if stream_url
        .as_deref()
        .is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://")))
    {
        return Err(Error::bad_request(
            "invalid_stream_url",
            "stream_url must start with https:// or http://",
        ));
    }
    let session = NewSession {
        id: Uuid::new_v4(),
        slug,
        title,
        hashtag,
        description: optional("description", req.description, 2000)?,
        stream_url,
        narrator: optional("narrator", req.narrator, 80)?.unwrap_or_else(|| "Narrator".into()),
        private: req.private,
        join_code: req.private.then(token::join_code),
        created_at: Stamp::now().rfc3339,
    };
    Ok((session, slug_given))
}

/// Inserts the session, adding "-2", "-3"... to a derived slug that is taken.
fn insert_with_free_slug(
    conn: &Connection,
    mut session: NewSession,
    slug_given: bool,
) -> Result<(i64, NewSession)> {
    let base = session.slug.clone();
    for n in 2..1000 {
        if let Some(key) = store::insert_session(conn, &session)? {
            return Ok((key, session));
        }
        if slug_given {
            return Err(Error::conflict(
                "slug_taken",
                format!("the slug '{base}' is already taken"),
            ));
        }
        session.slug = format!("{base}-{n}");
    }
    Err(Error::conflict(
        "slug_taken",
        format!("too many sessions are named '{base}'; give a slug"),
    ))
}

fn issue_credential(conn: &Connection, session_key: i64, role: Role) -> Result<String> {
    let issued = token::issue();
    let cred = Credential {
        selector: issued.selector,
        verifier_hash: issued.verifier_hash,
        session_key,
        role,
        viewer_id: None,
        name: None,
        revoked: false,
    };
    store::insert_credential(conn, &cred, &Stamp::now().rfc3339)?;
    Ok(issued.token)
}

impl App {
    pub fn to_protocol(&self, row: &SessionRow) -> protocol::Session {
        protocol::Session {
            id: row.id,
            slug: row.slug.clone(),
            title: row.title.clone(),
            hashtag: row.hashtag.clone(),
            description: row.description.clone(),
            stream_url: row.stream_url.clone(),
            private: row.private,
            state: row.state,
            created_at: row.created_at.clone(),
            started_at: row.started_at.clone(),
            ended_at: row.ended_at.clone(),
            head: row.head,
            viewers: self.hub.viewers(row.key),
        }
    }

    fn invite_url(&self, slug: &str, role: Role, token: &str) -> String {
        format!(
            "{}/s/{slug}/{}#token={token}",
            self.base_url(),
            role.as_str()
        )
    }

    fn viewer_invite(&self, row: &SessionRow) -> ViewerInvite {
        let url = match &row.join_code {
            // In the fragment: browsers never send it in a request line.
            Some(code) => format!("{}/s/{}#code={code}", self.base_url(), row.slug),
            None => format!("{}/s/{}", self.base_url(), row.slug),
        };
        ViewerInvite {
            url,
            join_code: row.join_code.clone(),
        }
    }

    /// The link viewers open (with the join code in its fragment for a
    /// private session), for the admin or the session's staff (the
    /// projector view shows it).
    pub async fn viewer_link(&self, slug: &str, bearer: Option<&str>) -> Result<ViewerInvite> {
        let session = match self.caller(bearer).await? {
            Some(Caller::Admin) => self.session(slug).await?,
            _ => self.member_for(slug, bearer, Action::ShowInvite).await?.0,
        };
        Ok(self.viewer_invite(&session))
    }

    /// The viewer link as a QR code in SVG, sized for a lecture theatre's
    /// screen.
    pub async fn viewer_qr_svg(&self, slug: &str, bearer: Option<&str>) -> Result<String> {
        viewer_qr(&self.viewer_link(slug, bearer).await?.url)
    }

    /// Creates a session with fresh narrator, moderator and specialist tokens.
    pub async fn create_session(&self, req: CreateSession) -> Result<CreatedSession> {
        let (new, slug_given) = validate(req)?;
        let (slug, tokens) = self
            .store
            .write(move |tx| {
                let conn = tx.db();
                let (key, inserted) = insert_with_free_slug(conn, new, slug_given)?;
                let [n, m, s] = Role::INVITED.map(|role| issue_credential(conn, key, role));
                Ok((inserted.slug, [n?, m?, s?]))
            })
            .await?;
        let row = self.session(&slug).await?;
        let [narrator, moderator, specialist] = tokens;
        let invite = |role: Role, token: String| Invite {
            url: self.invite_url(&row.slug, role, &token),
            token,
        };
        Ok(CreatedSession {
            invites: Invites {
                narrator: invite(Role::Narrator, narrator),
                moderator: invite(Role::Moderator, moderator),
                specialist: invite(Role::Specialist, specialist),
                viewer: self.viewer_invite(&row),
            },
            session: self.to_protocol(&row),
        })
    }

    /// Sessions, newest first; private ones only for the admin.
    pub async fn list_sessions(&self, caller: Option<&Caller>) -> Result<Vec<protocol::Session>> {
        let admin = matches!(caller, Some(Caller::Admin));
        let rows = self.store.read(store::list_sessions).await?;
        Ok(rows
            .iter()
            .filter(|r| admin || !r.private)
            .map(|r| self.to_protocol(r))
            .collect())
    }

    /// Moves the session to `to`. Asking for the state it is already in
    /// changes nothing, so a narrator on a flaky network can retry.
    pub async fn set_state(
        &self,
        session: SessionRow,
        to: SessionState,
    ) -> Result<protocol::Session> {
        let slug = session.slug.clone();
        let row = self
            .store
            .write(move |tx| {
                let current =
                    store::session_by_slug(tx.db(), &slug)?.ok_or_else(Error::session_not_found)?;
                if current.state.transition(to)? == Transition::Unchanged {
                    return Ok(current);
                }
                let now = Stamp::now();
                store::set_state(tx.db(), current.key, to, &now)?;
                tx.append_event(current.key, |seq| {
                    Event::SessionState {
                        seq,
                        ts: now.rfc3339.clone(),
                        state: to,
                    }
                    .to_json()
                })?;
                store::session_by_slug(tx.db(), &slug)?.ok_or_else(Error::session_not_found)
            })
            .await?;
        if row.state == SessionState::Ended {
            self.revocations.forget_session(row.key);
            self.hub.drop_session(row.key);
        }
        Ok(self.to_protocol(&row))
    }

    /// Replaces the token of a staff role; the old one stops working at once.
    pub async fn rotate_invite(&self, slug: &str, role: Role) -> Result<Invite> {
        if !role.is_staff() {
            return Err(Error::bad_request(
                "role_not_rotatable",
                "only narrator, moderator and specialist tokens can be rotated",
            ));
        }
        let session = self.session(slug).await?;
        let row = session.clone();
        let (token, revoked) = self
            .store
            .write(move |tx| {
                let revoked = store::revoke_role(tx.db(), row.key, role)?;
                let token = issue_credential(tx.db(), row.key, role)?;
                let decision = Decision {
                    action: "rotate",
                    subject_id: Some(role.as_str().to_owned()),
                    ..Decision::default()
                };
                tx.audit(row.key, &record_as(&row, ADMIN, decision))?;
                Ok((token, revoked))
            })
            .await?;
        self.revocations.revoke(&revoked);
        tracing::info!(session = %session.slug, role = role.as_str(), "invite rotated; streams opened with the old token closed");
        Ok(Invite {
            url: self.invite_url(&session.slug, role, &token),
            token,
        })
    }

    /// A new join code for a private session; the old one stops working at
    /// once (viewers who already joined keep their tokens).
    pub async fn rotate_join_code(&self, slug: &str) -> Result<ViewerInvite> {
        let session = self.session(slug).await?;
        if !session.private {
            return Err(Error::conflict(
                "not_private",
                "this session is public; it has no join code to rotate",
            ));
        }
        let code = token::join_code();
        let stored = code.clone();
        let row = session.clone();
        self.store
            .write(move |tx| {
                store::set_join_code(tx.db(), row.key, &stored)?;
                let decision = Decision {
                    action: "rotate",
                    subject_id: Some("join_code".to_owned()),
                    ..Decision::default()
                };
                tx.audit(row.key, &record_as(&row, ADMIN, decision))
            })
            .await?;
        tracing::info!(session = %session.slug, "join code rotated");
        let mut row = session;
        row.join_code = Some(code);
        Ok(self.viewer_invite(&row))
    }

    /// The narrator's identity as the demo script uses it, without a token.
    pub fn built_in_narrator(session: &SessionRow) -> Actor {
        Actor {
            session_key: session.key,
            role: Role::Narrator,
            viewer_id: None,
            name: None,
            selector: "built-in".into(),
        }
    }
}

/// A link as a QR code (error correction M: readable from the back of a
/// room with part of it glared out), at least 800 pixels a side.
pub fn viewer_qr(url: &str) -> Result<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| Error::internal(anyhow::anyhow!("QR code: {e}")))?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(800, 800)
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(title: &str) -> CreateSession {
        CreateSession {
            title: title.into(),
            ..CreateSession::default()
        }
    }

    #[test]
    fn creation_input_is_validated() {
        let (s, given) = validate(CreateSession {
            hashtag: Some(" #KneeLive ".into()),
            ..request(" Knee day ")
        })
        .unwrap();
        assert_eq!(
            (s.title.as_str(), s.slug.as_str(), given),
            ("Knee day", "knee-day", false)
        );
        assert_eq!(s.hashtag.as_deref(), Some("KneeLive"));
        assert!(s.join_code.is_none());
        assert!(validate(request("  ")).is_err());
        assert!(
            validate(CreateSession {
                slug: Some("Bad Slug".into()),
                ..request("t")
            })
            .is_err()
        );
        assert!(
            validate(CreateSession {
                hashtag: Some("two words".into()),
                ..request("t")
            })
            .is_err()
        );
        assert!(
            validate(CreateSession {
                stream_url: Some("ftp://x".into()),
                ..request("t")
            })
            .is_err()
        );
        let (private, _) = validate(CreateSession {
            private: true,
            ..request("t")
        })
        .unwrap();
        assert!(private.join_code.is_some());
    }
}
