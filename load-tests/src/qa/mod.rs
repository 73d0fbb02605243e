//! The Q&A storm (`gallery-load qa`): while viewers follow a live session
//! and the narrator posts, a crowd asks and votes, two moderators race to
//! approve or reject every question on their own staff streams, and the
//! specialist answers every few seconds. Measures acknowledgement and
//! moderator-stream latency, durable writes, and checks that nothing asked
//! or voted was lost or counted twice.
//!
//! - [`crowd`]: viewer tokens, askers and voters (HTTP from many source addresses).
//! - [`moderators`]: the two staff streams and their decisions.
//! - [`specialist`]: now answering and answering, on a timer.
//! - [`figures`]: what a run found, as JSON and Markdown.

mod crowd;
pub mod figures;
mod moderators;
mod specialist;

use crate::servers::Server;
use anyhow::Context;
use clap::Args;
use figures::QaFigures;
use hdrhistogram::Histogram;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

#[derive(Args, Debug, Clone)]
pub struct QaArgs {
    /// Viewers that each ask one question within the window.
    #[arg(long, default_value_t = 1000)]
    pub askers: usize,
    /// Viewer tokens that vote (default: one per viewer).
    #[arg(long)]
    pub voters: Option<usize>,
    /// Published questions each voter upvotes.
    #[arg(long, default_value_t = 3)]
    pub votes_per_voter: usize,
    /// The specialist answers one question every this many seconds.
    #[arg(long, default_value_t = 10.0)]
    pub answer_every: f64,
    /// Loopback source addresses the crowd's HTTP requests come from
    /// (127.0.1.1, .2, ...), so per-address limits act as for a few networks.
    #[arg(long, default_value_t = 16)]
    pub http_sources: usize,
}

/// What every part of the storm records, shared between its tasks.
pub struct Shared {
    pub base: String,
    pub slug: String,
    pub moderator: String,
    pub specialist: String,
    /// When each question was acknowledged (202), by id.
    pub acked: Mutex<HashMap<String, Instant>>,
    /// Per moderator stream: how often each question arrived as pending,
    /// and the first arrival.
    pub arrivals: [Mutex<HashMap<String, (u32, Instant)>>; 2],
    /// Questions a moderator approved, for voters to pick from.
    pub published: Mutex<Vec<String>>,
    /// Questions some moderator approved or rejected.
    pub decided: Mutex<std::collections::HashSet<String>>,
    /// Votes acknowledged (200) per question.
    pub votes_acked: Mutex<HashMap<String, u64>>,
    pub ask_us: Mutex<Histogram<u64>>,
    pub vote_us: Mutex<Histogram<u64>>,
    /// Answers by command and outcome: "ask 202", "moderate 409 stale_version" …
    pub outcomes: Mutex<BTreeMap<String, u64>>,
    pub answers: Mutex<u64>,
    /// When each "now answering" was sent (Unix ms).
    pub answering_at: Mutex<Vec<u64>>,
}

impl Shared {
    pub fn count(&self, what: String) {
        *self.outcomes.lock().unwrap().entry(what).or_default() += 1;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/sessions/{}{path}", self.base, self.slug)
    }
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 120_000_000, 3).expect("histogram bounds")
}

/// The outcome name of an answer: its status and, for errors, the reason.
pub async fn outcome(command: &str, res: reqwest::Response) -> (String, Option<Value>) {
    let status = res.status().as_u16();
    let body: Option<Value> = res.json().await.ok();
    let reason = body
        .as_ref()
        .and_then(|b| b["error"]["reason"].as_str())
        .map(|r| format!(" {r}"))
        .unwrap_or_default();
    (format!("{command} {status}{reason}"), body)
}

/// A storm prepared before measuring: voter tokens joined, staff tokens known.
pub struct Storm {
    shared: Arc<Shared>,
    voters: Vec<(String, usize)>,
    clients: Vec<reqwest::Client>,
    args: QaArgs,
    window: Duration,
    crowd: Vec<JoinHandle<()>>,
    staff: Vec<JoinHandle<()>>,
    sampler: Option<JoinHandle<figures::WriterFigures>>,
    stop_sampler: Arc<AtomicBool>,
}

pub fn clients(n: usize) -> anyhow::Result<Vec<reqwest::Client>> {
    (0..n.clamp(1, 250))
        .map(|i| {
            let source: IpAddr = format!("127.0.1.{}", i + 1).parse()?;
            Ok(reqwest::Client::builder()
                .local_address(source)
                .pool_max_idle_per_host(256)
                .timeout(Duration::from_secs(30))
                .build()?)
        })
        .collect()
}

