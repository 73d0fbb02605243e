//! One measured run: start the server, ramp viewers in worker processes
//! spread over loopback source addresses, publish, collect, report.

use crate::narrator::Narrator;
use crate::procfs;
use crate::report::{self, Latency, RunResult};
use crate::servers::{Kind, Options, Server};
use crate::tally::Counts;
use crate::worker::WorkerReport;
use crate::workers::Worker;
use clap::Args;
use hdrhistogram::Histogram;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How many of the slowest update rounds a report lists.
const SLOWEST_ROUNDS: usize = 10;

#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// Viewers to connect.
    #[arg(long, default_value_t = 1000)]
    pub viewers: usize,
    /// Share of viewers on Server-Sent Events (Gallery only), in percent.
    #[arg(long, default_value_t = 0.0)]
    pub sse_percent: f64,
    /// Share of WebSocket viewers that stop reading after connecting, in percent.
    #[arg(long, default_value_t = 0.0)]
    pub slow_percent: f64,
    /// Updates per second.
    #[arg(long, default_value_t = 1.0)]
    pub rate: f64,
    /// Update text size in bytes.
    #[arg(long, default_value_t = 300)]
    pub size: usize,
    /// Measured time in seconds.
    #[arg(long, default_value_t = 30.0)]
    pub duration: f64,
    /// Instead of a steady rate: this many updates within --burst-ms, once.
    #[arg(long)]
    pub burst: Option<u64>,
    #[arg(long, default_value_t = 100)]
    pub burst_ms: u64,
    /// Halfway through, every viewer drops and reconnects with jittered backoff and since.
    #[arg(long)]
    pub storm: bool,
    /// No updates: measure idle memory and CPU.
    #[arg(long)]
    pub idle: bool,
    /// New connections per second, over all workers.
    #[arg(long, default_value_t = 2000.0)]
    pub ramp_rate: f64,
    /// Worker processes (each on its own source address 127.0.0.2, .3, ...).
    #[arg(long, default_value_t = 4)]
    pub workers: usize,
    /// The gallery binary; default: next to this tool.
    #[arg(long)]
    pub gallery_bin: Option<PathBuf>,
    /// Gallery's connection-admission limit for the run.
    #[arg(long, default_value_t = 19_500)]
    pub max_connections: usize,
    /// Write <out>.json and <out>.md (and <out>.svg for comparisons).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Fail unless every expected delivery arrived with no gap and no duplicate.
    #[arg(long)]
    pub check: bool,
    /// A name for the scenario in the report.
    #[arg(long, default_value = "run")]
    pub label: String,
    /// The Q&A storm to run beside the broadcast (`gallery-load qa`).
    #[arg(skip)]
    pub qa: Option<crate::qa::QaArgs>,
}

#[derive(Args, Debug, Clone)]
pub struct BenchArgs {
    #[arg(long, value_enum, default_value = "gallery")]
    pub server: Kind,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Args, Debug, Clone)]
pub struct CompareArgs {
    /// Servers to measure, in order.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "gallery,node,nats,raw"
    )]
    pub servers: Vec<Kind>,
    /// Viewer counts; overrides --viewers.
    #[arg(long, value_delimiter = ',', default_value = "1000")]
    pub counts: Vec<usize>,
    #[command(flatten)]
    pub run: RunArgs,
}

fn split(total: usize, parts: usize, i: usize) -> usize {
    total / parts + usize::from(i < total % parts)
}

fn percent(of: usize, pct: f64) -> usize {
    ((of as f64) * pct / 100.0).round() as usize
}

