//! Durable write throughput: narrators of many sessions posting at once,
//! each post acknowledged only after its group commit.

use crate::narrator::payload;
use crate::servers::{ADMIN, Kind, Options, Server};
use clap::Args;
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct WritesArgs {
    /// Sessions, each with its own narrator.
    #[arg(long, default_value_t = 50)]
    pub sessions: usize,
    /// Concurrent writers per session.
    #[arg(long, default_value_t = 2)]
    pub writers: usize,
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    #[arg(long, default_value_t = 300)]
    pub size: usize,
    #[arg(long)]
    pub gallery_bin: Option<PathBuf>,
    /// Fail unless at least this many writes per second were committed.
    #[arg(long)]
    pub min_rate: Option<f64>,
}

pub async fn run(args: WritesArgs) -> anyhow::Result<bool> {
    let gallery_bin = match args.gallery_bin {
        Some(bin) => bin,
        None => std::env::current_exe()?.with_file_name("gallery"),
    };
    let server = Server::start(
        Kind::Gallery,
        &Options {
            gallery_bin,
            max_connections: 1000,
            env: Vec::new(),
        },
    )
    .await?;
    let base = format!("http://127.0.0.1:{}", server.port);
    let http = reqwest::Client::new();
    let mut narrators = Vec::new();
    for i in 0..args.sessions {
        let created: Value = http
            .post(format!("{base}/api/sessions"))
            .bearer_auth(ADMIN)
            .json(&json!({"title": format!("Writes {i}"), "slug": format!("writes-{i}")}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        narrators.push((
            format!("{base}/api/sessions/writes-{i}/updates"),
            created["invites"]["narrator"]["token"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        ));
    }
    let cpu_before = crate::procfs::sample(server.pid);
    let deadline = Instant::now() + Duration::from_secs_f64(args.duration);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (url, token) in &narrators {
        for _ in 0..args.writers {
            let (http, url, token, size) = (http.clone(), url.clone(), token.clone(), args.size);
            tasks.push(tokio::spawn(async move {
                let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("bounds");
                let mut n = 0u64;
                while Instant::now() < deadline {
                    n += 1;
                    let sent = Instant::now();
                    let res = http
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&json!({"text": payload(n, size), "confirm": true}))
                        .send()
                        .await;
                    match res {
                        Ok(r) if r.status().as_u16() == 201 => {
                            hist.saturating_record(sent.elapsed().as_micros() as u64)
                        }
                        _ => return Err(anyhow::anyhow!("a write failed")),
                    }
                }
                Ok(hist)
            }));
        }
    }
    let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
    for task in tasks {
        hist.add(task.await??)?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = crate::procfs::sample(server.pid).cpu_s - cpu_before.cpu_s;
    let rate = hist.len() as f64 / elapsed;
    let commits = server
        .gallery_metric("gallery_store_commit_seconds_count")
        .await
        .unwrap_or(0.0);
    println!(
        "| sessions | writers | committed writes/s | p50 ms | p99 ms | max ms | writes per commit | server CPU % |\n|---|---|---|---|---|---|---|---|\n| {} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} |",
        args.sessions,
        args.sessions * args.writers,
        rate,
        hist.value_at_quantile(0.5) as f64 / 1000.0,
        hist.value_at_quantile(0.99) as f64 / 1000.0,
        hist.max() as f64 / 1000.0,
        if commits > 0.0 {
            (hist.len() as f64 + args.sessions as f64) / commits
        } else {
            0.0
        },
        100.0 * cpu / elapsed
    );
    Ok(args.min_rate.is_none_or(|min| rate >= min))
}
