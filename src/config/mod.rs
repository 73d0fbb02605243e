//! Typed settings. Sources, weakest first: built-in defaults, the TOML file
//! (`config/gallery.toml` or `--config`/`GALLERY_CONFIG`), `GALLERY_*`
//! environment variables (nested keys with `__`, e.g.
//! `GALLERY_LIMITS__MAX_UPDATE_CHARS`), then command-line flags.

mod questions;

pub use questions::QuestionsConfig;

use crate::domain::screen::Policy;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    pub listen: String,
    /// Directory holding the SQLite database.
    pub data_dir: PathBuf,
    /// Admin token. When unset, one is generated on first start and printed once.
    pub admin_token: Option<String>,
    /// Base URL used in invite links; defaults to the listen address.
    pub public_url: Option<String>,
    /// Origins allowed to open streams from a browser, besides the server's own.
    pub allowed_origins: Vec<String>,
    /// Bearer token for `/metrics` (Prometheus); the admin token works too.
    pub metrics_token: Option<String>,
    /// Reverse proxies (nginx, a load balancer) whose `X-Forwarded-For`
    /// names the client; from anyone else the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `tracing` filter, e.g. "info" or "gallery=debug".
    pub log: String,
    pub limits: Limits,
    pub stream: StreamConfig,
    pub store: StoreConfig,
    pub tls: TlsConfig,
    pub screening: ScreeningConfig,
    pub questions: QuestionsConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    pub max_update_chars: usize,
    pub max_body_bytes: usize,
    /// Largest WebSocket message (and frame) a client may send.
    pub ws_max_message_bytes: usize,
    pub max_connections_per_ip: usize,
    /// Streams admitted at once across all sessions.
    pub max_connections: usize,
    /// HTTP connections open at once from one address (IPv6: one /64).
    pub max_http_connections_per_ip: usize,
    /// A connection that has not sent its request headers by then is closed.
    pub header_read_timeout_ms: u64,
    /// A request not answered by then gets 408 (streams are not affected:
    /// their answer starts at once).
    pub request_timeout_ms: u64,
    /// A request body not received by then gets 408.
    pub body_read_timeout_ms: u64,
    /// Viewer identities one client address may create per minute, and at once.
    pub viewer_joins_per_minute: u32,
    pub viewer_join_burst: u32,
    /// Viewer tokens of a session that ended this long ago are deleted.
    pub viewer_retention_hours: u64,
    /// WebSocket bytes queued for a client that does not read (pongs
    /// included) before the connection is closed.
    pub ws_max_write_buffer_bytes: usize,
    /// Messages (pings included) a client may send per heartbeat interval.
    pub ws_max_incoming_per_heartbeat: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamConfig {
    /// Recent events kept in memory per session to serve resumes.
    pub ring_events: usize,
    /// Live events buffered per session before a slow connection lags.
    pub channel_capacity: usize,
    /// A connection that makes no write progress for this long is closed with 4008.
    pub stall_timeout_ms: u64,
    /// Ping (WebSocket) or comment (SSE) interval; a connection silent for two is reaped.
    pub heartbeat_secs: u64,
    /// How often viewer counts are published.
    pub presence_interval_ms: u64,
    pub ws_read_buffer_bytes: usize,
    /// Frames written to one connection gather up to this many bytes before
    /// they go to the socket (a flush sends what is gathered at once), so a
    /// bundle of queue-state events is one write, not one per event. 0: each
    /// frame is its own write. A connection's buffer keeps its largest
    /// size, so this also bounds what an idle viewer holds after a burst.
    pub ws_write_buffer_bytes: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct StoreConfig {
    /// SQLite `synchronous`: "full" survives power loss, "normal" survives process crashes.
    pub synchronous: String,
    /// Most writes folded into one transaction.
    pub max_batch: usize,
    /// While writes keep coming, how long the writer gathers more before it
    /// commits (microseconds; 0: never waits). Fewer syncs to disk under a
    /// storm of votes, for at most this much on each acknowledgement; a
    /// lone write never waits, and one that adds to the public history (an
    /// update, an answer) ends the wait.
    pub commit_delay_us: u64,
    /// Writes that may wait for the writer at once; more wait up to
    /// `queue_wait_ms` for a place, then get 503.
    pub max_queue: usize,
    pub queue_wait_ms: u64,
    pub readers: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct ScreeningConfig {
    /// The screening policy (categories, patient names, word lists). Unset:
    /// `config/screening.toml` when it exists, else the built-in copy of it.
    pub policy_file: Option<PathBuf>,
    /// May authors publish a held text by confirming it? When not, held
    /// texts wait for a moderator.
    pub authors_can_confirm: bool,
    /// Longest text `POST …/screen` checks, in characters.
    pub max_preview_chars: usize,
}

impl Default for ScreeningConfig {
    fn default() -> Self {
        Self {
            policy_file: None,
            authors_can_confirm: true,
            max_preview_chars: 4000,
        }
    }
}

/// The policy shipped with the project, used when no file is configured and
/// `config/screening.toml` is not there.
const BUILT_IN_POLICY: &str = include_str!("../../config/screening.toml");

impl ScreeningConfig {
    /// Loads and parses the policy; any error names the file and the line.
    pub fn policy(&self) -> anyhow::Result<Policy> {
        let default_file = Path::new("config/screening.toml");
        let (source, origin) = match &self.policy_file {
            Some(path) => (
                std::fs::read_to_string(path).map_err(|e| {
                    anyhow::anyhow!("cannot read the screening policy {}: {e}", path.display())
                })?,
                path.display().to_string(),
            ),
            None if default_file.exists() => (
                std::fs::read_to_string(default_file)?,
                default_file.display().to_string(),
            ),
            None => (BUILT_IN_POLICY.to_owned(), "built-in screening.toml".into()),
        };
        let mut policy = Policy::parse(&source, &origin)
            .map_err(|e| anyhow::anyhow!("the screening policy cannot be used: {e}"))?;
        policy.authors_can_confirm = self.authors_can_confirm;
        Ok(policy)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TlsConfig {
    /// PEM certificate chain; with `key`, the server speaks HTTPS and WSS.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            admin_token: None,
            public_url: None,
            allowed_origins: Vec::new(),
            metrics_token: None,
            trusted_proxies: Vec::new(),
            log: "info".into(),
            limits: Limits::default(),
            stream: StreamConfig::default(),
            store: StoreConfig::default(),
            tls: TlsConfig::default(),
            screening: ScreeningConfig::default(),
            questions: QuestionsConfig::default(),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_update_chars: 2000,
            max_body_bytes: 64 * 1024,
            ws_max_message_bytes: 4096,
            max_connections_per_ip: 500,
            max_connections: 19_000,
            max_http_connections_per_ip: 600,
            header_read_timeout_ms: 10_000,
            request_timeout_ms: 30_000,
            body_read_timeout_ms: 10_000,
            viewer_joins_per_minute: 30,
            viewer_join_burst: 20,
            viewer_retention_hours: 72,
            ws_max_write_buffer_bytes: 256 * 1024,
            ws_max_incoming_per_heartbeat: 200,
        }
    }
}

impl Default for StreamConfig {
    fn default() -> Self {
        Self {
            ring_events: 1024,
            channel_capacity: 256,
            stall_timeout_ms: 10_000,
            heartbeat_secs: 20,
            presence_interval_ms: 1000,
            ws_read_buffer_bytes: 256,
            ws_write_buffer_bytes: 4096,
        }
    }
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            synchronous: "full".into(),
            max_batch: 512,
            commit_delay_us: 10_000,
            max_queue: 10_000,
            queue_wait_ms: 2_000,
            readers: 4,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field(
                "admin_token",
                &self.admin_token.as_ref().map(|_| "<redacted>"),
            )
            .field("public_url", &self.public_url)
            .field("allowed_origins", &self.allowed_origins)
            .field("trusted_proxies", &self.trusted_proxies)
            .field(
                "metrics_token",
                &self.metrics_token.as_ref().map(|_| "<redacted>"),
            )
            .field("limits", &self.limits)
            .field("stream", &self.stream)
            .field("store", &self.store)
            .field("tls", &self.tls)
            .field("screening", &self.screening)
            .finish()
    }
}

/// Settings given on the command line; they beat every other source.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
}

