//! The privacy screen as the use cases meet it: every text a person types
//! for publishing goes through [`App::screen_for_publishing`], which records
//! the screen's metrics and turns its verdict into what happens next.

use super::App;
use crate::domain::UpdateText;
use crate::domain::screen::{Clearance, Held, Screened, Verdict};
use crate::protocol::{ScreenAnswer, ScreenRequest};
use crate::{Error, Result};
use serde_json::json;

/// What a screened text may do.
pub(super) enum Publish<T> {
    /// Publish it: it passed, only a list flagged it, or its author confirmed.
    Now(Screened<T>),
    /// Store it for a moderator: held, and authors may not confirm.
    Review(Held<T>),
}

fn flags_detail(verdict: &Verdict) -> serde_json::Value {
    json!({ "verdict": verdict.action, "flags": verdict.findings })
}

pub(super) fn hold_error(verdict: &Verdict) -> Error {
    Error::screening_hold(
        "screening_hold",
        "This text may identify a patient. Check the highlighted parts: edit them out, \
         or send it again with confirm set to true if they are false alarms.",
    )
    .with_detail(flags_detail(verdict))
}

pub(super) fn blocked_error(verdict: &Verdict) -> Error {
    Error::screening_blocked(
        "screening_blocked",
        "This text contains a phrase that this session's policy never allows; rephrase it.",
    )
    .with_detail(flags_detail(verdict))
}

impl App {
    /// Screens a text an author wants published. `confirm` is the author's
    /// word that the findings are false alarms.
    pub(super) fn screen_for_publishing<T: AsRef<str>>(
        &self,
        value: T,
        confirm: bool,
    ) -> Result<Publish<T>> {
        let clearance = self.screen.clear(value);
        let metrics = &self.metrics.screening;
        match clearance {
            Clearance::Clear(screened) => {
                metrics.record(screened.verdict());
                Ok(Publish::Now(screened))
            }
            Clearance::Blocked(verdict) => {
                metrics.record(&verdict);
                Err(blocked_error(&verdict))
            }
            Clearance::Held(held) => {
                metrics.record(held.verdict());
                if !self.screen.policy().authors_can_confirm {
                    Ok(Publish::Review(held))
                } else if confirm {
                    metrics
                        .confirmed
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    Ok(Publish::Now(held.confirm()))
                } else {
                    Err(hold_error(held.verdict()))
                }
            }
        }
    }

    /// `POST …/screen`: the screen's findings for a text; nothing is stored.
    pub fn preview_screen(&self, req: &ScreenRequest) -> Result<ScreenAnswer> {
        let text = UpdateText::parse(&req.text, self.config.screening.max_preview_chars)?;
        self.metrics
            .screening
            .previews
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let verdict = self.screen.screen(text.as_ref());
        Ok(ScreenAnswer {
            verdict: verdict.action,
            flags: verdict.findings,
        })
    }
}
