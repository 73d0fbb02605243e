//! One error type for the whole service. Each error has a kind (which maps
//! to a status and a stable `code` from the protocol), a stable
//! machine-readable `reason` that pages switch on, a message for people and
//! an optional `detail` object. Internal failures are logged in full and
//! answered with a generic message, never leaked.

use crate::domain::DomainError;
use crate::protocol::{ErrorBody, ErrorDetail};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PayloadTooLarge,
    MethodNotAllowed,
    RequestTimeout,
    ScreeningHold,
    ScreeningBlocked,
    RateLimited,
    Unavailable,
    Internal,
}

#[derive(Debug)]
pub struct Error {
    kind: Kind,
    reason: &'static str,
    message: String,
    detail: Option<serde_json::Value>,
    retry_after_secs: Option<u64>,
    source: Option<anyhow::Error>,
}

macro_rules! constructors {
    ($($name:ident => $kind:ident),* $(,)?) => {
        $(
            pub fn $name(reason: &'static str, message: impl Into<String>) -> Self {
                Self::new(Kind::$kind, reason, message.into())
            }
        )*
    };
}

impl Error {
    fn new(kind: Kind, reason: &'static str, message: String) -> Self {
        Self {
            kind,
            reason,
            message,
            detail: None,
            retry_after_secs: None,
            source: None,
        }
    }

    constructors! {
        bad_request => BadRequest,
        unauthorized => Unauthorized,
        forbidden => Forbidden,
        not_found => NotFound,
        conflict => Conflict,
        payload_too_large => PayloadTooLarge,
        method_not_allowed => MethodNotAllowed,
        request_timeout => RequestTimeout,
        screening_hold => ScreeningHold,
        screening_blocked => ScreeningBlocked,
        unavailable => Unavailable,
    }

    pub fn rate_limited(
        reason: &'static str,
        message: impl Into<String>,
        retry_after: u64,
    ) -> Self {
        Self {
            retry_after_secs: Some(retry_after),
            ..Self::new(Kind::RateLimited, reason, message.into())
        }
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        Self {
            source: Some(err.into()),
            ..Self::new(
                Kind::Internal,
                "internal",
                "something went wrong on the server; it has been logged".into(),
            )
        }
    }

    pub fn session_not_found() -> Self {
        Self::not_found(
            "session_not_found",
            "no such session (or the join code is missing or wrong)",
        )
    }

    /// Adds the `detail` object of the error body.
    pub fn with_detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = Some(detail);
        self
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn reason(&self) -> &'static str {
        self.reason
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn detail(&self) -> Option<&serde_json::Value> {
        self.detail.as_ref()
    }

    pub fn status(&self) -> StatusCode {
        match self.kind {
            Kind::BadRequest => StatusCode::BAD_REQUEST,
            Kind::Unauthorized => StatusCode::UNAUTHORIZED,
            Kind::Forbidden => StatusCode::FORBIDDEN,
            Kind::NotFound => StatusCode::NOT_FOUND,
            Kind::Conflict => StatusCode::CONFLICT,
            Kind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Kind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Kind::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Kind::ScreeningHold | Kind::ScreeningBlocked => StatusCode::UNPROCESSABLE_ENTITY,
            Kind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self.kind {
            Kind::BadRequest => "bad_request",
            Kind::Unauthorized => "unauthorized",
            Kind::Forbidden => "forbidden",
            Kind::NotFound => "not_found",
            Kind::Conflict => "conflict",
            Kind::PayloadTooLarge => "payload_too_large",
            Kind::MethodNotAllowed => "method_not_allowed",
            Kind::RequestTimeout => "request_timeout",
            Kind::ScreeningHold => "screening_hold",
            Kind::ScreeningBlocked => "screening_blocked",
            Kind::RateLimited => "rate_limited",
            Kind::Unavailable => "unavailable",
            Kind::Internal => "internal",
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.source {
            Some(e) => write!(f, "internal: {e:#}"),
            None => write!(f, "{} ({}): {}", self.code(), self.reason, self.message),
        }
    }
}

impl std::error::Error for Error {}

impl From<DomainError> for Error {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid { reason, message } => Error::bad_request(reason, message),
            DomainError::Conflict { reason, message } => Error::conflict(reason, message),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::internal(e)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if let Some(e) = &self.source {
            tracing::error!(error = %format!("{e:#}"), "internal error");
        }
        let status = self.status();
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().into(),
                reason: self.reason.into(),
                message: self.message,
                detail: self.detail,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