impl Config {
    /// Loads the settings. `file` is the explicit config path, if any; without
    /// one, `config/gallery.toml` is read when it exists.
    pub fn load(file: Option<&Path>, overrides: Overrides) -> anyhow::Result<Self> {
        let default_file = Path::new("config/gallery.toml");
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => {
                anyhow::bail!("config file {} does not exist", path.display())
            }
            Some(path) => figment = figment.merge(Toml::file(path)),
            None if default_file.exists() => figment = figment.merge(Toml::file(default_file)),
            None => {}
        }
        let config: Config = figment
            .merge(Env::prefixed("GALLERY_").split("__").ignore(&["config"]))
            .merge(Serialized::defaults(overrides))
            .extract()?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if self.tls.cert.is_some() != self.tls.key.is_some() {
            anyhow::bail!("tls.cert and tls.key must be set together");
        }
        if self.stream.ring_events == 0 || self.stream.channel_capacity == 0 {
            anyhow::bail!("stream.ring_events and stream.channel_capacity must be at least 1");
        }
        if !matches!(self.store.synchronous.as_str(), "full" | "normal") {
            anyhow::bail!("store.synchronous must be \"full\" or \"normal\"");
        }
        if let Some(token) = &self.admin_token
            && token.len() < 16
        {
            anyhow::bail!("admin_token must be at least 16 characters");
        }
        Ok(())
    }

    pub fn tls_enabled(&self) -> bool {
        self.tls.cert.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail API returns its large error type
    fn flags_beat_environment_beats_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "gallery.toml",
                "listen = \"127.0.0.1:1\"\ndata_dir = \"from-file\"\n[limits]\nmax_update_chars = 10\n",
            )?;
            jail.set_env("GALLERY_DATA_DIR", "from-env");
            jail.set_env("GALLERY_LIMITS__MAX_UPDATE_CHARS", "20");
            let overrides = Overrides {
                listen: Some("127.0.0.1:2".into()),
                data_dir: None,
            };
            let config = Config::load(Some(Path::new("gallery.toml")), overrides).unwrap();
            assert_eq!(config.listen, "127.0.0.1:2");
            assert_eq!(config.data_dir, PathBuf::from("from-env"));
            assert_eq!(config.limits.max_update_chars, 20);
            assert_eq!(config.stream.ring_events, 1024);
            Ok(())
        });
    }

    #[test]
    fn a_missing_config_file_is_an_error() {
        assert!(
            Config::load(
                Some(Path::new("/nonexistent/gallery.toml")),
                Overrides::default()
            )
            .is_err()
        );
    }

    #[test]
    fn the_built_in_policy_parses_and_a_broken_file_names_its_line() {
        let policy = ScreeningConfig::default().policy().unwrap();
        assert!(!policy.lists.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("screening.toml");
        std::fs::write(
            &path,
            "categories = [\"name\"]\n[[lists]]\nname = \"x\"\naction = \"maybe\"\nphrases = []\n",
        )
        .unwrap();
        let config = ScreeningConfig {
            policy_file: Some(path),
            ..ScreeningConfig::default()
        };
        let err = config.policy().unwrap_err().to_string();
        assert!(err.contains("line 4"), "{err}");
    }

    #[test]
    fn debug_output_never_shows_the_admin_token() {
        let config = Config {
            admin_token: Some("super-secret-admin-token".into()),
            ..Config::default()
        };
        assert!(!format!("{config:?}").contains("super-secret"));
    }
}
