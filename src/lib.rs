//! Gallery: live procedure broadcast and Q&A.
//!
//! A narrator posts short timestamped updates about a live procedure; a hub
//! fans them out to every viewer over WebSocket or Server-Sent Events.
//! Layers only point down:
//!
//! - [`http`]: axum routers, auth extractors, the WebSocket and SSE streams.
//! - [`app`]: the use cases (create a session, post an update, open a stream).
//! - [`domain`]: pure types and rules (session state machine, validated text).
//! - [`hub`]: per-session fan-out of pre-serialized events, with gap-free resume.
//! - [`store`]: SQLite, the system of record, with a group-committing writer.
//!
//! Around them: [`config`] (typed settings), [`protocol`] (the wire format),
//! [`startup`] (build and run the server), [`cli`] (the `gallery` command),
//! [`demo`] (a scripted narrator), [`metrics`], [`token`], [`tls`], [`serve`]
//! (the accept loop and its connection limits) and [`net`] (client addresses).

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod http;
pub mod hub;
pub mod metrics;
pub mod net;
pub mod protocol;
pub mod serve;
pub mod startup;
pub mod store;
pub mod time;
pub mod tls;
pub mod token;

pub use error::{Error, Result};
