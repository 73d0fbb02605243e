//! The coordinator's side of the worker processes: starting one with its
//! share of the viewers and its source address, reading what it says,
//! telling it what to do.

use crate::servers::{Kind, Server};
use anyhow::{Context, bail};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

pub struct Worker {
    child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
}

impl Worker {
    pub async fn line_starting(
        &mut self,
        prefix: &str,
        timeout: Duration,
    ) -> anyhow::Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.lines.next_line()).await {
                Ok(Ok(Some(line))) if line.starts_with(prefix) => {
                    return Ok(line[prefix.len()..].trim().to_owned());
                }
                Ok(Ok(Some(_))) => continue,
                Ok(Ok(None)) => bail!("a worker exited before saying '{prefix}'"),
                Ok(Err(e)) => return Err(e.into()),
                Err(_) => bail!("a worker did not say '{prefix}' within {timeout:?}"),
            }
        }
    }

    pub async fn say(&mut self, command: &str) {
        let _ = self
            .stdin
            .write_all(format!("{command}\n").as_bytes())
            .await;
        let _ = self.stdin.flush().await;
    }

    /// Starts worker `index` (source address 127.0.0.<index + 2>) with its
    /// share: `[websocket, sse, slow]` viewers.
    pub fn spawn(
        kind: Kind,
        server: &Server,
        [ws, sse, slow]: [usize; 3],
        index: usize,
        ramp_rate: f64,
    ) -> anyhow::Result<Self> {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("worker")
            .args([
                "--kind",
                kind.arg(),
                "--port",
                &server.port.to_string(),
                "--path",
                &server.path,
            ])
            .args(["--since", if kind == Kind::Gallery { "1" } else { "0" }])
            .args(["--ws", &ws.to_string(), "--sse", &sse.to_string()])
            .args(["--slow", &slow.to_string()])
            .args([
                "--source",
                &format!("127.0.0.{}", 2 + index),
                "--seed",
                &index.to_string(),
            ])
            .args(["--ramp-rate", &ramp_rate.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()?;
        let stdin = child.stdin.take().context("worker stdin")?;
        let lines = BufReader::new(child.stdout.take().context("worker stdout")?).lines();
        Ok(Self {
            child,
            stdin,
            lines,
        })
    }

    /// Waits for the process to exit.
    pub async fn wait(&mut self) {
        let _ = self.child.wait().await;
    }
}
