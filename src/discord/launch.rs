//! Starting and stopping the bot: `serve` for the binary, `RunningBot` for
//! tests that run the real bot against a stand-in.

use super::{commands, deliver, errors, reply, Data, Token};
use crate::bank::Bank;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::runtime::threads::ThreadIndex;
use crate::runtime::{Runtime, Service};
use crate::store::Store;
use crate::time::Clock;
use anyhow::Context as _;
use poise::serenity_prelude as serenity;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::task::JoinHandle;

/// What the bot runs with.
pub struct BotOptions {
    pub token: Token,
    /// `discord.*` (api base, guild, message content) and `interview.*` are used.
    pub config: Config,
    pub store: Store,
    pub bank: Arc<Bank>,
    /// Seconds per question for every question (tests and quick drills).
    pub question_seconds: Option<f64>,
    /// What the runtime reads the time from: the system clock in service,
    /// a manual one in tests.
    pub clock: Clock,
    /// The process's metrics (the REST layer of its log counts into them);
    /// served on `metrics.listen` when that is set.
    pub metrics: Metrics,
}

/// A bot connected (or connecting) to the gateway.
pub struct RunningBot {
    shard_manager: Arc<serenity::ShardManager>,
    client: JoinHandle<Result<(), serenity::Error>>,
    delivery: JoinHandle<()>,
    /// Closes expired panel lobbies.
    sweep: JoinHandle<()>,
    /// Daily review reminders.
    reminders: JoinHandle<()>,
    /// The `/metrics` and `/health` endpoint, when `metrics.listen` is set.
    endpoint: Option<(SocketAddr, JoinHandle<()>)>,
    /// Other processes' bank reloads and pack changes (PostgreSQL only).
    changes: Option<JoinHandle<()>>,
    runtime: Runtime,
}

impl RunningBot {
    /// Builds the client, starts the delivery task and connects. Commands are
    /// registered and running sessions recovered when READY arrives.
    pub async fn start(opts: BotOptions) -> anyhow::Result<RunningBot> {
        let BotOptions {
            token,
            config,
            store,
            bank,
            question_seconds,
            clock,
            metrics,
        } = opts;
        let http = http_client(&token, &config);
        let intents = gateway_intents(&config);
        let shards = config.discord.ownership()?;
        let parts = (store, bank, clock, metrics.clone());
        let Service {
            runtime,
            deliveries,
            changes,
        } = Runtime::for_service(parts, shards, config.bank_dir.clone(), &config.ai)
            .await
            .context("could not load the servers' question packs or follow changes")?;
        let threads = Arc::new(ThreadIndex::default());
        let data = Data {
            runtime: runtime.clone(),
            config: config.clone(),
            question_seconds,
            threads: Arc::clone(&threads),
        };
        let guild = config.discord.guild_id;
        // One poster for timer deliveries and restart notices, so a thread's
        // messages share its lane and keep their order.
        let outbox = deliver::Outbox::new(deliver::Poster {
            runtime: runtime.clone(),
            threads: Arc::clone(&threads),
            message_content: config.discord.message_content,
        });
        let recovery = outbox.clone();
        let framework = framework(data, guild, recovery);
        let mut client = serenity::ClientBuilder::new_with_http(http, intents)
            .framework(framework)
            .await?;
        let delivery = tokio::spawn(outbox.run(Arc::clone(&client.http), deliveries));
        let sweep = tokio::spawn(expire_lobbies(runtime.clone(), Arc::clone(&client.http)));
        let reminders = tokio::spawn(super::reminders::run(
            runtime.clone(),
            Arc::clone(&client.http),
        ));
        let shard_manager = Arc::clone(&client.shard_manager);
        let stopped = Arc::new(AtomicBool::new(false));
        let probe = super::health::BotProbe {
            runtime: runtime.clone(),
            shards: Arc::clone(&shard_manager),
            stopped: Arc::clone(&stopped),
        };
        let endpoint = serve_metrics(config.metrics.listen, metrics, probe).await?;
        tracing::info!(%shards, "connecting");
        let client = tokio::spawn(async move {
            // serenity's range end is inclusive, as `last` is.
            let range = shards.first()..shards.last();
            let ended = client.start_shard_range(range, shards.total()).await;
            stopped.store(true, Ordering::Relaxed);
            ended
        });
        Ok(RunningBot {
            shard_manager,
            client,
            delivery,
            sweep,
            reminders,
            endpoint,
            changes,
            runtime,
        })
    }

