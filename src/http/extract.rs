//! Extractors whose rejections speak the protocol's error format: JSON
//! bodies, query strings, path parameters, the bearer token and the peer
//! address.

use crate::Error;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header, request::Parts};
use bytes::Bytes;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;

/// A JSON body. Any content type is accepted; bad JSON is a 400 that says
/// what is wrong, an oversized body a 413.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let bytes = body_bytes(req, state).await?;
        if bytes.is_empty() {
            return Err(Error::bad_request(
                "missing_body",
                "the request needs a JSON body",
            ));
        }
        parse_json(&bytes).map(Json)
    }
}

/// Parses a JSON body; a mistake is a 400 that names what is wrong.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = if path == "." || path.is_empty() {
            format!("the body is not valid JSON for this request: {inner}")
        } else {
            format!("the body is not valid JSON for this request: field `{path}`: {inner}")
        };
        Error::bad_request("invalid_json", message)
    })?;
    de.end().map_err(|e| {
        Error::bad_request(
            "invalid_json",
            format!("the body is not valid JSON for this request: {e}"),
        )
    })?;
    Ok(value)
}

/// A JSON body that may be left out: an empty body means `T::default()`
/// ("join anonymously", "release as it is").
pub struct OptionalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJson<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        parse_json(&bytes).map(OptionalJson)
    }
}

async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Error> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        let mut source: Option<&dyn std::error::Error> = Some(&rejection);
        while let Some(e) = source {
            if e.is::<tower_http::timeout::TimeoutError>() {
                return Error::request_timeout(
                    "request_timeout",
                    "the request body took too long to arrive",
                );
            }
            source = e.source();
        }
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::payload_too_large(
                "body_too_large",
                "the request body is larger than this server accepts",
            )
        } else {
            Error::bad_request(
                "unreadable_body",
                format!("could not read the request body: {}", rejection.body_text()),
            )
        }
    })
}

/// A query string; a malformed one is a 400.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        axum::extract::Query::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| Query(v))
            .map_err(|e| {
                Error::bad_request(
                    "invalid_query",
                    format!("bad query string: {}", e.body_text()),
                )
            })
    }
}

/// Path parameters; one that cannot be parsed (an update id that is not a
/// UUID) names nothing, so it is a 404.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        axum::extract::Path::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| Path(v))
            .map_err(|e| {
                Error::not_found(
                    "no_route",
                    format!("nothing matches this address: {}", e.body_text()),
                )
            })
    }
}

/// The `Authorization: Bearer <token>` header, if any.
pub struct Bearer(pub Option<String>);

impl Bearer {
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(Bearer(None));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Error::unauthorized(
                    "malformed_authorization",
                    "the Authorization header must be 'Bearer <token>'",
                )
            })?;
        Ok(Bearer(Some(token.to_owned())))
    }
}

/// The client's address, as the connection-info of every accepted socket.
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub SocketAddr);

/// The client's address: the peer, or the client a trusted proxy forwarded.
pub struct ClientIp(pub std::net::IpAddr);

impl FromRequestParts<crate::app::App> for ClientIp {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, app: &crate::app::App) -> Result<Self, Error> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<PeerAddr>>()
            .map(|c| c.0.0.ip())
            .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        Ok(ClientIp(crate::net::client_ip(
            peer,
            &parts.headers,
            &app.config().trusted_proxies,
        )))
    }
}

/// Names an action for [`Allowed`]: one unit type per command.
pub trait Permit {
    const ACTION: crate::domain::Action;
}

/// The session (from the `{slug}` path parameter) and a caller allowed the
/// permit's action there. As a request-parts extractor it runs before any
/// body is read, so every command is authorised before anything else is
/// looked at.
pub struct Allowed<P> {
    pub session: crate::store::SessionRow,
    pub member: crate::app::Actor,
    _permit: std::marker::PhantomData<P>,
}

impl<P: Permit + Send> FromRequestParts<crate::app::App> for Allowed<P> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, app: &crate::app::App) -> Result<Self, Error> {
        let params = axum::extract::RawPathParams::from_request_parts(parts, app)
            .await
            .map_err(|e| Error::not_found("no_route", e.body_text()))?;
        let slug = params
            .iter()
            .find(|(k, _)| *k == "slug")
            .map(|(_, v)| v.to_owned())
            .ok_or_else(Error::session_not_found)?;
        let Bearer(token) = Bearer::from_request_parts(parts, app).await?;
        let (session, member) = app.member_for(&slug, token.as_deref(), P::ACTION).await?;
        Ok(Self {
            session,
            member,
            _permit: std::marker::PhantomData,
        })
    }
}

macro_rules! permits {
    ($($name:ident => $action:ident),* $(,)?) => {
        $(
            pub struct $name;
            impl Permit for $name {
                const ACTION: crate::domain::Action = crate::domain::Action::$action;
            }
        )*
    };
}

/// The permits, one per command.
pub mod permit {
    use super::Permit;
    permits! {
        PostUpdate => PostUpdate,
        EditUpdate => EditUpdate,
        RetractUpdate => RetractUpdate,
        SetState => SetState,
        PreviewScreen => PreviewScreen,
        ReviewHeld => ReviewHeld,
        TakeTicket => TakeTicket,
        AskQuestion => AskQuestion,
        ReadOwnQuestions => ReadOwnQuestions,
        Vote => Vote,
        Moderate => Moderate,
        Mute => Mute,
        AnswerQuestion => AnswerQuestion,
        ReadQueueStats => ReadQueueStats,
        ShowPresence => ShowPresence,
    }
}
