//! Starting the server under test as a child process, and what viewers and
//! the narrator need to reach it.

use anyhow::{Context, bail};
use clap::ValueEnum;
use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const ADMIN: &str = "gallery-load-admin-token-0001";
pub const NATS_TCP_PORT: u16 = 4222;
pub const NATS_WS_PORT: u16 = 9002;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Gallery,
    Node,
    Nats,
    Raw,
}

impl Kind {
    /// How the `worker` subcommand names it.
    pub fn arg(self) -> &'static str {
        match self {
            Kind::Gallery => "gallery",
            Kind::Node => "node",
            Kind::Nats => "nats",
            Kind::Raw => "raw",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Gallery => "gallery",
            Kind::Node => "node-ws",
            Kind::Nats => "nats",
            Kind::Raw => "raw-write",
        }
    }
}

/// A running server under test.
pub struct Server {
    child: Child,
    pub kind: Kind,
    pub pid: u32,
    /// Port viewers connect to.
    pub port: u16,
    /// Stream path with query (Gallery) or "/".
    pub path: String,
    /// Where the narrator publishes: Gallery's HTTP port, raw's control port.
    pub publish_port: u16,
    pub narrator_token: Option<String>,
    pub moderator_token: Option<String>,
    pub specialist_token: Option<String>,
    data_dir: Option<PathBuf>,
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peers")
}

fn wait_for_port(port: u16, child: &mut Child) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Some(status) = child.try_wait()? {
            bail!("the server exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("nothing listens on port {port} after 20 s")
}

pub struct Options {
    pub gallery_bin: PathBuf,
    pub max_connections: usize,
    /// More `GALLERY_*` settings for the run (limits opened for a scenario).
    pub env: Vec<(String, String)>,
}

impl Server {
    pub async fn start(kind: Kind, opts: &Options) -> anyhow::Result<Self> {
        let port = free_port()?;
        let (mut cmd, data_dir, publish_port) = match kind {
            Kind::Gallery => {
                let dir = std::env::temp_dir()
                    .join(format!("gallery-load-{}-{port}", std::process::id()));
                std::fs::create_dir_all(&dir)?;
                let mut cmd = Command::new(&opts.gallery_bin);
                cmd.args([
                    "serve",
                    "--listen",
                    &format!("127.0.0.1:{port}"),
                    "--data-dir",
                ])
                .arg(&dir)
                .current_dir(&dir)
                .env_remove("GALLERY_CONFIG")
                .env("GALLERY_ADMIN_TOKEN", ADMIN)
                .env("GALLERY_LIMITS__MAX_CONNECTIONS_PER_IP", "20000")
                .env("GALLERY_LIMITS__MAX_HTTP_CONNECTIONS_PER_IP", "20000")
                .env(
                    "GALLERY_LIMITS__MAX_CONNECTIONS",
                    opts.max_connections.to_string(),
                )
                .env("RUST_LOG", "warn")
                .envs(opts.env.iter().map(|(k, v)| (k, v)));
                (cmd, Some(dir), port)
            }
            Kind::Node => {
                let mut cmd = Command::new("node");
                cmd.arg(peers_dir().join("node-ws/server.js"))
                    .env("PORT", port.to_string());
                (cmd, None, port)
            }
            Kind::Nats => {
                let mut cmd = Command::new("nats-server");
                cmd.arg("-c").arg(peers_dir().join("nats/nats.conf"));
                (cmd, None, NATS_TCP_PORT)
            }
            Kind::Raw => {
                let control = free_port()?;
                let mut cmd = Command::new(std::env::current_exe()?);
                cmd.args([
                    "raw-server",
                    "--port",
                    &port.to_string(),
                    "--control-port",
                    &control.to_string(),
                ]);
                (cmd, None, control)
            }
        };
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| {
                format!(
                    "starting {} (run load-tests/peers/install.sh for peers)",
                    kind.name()
                )
            })?;
        let port = if kind == Kind::Nats {
            NATS_WS_PORT
        } else {
            port
        };
        wait_for_port(port, &mut child)?;
        wait_for_port(publish_port, &mut child)?;
        let pid = child.id();
        let mut server = Server {
            child,
            kind,
            pid,
            port,
            path: "/".into(),
            publish_port,
            narrator_token: None,
            moderator_token: None,
            specialist_token: None,
            data_dir,
        };
        if kind == Kind::Gallery {
            server.prepare_gallery().await?;
        }
        Ok(server)
    }

    /// Creates the session "load", makes it live; viewers follow from seq 1.
    async fn prepare_gallery(&mut self) -> anyhow::Result<()> {
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{}", self.port);
        let created: Value = http
            .post(format!("{base}/api/sessions"))
            .bearer_auth(ADMIN)
            .json(&json!({"title": "Load test", "slug": "load"}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let token = created["invites"]["narrator"]["token"]
            .as_str()
            .context("narrator token")?
            .to_owned();
        http.post(format!("{base}/api/sessions/load/state"))
            .bearer_auth(&token)
            .json(&json!({"state": "live"}))
            .send()
            .await?
            .error_for_status()?;
        self.narrator_token = Some(token);
        let invite = |role: &str| {
            created["invites"][role]["token"]
                .as_str()
                .map(str::to_owned)
        };
        self.moderator_token = invite("moderator");
        self.specialist_token = invite("specialist");
        self.path = "/api/sessions/load/stream".into();
        Ok(())
    }

    pub fn metrics_url(&self) -> String {
        format!("http://127.0.0.1:{}/metrics", self.port)
    }

    async fn gallery_metrics_text(&self) -> Option<String> {
        metrics_text(&reqwest::Client::new(), &self.metrics_url()).await
    }

    /// The session's public head now.
    pub async fn gallery_head(&self) -> Option<u64> {
        let url = format!("http://127.0.0.1:{}/api/sessions/load", self.port);
        let v: Value = reqwest::get(url).await.ok()?.json().await.ok()?;
        v["head"].as_u64()
    }

    /// Reads a Prometheus metric from Gallery's /metrics.
    pub async fn gallery_metric(&self, name: &str) -> Option<f64> {
        let text = self.gallery_metrics_text().await?;
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
    }

    /// Open Gallery streams (all roles and transports).
    pub async fn gallery_open_streams(&self) -> Option<f64> {
        let text = self.gallery_metrics_text().await?;
        Some(
            text.lines()
                .filter(|l| l.starts_with("gallery_connections{"))
                .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
                .sum(),
        )
    }
}

/// Gallery's /metrics text, read with the admin token.
pub async fn metrics_text(http: &reqwest::Client, url: &str) -> Option<String> {
    http.get(url)
        .bearer_auth(ADMIN)
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(dir) = &self.data_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
