//! `[questions]`: how long questions and answers may be, and how fast one
//! viewer (and one client address) may ask and vote.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionsConfig {
    /// Longest question, in characters.
    pub max_question_chars: usize,
    /// Longest answer, in characters.
    pub max_answer_chars: usize,
    /// Questions one viewer may ask per minute, and at once.
    pub per_viewer_per_minute: u32,
    pub per_viewer_burst: u32,
    /// Votes (and unvotes) one viewer may cast per minute, and at once.
    pub votes_per_viewer_per_minute: u32,
    pub votes_per_viewer_burst: u32,
    /// Questions from one client address (IPv6: its /64) per minute, and at
    /// once: a lecture theatre behind one hospital NAT must fit.
    pub per_ip_per_minute: u32,
    pub per_ip_burst: u32,
    /// Votes from one client address per minute, and at once.
    pub votes_per_ip_per_minute: u32,
    pub votes_per_ip_burst: u32,
    /// Vote counts, queue figures and staff presence go out at most this often.
    pub coalesce_ms: u64,
    /// Live vote counts cover the changes among this many published
    /// questions with the most votes (0: all); the rest are in `GET
    /// …/questions`. Bounds what a storm of votes costs each viewer.
    pub live_vote_counts: usize,
    /// Newly published questions sent live to viewers per interval, newest
    /// first; the others are listed by id (`more`) and returned by `GET
    /// …/questions`. Bounds what a rush of approvals costs each viewer.
    pub live_published: usize,
    /// The queue state goes out this long after the narrator's next update
    /// (once per update), so that its writes follow that update's fan-out
    /// instead of delaying one; without updates, once per `coalesce_ms`;
    /// never later than twice `coalesce_ms` after a change. The
    /// specialist's "now answering" and answers wait for the same slot.
    pub quiet_gap_ms: u64,
}

impl Default for QuestionsConfig {
    fn default() -> Self {
        Self {
            max_question_chars: 500,
            max_answer_chars: 2000,
            per_viewer_per_minute: 3,
            per_viewer_burst: 3,
            votes_per_viewer_per_minute: 30,
            votes_per_viewer_burst: 10,
            per_ip_per_minute: 600,
            per_ip_burst: 300,
            votes_per_ip_per_minute: 6000,
            votes_per_ip_burst: 3000,
            coalesce_ms: 1000,
            live_vote_counts: 20,
            live_published: 5,
            quiet_gap_ms: 300,
        }
    }
}
