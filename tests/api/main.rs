//! Integration tests: a real server on port 0 with a temporary data directory,
//! driven over HTTP, WebSocket and SSE exactly as clients use it.

mod audit;
mod auth;
mod bad_input;
mod coalescing;
mod durability;
mod hardening;
mod helpers;
mod lifecycle;
mod moderation;
mod operations;
mod pages;
mod qa;
mod question_durability;
mod question_privacy;
mod question_rules;
mod questions;
mod screening;
mod stream;
mod tls;