    /// Where `/metrics` and `/health` are served (None: `metrics.listen` unset).
    pub fn metrics_address(&self) -> Option<SocketAddr> {
        self.endpoint.as_ref().map(|(addr, _)| *addr)
    }

    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// Waits until the client stops by itself (a fatal gateway error).
    pub async fn wait(&mut self) -> anyhow::Result<()> {
        match (&mut self.client).await {
            Ok(r) => Ok(r?),
            Err(e) => Err(anyhow::anyhow!("the Discord client task failed: {e}")),
        }
    }

    /// Disconnects and stops posting; running interviews stay in the store
    /// and resume when a bot starts on the same database.
    pub async fn stop(self) {
        self.runtime.shutdown();
        self.shard_manager.shutdown_all().await;
        self.delivery.abort();
        self.sweep.abort();
        self.reminders.abort();
        if let Some((_, task)) = &self.endpoint {
            task.abort();
        }
        if let Some(task) = &self.changes {
            task.abort();
        }
        let _ = self.client.await;
        let _ = self.delivery.await;
        let _ = self.sweep.await;
        let _ = self.reminders.await;
    }
}

/// The commands, the event and error hooks, and at READY: the commands
/// registered (in `guild`, or globally) and running sessions recovered.
fn framework(
    data: Data,
    guild: Option<u64>,
    recovery: deliver::Outbox,
) -> poise::Framework<Data, super::BotError> {
    poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands(),
            on_error: |e| Box::pin(errors::on_error(e)),
            event_handler: |fw, event| Box::pin(super::controls::on_event(fw, event)),
            allowed_mentions: Some(reply::no_mentions()),
            ..Default::default()
        })
        .setup(move |ctx, _ready, framework| {
            Box::pin(async move {
                // Every event waits for this setup, so it only registers
                // commands and hands recovery to a task.
                let commands = &framework.options().commands;
                let registered = match guild {
                    Some(g) => {
                        let g = serenity::GuildId::new(g);
                        poise::builtins::register_in_guild(ctx, commands, g).await
                    }
                    None => poise::builtins::register_globally(ctx, commands).await,
                };
                if let Err(e) = registered {
                    tracing::error!(error = ?e, "could not register the slash commands");
                }
                tokio::spawn(recovery.recover(Arc::clone(&ctx.http)));
                Ok(data)
            })
        })
        .build()
}

/// `/metrics` and `/health` on `metrics.listen`, when it is set.
async fn serve_metrics(
    listen: Option<SocketAddr>,
    metrics: Metrics,
    probe: super::health::BotProbe,
) -> anyhow::Result<Option<(SocketAddr, JoinHandle<()>)>> {
    let Some(addr) = listen else {
        return Ok(None);
    };
    let served = crate::metrics::server::serve(addr, metrics, Arc::new(probe))
        .await
        .with_context(|| format!("cannot serve metrics.listen on {addr}"))?;
    tracing::info!(address = %served.0, "serving /metrics and /health");
    Ok(Some(served))
}

/// serenity's REST client: through `discord.api_base` when it is set.
fn http_client(token: &Token, config: &Config) -> serenity::Http {
    match &config.discord.api_base {
        // The proxy is only honoured with serenity's own rate limiter
        // off: the deployment's proxy (or the test stand-in) limits.
        Some(base) => serenity::HttpBuilder::new(token.expose())
            .proxy(base.as_str())
            .ratelimiter_disabled(true)
            .build(),
        None => serenity::HttpBuilder::new(token.expose()).build(),
    }
}

/// Only the events the bot acts on. Everything it does starts from an
/// interaction (which needs no intent) or a thread event (GUILDS); message
/// events are asked for only when typed answers are read, since with
/// GUILD_MESSAGES Discord sends every message of every channel the bot can
/// see, the bot's own replies included (one or more for every interaction
/// it answers), and each is parsed and dispatched for nothing.
fn gateway_intents(config: &Config) -> serenity::GatewayIntents {
    use serenity::GatewayIntents as I;
    let mut intents = I::GUILDS;
    if config.discord.message_content {
        intents |= I::GUILD_MESSAGES | I::MESSAGE_CONTENT;
    }
    if config.discord.member_events {
        intents |= I::GUILD_MEMBERS;
    }
    intents
}

/// At start-up, then every minute, so a lobby nobody touches stops looking
/// open once it expires.
async fn expire_lobbies(runtime: Runtime, http: Arc<serenity::Http>) {
    let mut every = tokio::time::interval(super::lobby::EXPIRY_SWEEP);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        super::lobby::expire_stale(&http, &runtime).await;
    }
}