pub async fn run_once(kind: Kind, viewers: usize, args: &RunArgs) -> anyhow::Result<RunResult> {
    let gallery_bin = match &args.gallery_bin {
        Some(bin) => bin.clone(),
        None => std::env::current_exe()?.with_file_name("gallery"),
    };
    let server = Server::start(
        kind,
        &Options {
            gallery_bin,
            max_connections: args.max_connections,
            env: crate::qa::server_env(args.qa.is_some()),
        },
    )
    .await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let baseline = procfs::sample(server.pid);

    let sse_total = if kind == Kind::Gallery {
        percent(viewers, args.sse_percent)
    } else {
        0
    };
    let slow_total = percent(viewers - sse_total, args.slow_percent);
    let workers_n = args.workers.clamp(1, 250);
    let mut workers = Vec::with_capacity(workers_n);
    for w in 0..workers_n {
        let sse = split(sse_total, workers_n, w);
        let ws = split(viewers, workers_n, w) - sse.min(split(viewers, workers_n, w));
        let slow = split(slow_total, workers_n, w).min(ws);
        let ramp_rate = args.ramp_rate / workers_n as f64;
        workers.push(Worker::spawn(kind, &server, [ws, sse, slow], w, ramp_rate)?);
    }
    let ramp_time =
        Duration::from_secs_f64(viewers as f64 / args.ramp_rate.max(1.0)) + Duration::from_secs(60);
    let (mut connected, mut failed) = (0u64, 0u64);
    for w in &mut workers {
        let ready = w.line_starting("ready ", ramp_time).await?;
        let mut parts = ready
            .split_whitespace()
            .map(|v| v.parse::<u64>().unwrap_or(0));
        connected += parts.next().unwrap_or(0);
        failed += parts.next().unwrap_or(0);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = procfs::sample(server.pid);

    let window = Duration::from_secs_f64(args.duration);
    let mut storm = match &args.qa {
        Some(qa) => Some(crate::qa::Storm::prepare(&server, qa, viewers, window).await?),
        None => None,
    };
    let mut narrator = Narrator::connect(&server).await?;
    let started = procfs::sample(server.pid);
    if let Some(storm) = &mut storm {
        storm.start(&server).await?;
    }
    let measure_start = Instant::now();
    let mut peak_streams = 0f64;
    let updates = if args.idle {
        tokio::time::sleep(Duration::from_secs_f64(args.duration)).await;
        0
    } else {
        let (count, spacing) = match args.burst {
            Some(n) => (n, Duration::from_millis(args.burst_ms) / n.max(1) as u32),
            None => (
                (args.rate * args.duration).round().max(1.0) as u64,
                Duration::from_secs_f64(1.0 / args.rate),
            ),
        };
        let storm_at = count / 2;
        let mut tick = tokio::time::interval(spacing);
        let mut in_flight = Vec::new();
        for n in 1..=count {
            tick.tick().await;
            if args.storm && n == storm_at {
                for w in &mut workers {
                    w.say("drop").await;
                }
            }
            if let Some(mut copy) = narrator.try_clone() {
                let size = args.size;
                in_flight.push(tokio::spawn(async move { copy.publish(n, size).await }));
            } else {
                narrator.publish(n, args.size).await?;
            }
            if args.storm && kind == Kind::Gallery && n >= storm_at {
                peak_streams = peak_streams.max(server.gallery_open_streams().await.unwrap_or(0.0));
            }
        }
        for task in in_flight {
            task.await??;
        }
        count
    };
    let drain = if args.storm { 10 } else { 3 };
    let drain_until = Instant::now() + Duration::from_secs(drain);
    while Instant::now() < drain_until {
        if args.storm && kind == Kind::Gallery {
            peak_streams = peak_streams.max(server.gallery_open_streams().await.unwrap_or(0.0));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let qa = match storm {
        Some(storm) => Some(storm.finish().await?),
        None => None,
    };
    let measured_s = measure_start.elapsed().as_secs_f64();
    let ended = procfs::sample(server.pid);

    let mut reports = Vec::new();
    let head = server.gallery_head().await.unwrap_or(0);
    for w in &mut workers {
        w.say(&format!("head {head}")).await;
        w.say("stop").await;
    }
    for w in &mut workers {
        let line = w.line_starting("result ", Duration::from_secs(30)).await?;
        reports.push(serde_json::from_str::<WorkerReport>(&line)?);
        w.wait().await;
    }
    let last = procfs::sample(server.pid);
    let rejected = if kind == Kind::Gallery {
        server
            .gallery_metric("gallery_rejected_connections_total")
            .await
    } else {
        None
    };
    drop(server);

    let mut hist = Histogram::<u64>::new_with_bounds(1, 120_000_000, 3)?;
    let mut total = Counts::default();
    let mut rounds = BTreeMap::<u64, crate::tally::Round>::new();
    for r in &reports {
        for (value, count) in &r.latency_us {
            hist.record_n(*value, *count)?;
        }
        for round in &r.rounds {
            rounds.entry(round.n).or_default().add(round);
        }
        total.add(&r.counts);
    }
    let (first_delivery_ms, slowest) = round_figures(&rounds);
    let readers = connected.saturating_sub(slow_total as u64);
    let cpu_s = ended.cpu_s - started.cpu_s;
    let ms = |q: f64| hist.value_at_quantile(q) as f64 / 1000.0;
    Ok(RunResult {
        slowest_rounds: slowest,
        first_delivery_ms,
        label: args.label.clone(),
        server: kind.name().into(),
        viewers,
        connected,
        failed,
        sse_viewers: sse_total,
        slow_viewers: slow_total,
        updates,
        update_bytes: args.size,
        measured_s,
        latency_ms: Latency {
            p50: ms(0.5),
            p90: ms(0.9),
            p99: ms(0.99),
            p999: ms(0.999),
            max: hist.max() as f64 / 1000.0,
        },
        deliveries_expected: updates * readers,
        deliveries_received: total.received,
        gaps: total.gaps,
        duplicates: total.duplicates,
        reconnects: total.reconnects,
        closed_4008: total.closed_4008,
        closed_1012: total.closed_1012,
        refused: total.refused + rejected.unwrap_or(0.0) as u64,
        slow_closed: total.slow_closed,
        slow_open: total.slow_open,
        slow_received: total.slow_received,
        slow_expected: updates * slow_total as u64,
        server_cpu_s: cpu_s,
        server_cpu_percent: 100.0 * cpu_s / measured_s,
        rss_baseline_kib: baseline.rss_kib,
        rss_idle_kib: idle.rss_kib,
        rss_peak_kib: last.peak_kib,
        rss_per_viewer_kib: if connected > 0 {
            (idle.rss_kib as f64 - baseline.rss_kib as f64) / connected as f64
        } else {
            0.0
        },
        deliveries_per_cpu_s: if cpu_s > 0.0 {
            total.received as f64 / cpu_s
        } else {
            0.0
        },
        cpu_us_per_delivery: if total.received > 0 {
            cpu_s * 1e6 / total.received as f64
        } else {
            0.0
        },
        peak_open_streams: (peak_streams > 0.0).then_some(peak_streams as u64),
        admission_limit: (kind == Kind::Gallery).then_some(args.max_connections as u64),
        behind_head: total.behind,
        qa,
    })
}

pub async fn bench(args: BenchArgs) -> anyhow::Result<bool> {
    let result = run_once(args.server, args.run.viewers, &args.run).await?;
    println!("{}", report::markdown(std::slice::from_ref(&result)));
    if let Some(out) = &args.run.out {
        report::write(out, std::slice::from_ref(&result))?;
    }
    Ok(!args.run.check || result.sound())
}

pub async fn compare(args: CompareArgs) -> anyhow::Result<bool> {
    let mut results = Vec::new();
    for &viewers in &args.counts {
        for &kind in &args.servers {
            eprintln!("== {} with {viewers} viewers", kind.name());
            match run_once(kind, viewers, &args.run).await {
                Ok(r) => {
                    eprintln!("{}", report::markdown(std::slice::from_ref(&r)));
                    results.push(r);
                }
                Err(e) => eprintln!("   {} failed: {e:#}", kind.name()),
            }
        }
    }
    println!("{}", report::markdown(&results));
    println!("{}", report::ratios(&results));
    if let Some(out) = &args.run.out {
        report::write(out, &results)?;
    }
    Ok(!args.run.check || results.iter().all(RunResult::sound))
}

/// Over every update's round: the first delivery's median and slowest (the
/// time to publish), and the rounds whose slowest delivery was slowest.
fn round_figures(
    rounds: &BTreeMap<u64, crate::tally::Round>,
) -> (report::FirstDelivery, Vec<report::SlowRound>) {
    let ms = |us: u64| us as f64 / 1000.0;
    let mut firsts: Vec<f64> = rounds.values().map(|r| ms(r.min_us)).collect();
    firsts.sort_by(f64::total_cmp);
    let first = report::FirstDelivery {
        median: firsts.get(firsts.len() / 2).copied().unwrap_or_default(),
        max: firsts.last().copied().unwrap_or_default(),
    };
    let mut slowest: Vec<report::SlowRound> = rounds
        .values()
        .map(|r| report::SlowRound {
            n: r.n,
            sent_unix_ms: r.sent_ms,
            first_ms: ms(r.min_us),
            mean_ms: ms(r.sum_us) / r.count.max(1) as f64,
            max_ms: ms(r.max_us),
        })
        .collect();
    slowest.sort_by(|a, b| b.max_ms.total_cmp(&a.max_ms));
    slowest.truncate(SLOWEST_ROUNDS);
    (first, slowest)
}
