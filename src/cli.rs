//! The `gallery` command line: `serve`, and `session create|list` for the
//! admin working on the server's machine.

use crate::app::{App, AuditFormat, render_audit};
use crate::config::{Config, Overrides};
use crate::protocol::CreateSession;
use crate::startup::{Application, shutdown_signal};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Gallery: live procedure broadcast and Q&A.
#[derive(Debug, Parser)]
#[command(name = "gallery", version, about, long_about = None)]
pub struct Cli {
    /// Settings file (TOML); default config/gallery.toml when it exists.
    #[arg(long, global = true, env = "GALLERY_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Directory holding the database (GALLERY_DATA_DIR; default ./data).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        /// Address to listen on (GALLERY_LISTEN; default 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// Also run a demo session narrated by a built-in script.
        #[arg(long)]
        demo: bool,
    },
    /// Create and list sessions (works on the data directory directly).
    #[command(subcommand)]
    Session(SessionCommand),
    /// Check or export the audit trail (works on the data directory directly).
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check every session's hash chain; exits non-zero naming the first
    /// row that was changed, inserted or removed outside Gallery.
    Verify,
    /// Print one session's audit trail, oldest first.
    Export {
        /// The session's slug.
        #[arg(long)]
        session: String,
        /// jsonl (one JSON object per line) or csv (with a header row).
        #[arg(long, default_value = "jsonl")]
        format: String,
    },
}

#[derive(Debug, Subcommand)]
enum SessionCommand {
    /// Create a session and print its narrator, moderator, specialist and viewer links.
    Create(CreateArgs),
    /// List every session, private ones included.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
struct CreateArgs {
    /// What viewers see as the session's name.
    #[arg(long)]
    title: String,
    /// URL name (a-z, 0-9, '-'); derived from the title when left out.
    #[arg(long)]
    slug: Option<String>,
    #[arg(long)]
    hashtag: Option<String>,
    #[arg(long)]
    description: Option<String>,
    /// A link to the video feed, shown beside the timeline.
    #[arg(long)]
    stream_url: Option<String>,
    /// Name shown as the author of updates.
    #[arg(long)]
    narrator: Option<String>,
    /// Only people with the join code (or a token) can watch.
    #[arg(long)]
    private: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

impl Cli {
    pub fn run(self) -> ExitCode {
        let overrides = Overrides {
            listen: match &self.command {
                Command::Serve { listen, .. } => listen.clone(),
                Command::Session(_) | Command::Audit(_) => None,
            },
            data_dir: self.data_dir.clone(),
        };
        let config = match Config::load(self.config.as_deref(), overrides) {
            Ok(config) => config,
            Err(e) => {
                eprintln!("gallery: configuration error: {e:#}");
                return ExitCode::from(2);
            }
        };
        init_logging(&config.log);
        // Commands, staff streams and timers run here; viewers' streams on a
        // runtime of their own (see `http::stream::runtime`), which gets the
        // larger share of the cores. Store reads run on blocking threads: a
        // few dozen keep every reader busy; tokio's default of 512 only adds
        // memory (stacks, malloc arenas) under a storm of requests.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .max_blocking_threads(32)
            .build()
            .expect("a tokio runtime");
        let result = runtime.block_on(async move {
            match self.command {
                Command::Serve { demo, .. } => serve(config, demo).await,
                Command::Session(SessionCommand::Create(args)) => create(config, args).await,
                Command::Session(SessionCommand::List { json }) => list(config, json).await,
                Command::Audit(AuditCommand::Verify) => verify_audit(config).await,
                Command::Audit(AuditCommand::Export { session, format }) => {
                    export_audit(config, &session, &format).await
                }
            }
        });
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("gallery: {e:#}");
                ExitCode::FAILURE
            }
        }
    }
}

fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn print_admin_token(token: Option<&str>) {
    if let Some(token) = token {
        println!("\nAn admin token was generated. It is shown only this once; keep it:");
        println!("  GALLERY_ADMIN_TOKEN={token}\n");
    }
}

