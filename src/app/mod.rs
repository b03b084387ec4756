//! What each subcommand does, from parsed arguments to exit code.

mod reports;

use crate::bank::{self, Bank};
use crate::cli::{BankCommand, Cli, Command};
use crate::config::Config;
use crate::discord::{BotOptions, RunningBot, Token};
use crate::metrics::Metrics;
use crate::store::Store;
use crate::terminal;
use crate::time::Clock;
use anyhow::Context;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// The log on stderr, and for `serve` the layer that counts Discord REST
/// requests into the returned metrics (the process's, for `/metrics`).
pub fn init_tracing(cli: &Cli) -> Metrics {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    // The bot logs its own progress; command-line use stays quiet.
    let default = match cli.command {
        Command::Serve(_) => "info,serenity=warn,poise=warn",
        _ => "warn",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let log = tracing_subscriber::fmt::layer()
        .fmt_fields(crate::redact::ScrubbedFields)
        .with_writer(std::io::stderr)
        .with_filter(filter);
    let metrics = Metrics::new();
    let rest = matches!(cli.command, Command::Serve(_))
        .then(|| crate::metrics::rest::layer(metrics.clone()));
    let _ = tracing_subscriber::registry()
        .with(log)
        .with(rest)
        .try_init();
    metrics
}

pub async fn run(cli: Cli, metrics: Metrics) -> anyhow::Result<ExitCode> {
    let (shards, total_shards) = match &cli.command {
        Command::Serve(args) => (args.shards.clone(), args.total_shards),
        _ => (None, None),
    };
    let env = |k: &str| std::env::var(k).ok();
    // The flags win, and may complete what the settings said.
    let mut config = Config::load_then(cli.config.as_deref(), env, |c| {
        if shards.is_some() {
            c.discord.shards = shards;
        }
        if total_shards.is_some() {
            c.discord.total_shards = total_shards;
        }
    })?;
    if let Some(db) = cli.database {
        config.database = db;
    }
    if let Some(dir) = cli.bank {
        config.bank_dir = dir;
    }
    match cli.command {
        Command::Serve(_) => serve(config, Clock::system(), metrics).await,
        Command::Bank(command) => bank_command(command, &config),
        Command::Notes(args) => reports::notes(args, &config).await,
        Command::History(args) => reports::history(args, &config).await,
        Command::Stats(args) => reports::stats(args, &config).await,
        Command::Leaderboard(args) => reports::leaderboard(args, &config).await,
        Command::Grade(args) => {
            let bank = load_bank(&config.bank_dir)?;
            terminal::grade::run(&args, &bank)
        }
        Command::Practice(args) => {
            let bank = Arc::new(load_bank(&config.bank_dir)?);
            let store = open_store(&config.database).await?;
            terminal::practice::run(args, &config, bank, store).await
        }
        Command::Review(args) => {
            let bank = Arc::new(load_bank(&config.bank_dir)?);
            let store = open_store(&config.database).await?;
            terminal::review::run(args, &config, bank, store).await
        }
        Command::Export(args) => {
            let bank = Arc::new(load_bank(&config.bank_dir)?);
            let store = open_store(&config.database).await?;
            let (runtime, _timers) = crate::runtime::Runtime::new(store, bank, Clock::system());
            terminal::export::export(&args, &runtime, &mut std::io::stdout()).await
        }
    }
}

/// `interview-bot serve`: runs until Ctrl-C, SIGTERM or a fatal gateway error.
async fn serve(config: Config, clock: Clock, metrics: Metrics) -> anyhow::Result<ExitCode> {
    let token = Token::from_env(|k| std::env::var(k).ok())?;
    // A broken bank stops start-up with every problem listed.
    let bank = Arc::new(load_bank(&config.bank_dir)?);
    // Opening the store applies the migrations.
    let store = open_store(&config.database).await?;
    // Installed before connecting: a stop asked for during start-up still
    // gets the clean disconnect instead of the default kill.
    let mut stop = crate::signals::StopSignals::install()?;
    tracing::info!(
        questions = bank.questions.len(),
        guild = ?config.discord.guild_id,
        shards = ?config.discord.shards,
        total_shards = ?config.discord.total_shards,
        api_base = ?config.discord.api_base.as_deref().map(crate::redact::redact_url),
        "starting the Discord bot"
    );
    let mut bot = RunningBot::start(BotOptions {
        token,
        config,
        store,
        bank,
        question_seconds: None,
        clock,
        metrics,
    })
    .await?;
    tokio::select! {
        r = bot.wait() => {
            r?;
            Ok(ExitCode::SUCCESS)
        }
        signal = stop.next() => {
            tracing::info!("{signal}: disconnecting; running interviews resume at the next start");
            bot.stop().await;
            tracing::info!("disconnected");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `interview-bot bank check|stats`.
fn bank_command(command: BankCommand, config: &Config) -> anyhow::Result<ExitCode> {
    match command {
        BankCommand::Check { dir: Some(file) } if file.is_file() => {
            // A file is a server's pack, checked against the shipped bank.
            let shipped = load_bank(&config.bank_dir.clone())?;
            terminal::pack_check::run(&file, &shipped)
        }
        BankCommand::Check { dir } => {
            let dir = dir.unwrap_or(config.bank_dir.clone());
            match bank::load(&dir) {
                Ok(b) => {
                    println!(
                        "{}: {} questions in {} topics, no problems",
                        dir.display(),
                        b.questions.len(),
                        b.topics.len()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(errors) => {
                    print!("{errors}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        BankCommand::Stats { json, dir } => {
            let bank = load_bank(&dir.unwrap_or(config.bank_dir.clone()))?;
            let stats = bank.stats();
            if json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                print!("{}", stats.render());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Loads the bank; on problems, the error lists every one of them.
pub fn load_bank(dir: &Path) -> anyhow::Result<Bank> {
    bank::load(dir).map_err(|e| anyhow::anyhow!("{}", e.to_string().trim_end()))
}

/// `path` is the `database` setting: a file, a `sqlite:` URL or a
/// `postgres://` URL (see `store::Location`).
pub async fn open_store(path: &Path) -> anyhow::Result<Store> {
    Store::connect(&path.to_string_lossy())
        .await
        .with_context(|| "cannot use the database".to_string())
}