impl Storm {
    /// Joins the voters (the askers are the first of them).
    pub async fn prepare(
        server: &Server,
        args: &QaArgs,
        viewers: usize,
        window: Duration,
    ) -> anyhow::Result<Self> {
        let clients = clients(args.http_sources)?;
        let shared = Arc::new(Shared {
            base: format!("http://127.0.0.1:{}", server.port),
            slug: "load".into(),
            moderator: server
                .moderator_token
                .clone()
                .context("a moderator token")?,
            specialist: server
                .specialist_token
                .clone()
                .context("a specialist token")?,
            acked: Mutex::default(),
            arrivals: Default::default(),
            published: Mutex::default(),
            decided: Mutex::default(),
            votes_acked: Mutex::default(),
            ask_us: Mutex::new(histogram()),
            vote_us: Mutex::new(histogram()),
            outcomes: Mutex::default(),
            answers: Mutex::new(0),
            answering_at: Mutex::default(),
        });
        let count = args.voters.unwrap_or(viewers).max(args.askers);
        let voters = crowd::join(&shared, &clients, count).await?;
        Ok(Self {
            shared,
            voters,
            clients,
            args: args.clone(),
            window,
            crowd: Vec::new(),
            staff: Vec::new(),
            sampler: None,
            stop_sampler: Arc::default(),
        })
    }

    /// Starts the moderators, the specialist, the askers, the voters and
    /// the sampler of durable writes.
    pub async fn start(&mut self, server: &Server) -> anyhow::Result<()> {
        for m in 0..2 {
            let stream = moderators::connect(&self.shared, m).await?;
            self.staff.push(tokio::spawn(moderators::run(
                self.shared.clone(),
                m,
                stream,
            )));
        }
        self.staff.push(tokio::spawn(specialist::run(
            self.shared.clone(),
            Duration::from_secs_f64(self.args.answer_every),
            self.window,
        )));
        let askers: Vec<_> = self.voters.iter().take(self.args.askers).cloned().collect();
        self.crowd.push(tokio::spawn(crowd::ask(
            self.shared.clone(),
            self.clients.clone(),
            askers,
            self.window,
        )));
        self.crowd.push(tokio::spawn(crowd::vote(
            self.shared.clone(),
            self.clients.clone(),
            std::mem::take(&mut self.voters),
            self.args.votes_per_voter,
            self.window,
        )));
        self.sampler = Some(tokio::spawn(sample_writes(
            server.metrics_url(),
            self.stop_sampler.clone(),
        )));
        Ok(())
    }

    /// Waits for the crowd, stops the staff, then checks every count
    /// against what the server stored.
    pub async fn finish(mut self) -> anyhow::Result<QaFigures> {
        for task in self.crowd.drain(..) {
            let _ = tokio::time::timeout(Duration::from_secs(180), task).await;
        }
        // The moderators decide what is still queued; then they stop.
        let settle = Instant::now() + Duration::from_secs(20);
        while Instant::now() < settle && !moderators::all_decided(&self.shared) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        for task in self.staff.drain(..) {
            task.abort();
        }
        self.stop_sampler.store(true, Ordering::Relaxed);
        let writer = match self.sampler.take() {
            Some(s) => s.await.unwrap_or_default(),
            None => figures::WriterFigures::default(),
        };
        figures::check(&self.shared, writer).await
    }
}

/// Samples the store's committed writes, commits and queue depth every 250
/// ms; the highest writes per second over any 1 s, the deepest queue, and
/// the writes per commit from first sample to last.
async fn sample_writes(url: String, stop: Arc<AtomicBool>) -> figures::WriterFigures {
    let http = reqwest::Client::new();
    let mut history: Vec<(Instant, f64)> = Vec::new();
    let (mut peak_rate, mut peak_queue) = (0f64, 0f64);
    let mut totals: Vec<(f64, f64)> = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        if let Some(text) = crate::servers::metrics_text(&http, &url).await {
            let read = |name: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse::<f64>().ok())
            };
            let now = Instant::now();
            if let Some(w) = read("gallery_store_writes_committed_total") {
                history.push((now, w));
                if let Some((t0, w0)) = history
                    .iter()
                    .rev()
                    .find(|(t, _)| now.duration_since(*t) >= Duration::from_secs(1))
                {
                    peak_rate = peak_rate.max((w - w0) / now.duration_since(*t0).as_secs_f64());
                }
            }
            peak_queue = peak_queue.max(read("gallery_store_queue_depth").unwrap_or(0.0));
            if let (Some(w), Some(c)) = (
                read("gallery_store_writes_committed_total"),
                read("gallery_store_commit_seconds_count"),
            ) {
                totals.push((w, c));
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let per_commit = match (totals.first(), totals.last()) {
        (Some((w0, c0)), Some((w1, c1))) if c1 > c0 => (w1 - w0) / (c1 - c0),
        _ => 0.0,
    };
    figures::WriterFigures {
        peak_writes_per_s: peak_rate,
        peak_queue_depth: peak_queue,
        writes_per_commit: per_commit,
    }
}

