//! A worker process: holds a share of the viewers on one source address,
//! ramps them at a given rate, says `ready` on stdout, obeys `drop`,
//! `head <seq>` (what every viewer should have reached) and `stop` on stdin, and prints its tallies as one JSON line at the end.

use crate::servers::Kind;
use crate::tally::{Counts, Tally};
use crate::viewer::{self, Control, Target, Transport, ViewerSpec};
use clap::Args;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::net::IpAddr;
use std::rc::Rc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::{Notify, watch};

#[derive(Args, Debug, Clone)]
pub struct WorkerArgs {
    #[arg(long, value_enum)]
    pub kind: Kind,
    #[arg(long)]
    pub port: u16,
    #[arg(long)]
    pub path: String,
    #[arg(long, default_value_t = 0)]
    pub since: u64,
    /// Viewers over WebSocket.
    #[arg(long)]
    pub ws: usize,
    /// Viewers over Server-Sent Events.
    #[arg(long, default_value_t = 0)]
    pub sse: usize,
    /// How many of the WebSocket viewers stop reading after connecting.
    #[arg(long, default_value_t = 0)]
    pub slow: usize,
    #[arg(long)]
    pub source: IpAddr,
    /// New connections per second.
    #[arg(long)]
    pub ramp_rate: f64,
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// What a worker reports at the end.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct WorkerReport {
    pub latency_us: Vec<(u64, u64)>,
    #[serde(default)]
    pub rounds: Vec<crate::tally::Round>,
    #[serde(flatten)]
    pub counts: Counts,
}

impl From<&Tally> for WorkerReport {
    fn from(t: &Tally) -> Self {
        Self {
            latency_us: t
                .latency_us
                .iter_recorded()
                .map(|v| (v.value_iterated_to(), v.count_at_value()))
                .collect(),
            rounds: t.rounds.values().copied().collect(),
            counts: t.counts.clone(),
        }
    }
}

pub fn run(args: WorkerArgs) -> anyhow::Result<bool> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, work(args))?;
    Ok(true)
}

async fn work(args: WorkerArgs) -> anyhow::Result<()> {
    let target = Rc::new(Target {
        kind: args.kind,
        port: args.port,
        path: args.path.clone(),
        since: args.since,
    });
    let tally = Rc::new(RefCell::new(Tally::default()));
    let (control_tx, control_rx) = watch::channel(Control::default());
    let total = args.ws + args.sse;
    let settled = Rc::new(Cell::new(0usize));
    let all_settled = Rc::new(Notify::new());
    let mut tasks = Vec::with_capacity(total);
    let mut ramp = tokio::time::interval(Duration::from_secs_f64(1.0 / args.ramp_rate.max(1.0)));
    for i in 0..total {
        ramp.tick().await;
        let transport = if i < args.ws {
            Transport::Ws
        } else {
            Transport::Sse
        };
        let spec = ViewerSpec {
            transport,
            slow: i < args.slow,
            source: args.source,
            seed: args.seed * 1_000_003 + i as u64,
        };
        let (settled, all_settled) = (settled.clone(), all_settled.clone());
        let done = move || {
            settled.set(settled.get() + 1);
            if settled.get() == total {
                all_settled.notify_one();
            }
        };
        tasks.push(tokio::task::spawn_local(viewer::run(
            target.clone(),
            spec,
            tally.clone(),
            control_rx.clone(),
            done,
        )));
    }
    if settled.get() < total {
        all_settled.notified().await;
    }
    {
        let t = tally.borrow();
        println!("ready {} {}", t.counts.connected, t.counts.failed);
    }
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    while let Some(line) = lines.next_line().await? {
        match line.trim() {
            "drop" => control_tx.send_modify(|c| c.drops += 1),
            head if head.starts_with("head ") => {
                let n = head[5..].trim().parse().unwrap_or(0);
                control_tx.send_modify(|c| c.head = n);
            }
            "stop" => break,
            _ => {}
        }
    }
    control_tx.send_modify(|c| c.stop = true);
    let _ = tokio::time::timeout(
        Duration::from_secs(10),
        futures_util::future::join_all(tasks),
    )
    .await;
    let report = WorkerReport::from(&*tally.borrow());
    println!("result {}", serde_json::to_string(&report)?);
    Ok(())
}
