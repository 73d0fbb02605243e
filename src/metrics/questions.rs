//! The question queue's counters: questions asked (by where they landed),
//! moderation and specialist steps, votes, refusals. Counts only, never text.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

const STEPS: [&str; 9] = [
    "approve",
    "reject",
    "edit",
    "merge",
    "star",
    "unstar",
    "answering",
    "answer",
    "dismiss",
];

#[derive(Default)]
pub struct QuestionMetrics {
    /// Asked, by landing status: pending, held.
    asked: [AtomicU64; 2],
    steps: [AtomicU64; STEPS.len()],
    pub votes: AtomicU64,
    pub stale_versions: AtomicU64,
    pub rate_limited: AtomicU64,
    pub coalesced_flushes: AtomicU64,
}

impl QuestionMetrics {
    pub fn asked(&self, status: &str) {
        self.asked[usize::from(status == "held")].fetch_add(1, Relaxed);
    }

    pub fn step(&self, action: &str) {
        if let Some(i) = STEPS.iter().position(|s| *s == action) {
            self.steps[i].fetch_add(1, Relaxed);
        }
    }

    pub(super) fn render(&self, out: &mut String) {
        let name = "gallery_questions_asked_total";
        let _ = writeln!(
            out,
            "# HELP {name} Questions asked, by where they landed.\n# TYPE {name} counter"
        );
        for (i, status) in ["pending", "held"].iter().enumerate() {
            let v = self.asked[i].load(Relaxed);
            let _ = writeln!(out, "{name}{{status=\"{status}\"}} {v}");
        }
        let name = "gallery_question_steps_total";
        let _ = writeln!(
            out,
            "# HELP {name} Moderator and specialist steps taken on questions.\n# TYPE {name} counter"
        );
        for (i, step) in STEPS.iter().enumerate() {
            let v = self.steps[i].load(Relaxed);
            let _ = writeln!(out, "{name}{{action=\"{step}\"}} {v}");
        }
        for (name, help, counter) in [
            (
                "gallery_votes_total",
                "Votes and unvotes that changed a count.",
                &self.votes,
            ),
            (
                "gallery_stale_versions_total",
                "Moderation refused with 409 stale_version (two moderators raced).",
                &self.stale_versions,
            ),
            (
                "gallery_question_rate_limited_total",
                "Questions and votes refused with 429.",
                &self.rate_limited,
            ),
            (
                "gallery_coalesced_flushes_total",
                "Coalesced vote-count and queue-figure messages sent.",
                &self.coalesced_flushes,
            ),
        ] {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                counter.load(Relaxed)
            );
        }
    }
}