async fn serve(config: Config, demo: bool) -> anyhow::Result<()> {
    let data_dir = config.data_dir.clone();
    let application = Application::build(config).await?;
    let base = application.app().base_url().to_owned();
    println!(
        "Gallery is serving on {base}  (data in {})",
        data_dir.display()
    );
    println!("  sessions:  {base}/");
    print_admin_token(application.generated_admin_token());
    if demo {
        let slug = crate::demo::prepare(application.app()).await?;
        println!("  demo:      {base}/s/{slug}   (narrated by a built-in script)");
        tokio::spawn(crate::demo::narrate(application.app().clone(), slug));
    }
    println!("Stop with Ctrl-C.");
    application.run_until_stopped(shutdown_signal()).await
}

async fn open_app(config: Config) -> anyhow::Result<App> {
    let base = config.public_url.clone().unwrap_or_else(|| {
        let scheme = if config.tls_enabled() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", config.listen)
    });
    let (app, generated) = App::open(config, base).await?;
    print_admin_token(generated.as_ref().map(|t| t.0.as_str()));
    Ok(app)
}

async fn create(config: Config, args: CreateArgs) -> anyhow::Result<()> {
    let app = open_app(config).await?;
    let req = CreateSession {
        title: args.title,
        slug: args.slug,
        hashtag: args.hashtag,
        description: args.description,
        stream_url: args.stream_url,
        private: args.private,
        narrator: args.narrator,
    };
    let created = app.create_session(req).await;
    app.close_store().await;
    let created = created?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&created)?);
        return Ok(());
    }
    let s = &created.session;
    let i = &created.invites;
    println!(
        "Created '{}' ({}{})",
        s.title,
        s.slug,
        if s.private { ", private" } else { "" }
    );
    println!("  narrator:    {}", i.narrator.url);
    println!("  moderator:   {}", i.moderator.url);
    println!("  specialist:  {}", i.specialist.url);
    println!("  viewers:     {}", i.viewer.url);
    if let Some(code) = &i.viewer.join_code {
        println!("  join code:   {code}");
    }
    println!(
        "Each staff link carries its token after '#token='; anyone holding it can act in that role."
    );
    Ok(())
}

async fn list(config: Config, json: bool) -> anyhow::Result<()> {
    let app = open_app(config).await?;
    let sessions = app.list_sessions(Some(&crate::app::Caller::Admin)).await;
    app.close_store().await;
    let sessions = sessions?;
    if json {
        println!("{}", serde_json::to_string_pretty(&sessions)?);
        return Ok(());
    }
    if sessions.is_empty() {
        println!("No sessions yet. Create one with: gallery session create --title \"...\"");
    }
    for s in sessions {
        let private = if s.private { " private" } else { "" };
        println!(
            "{:<24} {:<9}{:<8} {:>6} events  {}",
            s.slug,
            s.state.as_str(),
            private,
            s.head,
            s.title
        );
    }
    Ok(())
}

async fn verify_audit(config: Config) -> anyhow::Result<()> {
    let app = open_app(config).await?;
    let reports = app.verify_audit().await;
    app.close_store().await;
    let mut broken = 0;
    for report in reports? {
        match report.broken {
            None => println!("ok      {:<24} {} rows", report.session, report.rows),
            Some(b) => {
                broken += 1;
                println!("BROKEN  {:<24} at row {}: {}", report.session, b.id, b.why);
            }
        }
    }
    if broken > 0 {
        anyhow::bail!("the audit trail of {broken} session(s) was altered outside Gallery");
    }
    Ok(())
}

async fn export_audit(config: Config, slug: &str, format: &str) -> anyhow::Result<()> {
    let format = AuditFormat::parse(Some(format))?;
    let app = open_app(config).await?;
    let rows = match app.session(slug).await {
        Ok(session) => app.audit_trail(&session).await,
        Err(e) => Err(e),
    };
    app.close_store().await;
    print!("{}", render_audit(&rows?, format));
    Ok(())
}