/// Settings the storm's server runs with, said in the report: viewer joins
/// opened up so that 10,000 tokens can join from a few loopback addresses;
/// every question and vote limit stays at its default.
pub fn server_env(storm: bool) -> Vec<(String, String)> {
    if !storm {
        return Vec::new();
    }
    [
        ("GALLERY_LIMITS__VIEWER_JOINS_PER_MINUTE", "1000000"),
        ("GALLERY_LIMITS__VIEWER_JOIN_BURST", "1000000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

#[derive(Args, Debug, Clone)]
pub struct QaRunArgs {
    #[command(flatten)]
    pub run: crate::bench::RunArgs,
    #[command(flatten)]
    pub qa: QaArgs,
    /// Quiet-then-storm pairs to run: single runs on a shared machine move
    /// by more than the 20% the target allows, so the report gives every
    /// pair's ratio and their median.
    #[arg(long, default_value_t = 1)]
    pub pairs: usize,
}

/// Runs the broadcast alone, then with the storm (`pairs` times); reports
/// every run, each pair's p99 ratio and the median ratio.
pub async fn command(args: QaRunArgs) -> anyhow::Result<bool> {
    let kind = crate::servers::Kind::Gallery;
    let pairs = args.pairs.max(1);
    let mut results = Vec::new();
    let mut notes = String::new();
    let mut ratios = Vec::new();
    for pair in 1..=pairs {
        let (suffix, prefix) = if pairs > 1 {
            (format!("-{pair}"), format!("Pair {pair}. "))
        } else {
            Default::default()
        };
        let mut quiet = args.run.clone();
        quiet.label = format!("{}-quiet{suffix}", args.run.label);
        eprintln!("== the broadcast alone{suffix}");
        let baseline = crate::bench::run_once(kind, quiet.viewers, &quiet).await?;
        eprintln!(
            "{}",
            crate::report::markdown(std::slice::from_ref(&baseline))
        );
        let mut stormy = args.run.clone();
        stormy.label = format!("{}-storm{suffix}", args.run.label);
        stormy.qa = Some(args.qa.clone());
        eprintln!("== the broadcast with the Q&A storm{suffix}");
        let storm = crate::bench::run_once(kind, stormy.viewers, &stormy).await?;
        let ratio = storm.latency_ms.p99 / baseline.latency_ms.p99.max(0.001);
        ratios.push(ratio);
        let _ = std::fmt::Write::write_fmt(
            &mut notes,
            format_args!(
                "\n{}Update fan-out p99 with the storm: {ratio:.3}x the quiet run's. \
                 Viewers behind the head at the end: {} (quiet), {} (storm).\n\n{}",
                prefix,
                baseline.behind_head,
                storm.behind_head,
                figures::markdown(&storm.qa.clone().unwrap_or_default())
            ),
        );
        results.extend([baseline, storm]);
    }
    let mut md = crate::report::markdown(&results);
    md.push_str(&notes);
    if pairs > 1 {
        let listed: Vec<String> = ratios.iter().map(|r| format!("{r:.3}x")).collect();
        ratios.sort_by(f64::total_cmp);
        let _ = std::fmt::Write::write_fmt(
            &mut md,
            format_args!(
                "\nStorm p99 over quiet p99, pair by pair: {}; median {:.3}x.\n",
                listed.join(", "),
                ratios[ratios.len() / 2]
            ),
        );
    }
    println!("{md}");
    if let Some(out) = &args.run.out {
        crate::report::write(out, &results)?;
        std::fs::write(out.with_extension("md"), &md)?;
    }
    Ok(!args.run.check || results.iter().all(crate::report::RunResult::sound))
}
