//! gallery-load: drives real viewers (WebSocket, and a share over SSE) and a
//! narrator against Gallery or a peer server (Node `ws`, nats-server, a raw
//! `write()` floor), and reports delivery latency, gaps, duplicates, server
//! CPU and memory.
//!
//! - [`bench`]: one run (start the server, ramp viewers in worker processes,
//!   publish, collect, report).
//! - [`worker`] and [`viewer`]: a worker process holding a share of the viewers;
//!   [`workers`]: the coordinator's handles to them.
//! - [`servers`] and [`narrator`]: starting each server and publishing to it.
//! - [`raw`]: the raw floor server; [`writes`]: durable write throughput.
//! - [`qa`]: the Q&A storm beside the broadcast.
//! - [`procfs`] and [`report`]: measurements and the JSON, Markdown and SVG output.

mod bench;
mod narrator;
mod procfs;
mod qa;
mod raw;
mod report;
mod servers;
mod tally;
mod viewer;
mod worker;
mod workers;
mod writes;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "gallery-load", about = "Load tool for Gallery and its peers")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// One run against one server.
    Bench(bench::BenchArgs),
    /// The same run against several servers and viewer counts, side by side.
    Compare(bench::CompareArgs),
    /// The Q&A storm: the same broadcast without and then with a crowd
    /// asking and voting, two racing moderators and a specialist.
    Qa(qa::QaRunArgs),
    /// Durable write throughput: many narrators posting at once.
    Writes(writes::WritesArgs),
    /// (internal) a worker process holding a share of the viewers.
    Worker(worker::WorkerArgs),
    /// (internal) the raw floor: the same bytes written with plain write().
    RawServer(raw::RawArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Worker(args) => worker::run(args),
        Command::RawServer(args) => raw::run(args),
        Command::Bench(args) => runtime().block_on(bench::bench(args)),
        Command::Compare(args) => runtime().block_on(bench::compare(args)),
        Command::Writes(args) => runtime().block_on(writes::run(args)),
        Command::Qa(args) => runtime().block_on(qa::command(args)),
    };
    match result {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::FAILURE,
        Err(e) => {
            eprintln!("gallery-load: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}
