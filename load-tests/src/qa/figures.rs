//! What a storm found: latencies, the peak of durable writes, every
//! refusal by status and reason, and the correctness checks against what
//! the server stored.

use super::Shared;
use hdrhistogram::Histogram;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Spread {
    pub count: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Spread {
    fn of(h: &Histogram<u64>) -> Self {
        let ms = |v: u64| v as f64 / 1000.0;
        Self {
            count: h.len(),
            p50_ms: ms(h.value_at_quantile(0.5)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            max_ms: ms(h.max()),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct QaFigures {
    pub ask_ack: Spread,
    pub vote_ack: Spread,
    /// From a question's acknowledgement to its arrival on a moderator's
    /// stream, both moderators together.
    pub to_moderators: Spread,
    pub questions_acked: u64,
    pub questions_stored: u64,
    /// Acknowledged questions the server does not have.
    pub questions_lost: u64,
    /// Stored questions with the same text as another (asked twice).
    pub questions_duplicated: u64,
    /// Per moderator stream: acknowledged questions that arrived exactly
    /// once, never, or more than once as pending.
    pub moderator_exactly_once: [u64; 2],
    pub moderator_missing: [u64; 2],
    pub moderator_repeated: [u64; 2],
    pub votes_acked: u64,
    pub votes_stored: u64,
    /// Questions whose stored count differs from the votes acknowledged.
    pub vote_mismatches: u64,
    pub answers: u64,
    /// When the specialist marked each question "now answering" (Unix ms;
    /// the answer follows within milliseconds), to set beside slow rounds.
    pub answering_unix_ms: Vec<u64>,
    #[serde(flatten)]
    pub writer: WriterFigures,
    /// Every answer the crowd and the staff got, by command and status.
    pub outcomes: BTreeMap<String, u64>,
}

impl QaFigures {
    /// Nothing acknowledged lost or counted twice, and both moderators saw
    /// every question exactly once.
    pub fn sound(&self) -> bool {
        self.questions_lost == 0
            && self.questions_duplicated == 0
            && self.vote_mismatches == 0
            && self.moderator_missing == [0, 0]
            && self.moderator_repeated == [0, 0]
    }
}

/// The store's writer during the storm, sampled from the server's metrics.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct WriterFigures {
    /// The most writes committed in any one second.
    pub peak_writes_per_s: f64,
    pub peak_queue_depth: f64,
    /// Writes per commit (per sync to disk) over the whole storm.
    pub writes_per_commit: f64,
}

pub async fn check(shared: &Shared, writer: WriterFigures) -> anyhow::Result<QaFigures> {
    let list: Value = reqwest::Client::new()
        .get(shared.url("/questions"))
        .bearer_auth(&shared.moderator)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let stored = list["questions"].as_array().cloned().unwrap_or_default();
    let acked = shared.acked.lock().unwrap().clone();
    let votes = shared.votes_acked.lock().unwrap().clone();
    let mut f = QaFigures {
        ask_ack: Spread::of(&shared.ask_us.lock().unwrap()),
        vote_ack: Spread::of(&shared.vote_us.lock().unwrap()),
        questions_acked: acked.len() as u64,
        questions_stored: stored.len() as u64,
        votes_acked: votes.values().sum(),
        answers: *shared.answers.lock().unwrap(),
        answering_unix_ms: shared.answering_at.lock().unwrap().clone(),
        writer,
        outcomes: shared.outcomes.lock().unwrap().clone(),
        ..QaFigures::default()
    };
    let mut texts: HashMap<&str, u64> = HashMap::new();
    let mut by_id: HashMap<&str, &Value> = HashMap::new();
    for q in &stored {
        *texts
            .entry(q["text"].as_str().unwrap_or_default())
            .or_default() += 1;
        by_id.insert(q["id"].as_str().unwrap_or_default(), q);
        f.votes_stored += q["votes"].as_u64().unwrap_or(0);
    }
    f.questions_duplicated = texts.values().map(|n| n - 1).sum();
    f.questions_lost = acked
        .keys()
        .filter(|id| !by_id.contains_key(id.as_str()))
        .count() as u64;
    for (id, q) in &by_id {
        let expected = votes.get(*id).copied().unwrap_or(0);
        if q["votes"].as_u64().unwrap_or(0) != expected {
            f.vote_mismatches += 1;
        }
    }
    let mut lag = Histogram::<u64>::new_with_bounds(1, 120_000_000, 3)?;
    for m in 0..2 {
        let arrivals = shared.arrivals[m].lock().unwrap();
        for (id, at) in &acked {
            match arrivals.get(id) {
                None => f.moderator_missing[m] += 1,
                Some((1, seen)) => {
                    f.moderator_exactly_once[m] += 1;
                    let us = seen.saturating_duration_since(*at).as_micros() as u64;
                    lag.saturating_record(us.max(1));
                }
                Some(_) => f.moderator_repeated[m] += 1,
            }
        }
    }
    f.to_moderators = Spread::of(&lag);
    Ok(f)
}

pub fn markdown(f: &QaFigures) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| measure | count | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|"
    );
    for (name, s) in [
        ("question acknowledged (202)", &f.ask_ack),
        ("vote acknowledged (200)", &f.vote_ack),
        (
            "acknowledged question on each moderator's stream",
            &f.to_moderators,
        ),
    ] {
        let _ = writeln!(
            out,
            "| {name} | {} | {:.1} | {:.1} | {:.1} |",
            s.count, s.p50_ms, s.p99_ms, s.max_ms
        );
    }
    let _ = writeln!(
        out,
        "\n| check | result |\n|---|---|\n\
         | questions acknowledged / stored / lost / duplicated | {} / {} / {} / {} |\n\
         | on moderator A's stream exactly once / missing / repeated | {} / {} / {} |\n\
         | on moderator B's stream exactly once / missing / repeated | {} / {} / {} |\n\
         | votes acknowledged / stored / questions with a different count | {} / {} / {} |\n\
         | answers published | {} |\n\
         | peak durable writes per second / deepest writer queue / writes per commit | {:.0} / {:.0} / {:.1} |",
        f.questions_acked,
        f.questions_stored,
        f.questions_lost,
        f.questions_duplicated,
        f.moderator_exactly_once[0],
        f.moderator_missing[0],
        f.moderator_repeated[0],
        f.moderator_exactly_once[1],
        f.moderator_missing[1],
        f.moderator_repeated[1],
        f.votes_acked,
        f.votes_stored,
        f.vote_mismatches,
        f.answers,
        f.writer.peak_writes_per_s,
        f.writer.peak_queue_depth,
        f.writer.writes_per_commit,
    );
    let _ = writeln!(out, "\n| answer | count |\n|---|---|");
    for (what, n) in &f.outcomes {
        let _ = writeln!(out, "| {what} | {n} |");
    }
    out
}
