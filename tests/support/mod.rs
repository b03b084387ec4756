//! Test harness: the loopback Discord stand-in (copied from the stand-in
//! project into `discord_standin/`) and helpers that run the real bot
//! against it on a fresh temporary database.

#![allow(dead_code)]

pub mod discord_standin;
pub mod openai_standin;

pub use discord_standin::{InteractionHandle, StandIn, StandInConfig, StoredMessage};

use interview_bot::config::Config;
use interview_bot::discord::{BotOptions, RunningBot, Token};
use interview_bot::store::Store;
use interview_bot::time::{Clock, Timestamp};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Generous bound for anything the bot does in response to a test.
pub const T: Duration = Duration::from_secs(20);

pub const TOPIC: &str = "core-python";

/// Knobs of the bot under test.
#[derive(Clone, Debug)]
pub struct BotKnobs {
    pub question_seconds: Option<f64>,
    pub rating_window_seconds: u64,
    pub message_content: bool,
    /// Leaving the server or a thread reaches the bot (SERVER MEMBERS intent).
    pub member_events: bool,
    /// The question bank folder (default: the shipped one).
    pub bank_dir: Option<PathBuf>,
    /// The `ai.*` settings (default: no AI endpoint).
    pub ai: interview_bot::ai::AiConfig,
    /// `metrics.listen` (default: off); port 0 picks a free one.
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// `discord.shards` and `discord.total_shards` (default: neither).
    pub shards: Option<String>,
    pub total_shards: Option<u32>,
}

impl Default for BotKnobs {
    fn default() -> Self {
        BotKnobs {
            question_seconds: Some(120.0),
            rating_window_seconds: 120,
            message_content: false,
            member_events: false,
            bank_dir: None,
            ai: Default::default(),
            metrics_listen: None,
            shards: None,
            total_shards: None,
        }
    }
}

pub fn bank_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("question-bank")
}

/// A copy of the shipped bank's YAML files that a test may change (the
/// survey folder beside them is not part of the bank).
pub fn bank_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(bank_dir()).expect("bank") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    dir
}

/// A stand-in, a temporary database and a bot connected to both.
pub struct World {
    pub discord: StandIn,
    pub bot: Option<RunningBot>,
    pub db: PathBuf,
    pub knobs: BotKnobs,
    /// The bot's time: it moves only when the test advances it, and it
    /// carries over a restart (`stop_bot` then `start_bot`).
    pub clock: Clock,
    /// What the bot counts into; kept across restarts, like a process's
    /// registry would not be, so tests can compare before and after.
    pub metrics: interview_bot::metrics::Metrics,
    _dir: tempfile::TempDir,
}

impl World {
    pub async fn start(knobs: BotKnobs) -> World {
        Self::start_with(StandInConfig::default(), knobs).await
    }

    pub async fn start_with(config: StandInConfig, knobs: BotKnobs) -> World {
        Self::start_on(config, knobs, None).await
    }

    /// Another server, as a second process would serve it: a stand-in of
    /// its own (another guild id) and a bot on this world's database.
    pub async fn second_server(&self) -> World {
        let db = Some(self.db.clone());
        Self::start_on(StandInConfig::default(), self.knobs.clone(), db).await
    }

    /// A server that Discord routes to `shard` of `total`, and a bot that
    /// connects only that shard (as one of several processes would), on
    /// `database`: a file or a `postgres://` URL (None: a fresh file).
    pub async fn on_shard(shard: u32, total: u32, database: Option<String>) -> World {
        let config = StandInConfig {
            guild_shard: Some((u64::from(shard), u64::from(total))),
            ..StandInConfig::default()
        };
        let knobs = BotKnobs {
            shards: Some(shard.to_string()),
            total_shards: Some(total),
            ..BotKnobs::default()
        };
        Self::start_on(config, knobs, database.map(PathBuf::from)).await
    }

    async fn start_on(config: StandInConfig, knobs: BotKnobs, db: Option<PathBuf>) -> World {
        let discord = StandIn::start_with(config).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let db = db.unwrap_or_else(|| dir.path().join("bot.db"));
        let mut world = World {
            discord,
            bot: None,
            db,
            knobs,
            clock: Clock::manual(Timestamp::system_now()),
            metrics: interview_bot::metrics::Metrics::new(),
            _dir: dir,
        };
        world.start_bot().await;
        world
    }

    /// Starts a bot on this world's database and waits until its commands
    /// are registered (the stand-in only accepts registered commands).
    pub async fn start_bot(&mut self) {
        let before = self.registrations();
        let bank = self.knobs.bank_dir.clone().unwrap_or_else(bank_dir);
        let mut config = Config {
            database: self.db.clone(),
            bank_dir: bank.clone(),
            ..Config::default()
        };
        config.discord.api_base = Some(self.discord.api_base());
        config.discord.guild_id = Some(self.discord.guild_id());
        config.discord.message_content = self.knobs.message_content;
        config.discord.member_events = self.knobs.member_events;
        config.interview.rating_window_seconds = self.knobs.rating_window_seconds;
        config.ai = self.knobs.ai.clone();
        config.metrics.listen = self.knobs.metrics_listen;
        config.discord.shards = self.knobs.shards.clone();
        config.discord.total_shards = self.knobs.total_shards;
        let store = self.store().await;
        let bank = load_bank(&bank);
        let bot = RunningBot::start(BotOptions {
            token: Token::new(self.discord.token()),
            config,
            store,
            bank,
            question_seconds: self.knobs.question_seconds,
            clock: self.clock.clone(),
            metrics: self.metrics.clone(),
        })
        .await
        .expect("bot starts");
        self.bot = Some(bot);
        let discord = &self.discord;
        discord
            .wait_until(T, "the bot registered its commands", |st| {
                let n = st
                    .requests
                    .iter()
                    .filter(|r| {
                        r.method == "PUT" && r.path.ends_with("/commands") && r.status == 200
                    })
                    .count();
                (n > before).then_some(())
            })
            .await;
    }

    fn registrations(&self) -> usize {
        self.discord
            .requests()
            .iter()
            .filter(|r| r.method == "PUT" && r.path.ends_with("/commands") && r.status == 200)
            .count()
    }

    pub async fn stop_bot(&mut self) {
        if let Some(bot) = self.bot.take() {
            bot.stop().await;
        }
    }

    /// Moves the bot's clock forward: every deadline now due fires, with no
    /// real waiting.
    pub fn advance(&self, d: Duration) -> Timestamp {
        self.clock.advance(d)
    }

    /// A separate connection to the bot's database (a file or a
    /// PostgreSQL URL), for checks.
    pub async fn store(&self) -> Store {
        Store::connect(&self.db.to_string_lossy())
            .await
            .expect("database opens")
    }

    /// Starts an interview for `user` and returns its thread id and first question.
    pub async fn start_interview(
        &self,
        user: u64,
        options: &[(&str, serde_json::Value)],
    ) -> (u64, StoredMessage) {
        let d = &self.discord;
        let cmd = d.slash_command(user, d.channel_id(), "interview start", options);
        let reply = cmd.original_message(T).await;
        assert!(reply.is_ephemeral(), "the start reply is ephemeral");
        let thread = linked_channel(reply.content())
            .unwrap_or_else(|| panic!("the reply links the thread: {:?}", reply.content()));
        let question = d
            .wait_for_message(thread, T, |m| m.text().contains("Question 1 of"))
            .await;
        (thread, question)
    }

    /// Waits for a message in `channel` whose text contains `needle`.
    pub async fn message_with(&self, channel: u64, needle: &str) -> StoredMessage {
        self.discord
            .wait_for_message(channel, T, |m| m.text().contains(needle))
            .await
    }

    /// Answers the question on `message` through the Answer button and its
    /// modal; returns the feedback message.
    pub async fn answer(&self, user: u64, message: &StoredMessage, text: &str) -> StoredMessage {
        let d = &self.discord;
        let press = d.press_button(user, message.id, &cid(message, "ans"));
        let modal = press.modal(T).await;
        assert!(modal["title"]
            .as_str()
            .is_some_and(|t| t.chars().count() <= 45));
        let submit = d.submit_modal(&press, &[("answer", text)]);
        submit.original_message(T).await
    }

    /// Presses the button for `action` on `message`; returns the interaction.
    pub fn press(&self, user: u64, message: &StoredMessage, action: &str) -> InteractionHandle {
        self.discord
            .press_button(user, message.id, &cid(message, action))
    }
}

/// The custom_id of the button for `action` (`ans`, `h0`, `skip`, `end`, `r4`, ...).
pub fn cid(message: &StoredMessage, action: &str) -> String {
    message
        .custom_ids()
        .into_iter()
        .find(|c| c.split(':').nth(3) == Some(action))
        .unwrap_or_else(|| {
            panic!(
                "message {} has no {action} button: {:?}",
                message.id,
                message.custom_ids()
            )
        })
}

/// Every message the bot posted or edited sent empty allowed mentions.
pub fn assert_no_pings(discord: &StandIn) {
    discord.inspect(|st| {
        for m in st
            .messages
            .iter()
            .filter(|m| m.author_id == discord.bot_user_id())
        {
            assert!(
                m.pinged_users.is_empty() && !m.pings_everyone,
                "message {} would ping: {:?}",
                m.id,
                m.json
            );
            let parse = m
                .allowed_mentions
                .as_ref()
                .and_then(|a| a.get("parse"))
                .and_then(|p| p.as_array())
                .map(|p| p.len());
            assert_eq!(
                parse,
                Some(0),
                "message {} sent allowed_mentions.parse empty",
                m.id
            );
        }
    });
}

/// REST requests that count against the global limit (not interaction
/// callbacks or webhooks) since request number `from`.
pub fn rest_requests_since(discord: &StandIn, from: usize) -> Vec<String> {
    discord
        .requests()
        .iter()
        .skip(from)
        .filter(|r| !r.path.contains("/interactions/") && !r.path.contains("/webhooks/"))
        .map(|r| r.line())
        .collect()
}

/// The custom_id of the lobby button for `action` (`cand`, `intv`, `leave`, `start`, `cancel`).
pub fn lobby_cid(message: &StoredMessage, action: &str) -> String {
    message
        .custom_ids()
        .into_iter()
        .find(|c| c.starts_with("pl:") && c.split(':').nth(2) == Some(action))
        .unwrap_or_else(|| panic!("no {action} button: {:?}", message.custom_ids()))
}

/// Presses a lobby button; returns the response's kind and its text.
pub async fn press_lobby(
    world: &World,
    user: u64,
    lobby: &StoredMessage,
    action: &str,
) -> (u8, String) {
    let d = &world.discord;
    let press = d.press_button(user, lobby.id, &lobby_cid(lobby, action));
    let r = press.response(T).await;
    (r.kind, r.data.to_string())
}

pub async fn run_panel(
    world: &World,
    creator: u64,
    questions: u32,
    candidates: &[u64],
    interviewers: &[u64],
) -> (u64, StoredMessage) {
    let d = &world.discord;
    let create = d.slash_command(
        creator,
        d.channel_id(),
        "panel create",
        &[("topic", json!(TOPIC)), ("questions", json!(questions))],
    );
    create.original_message(T).await;
    let lobby = world.message_with(d.channel_id(), "Panel lobby").await;
    for &c in candidates {
        assert_eq!(press_lobby(world, c, &lobby, "cand").await.0, 7);
    }
    for &i in interviewers {
        assert_eq!(press_lobby(world, i, &lobby, "intv").await.0, 7);
    }
    let start = d.press_button(creator, lobby.id, &lobby_cid(&lobby, "start"));
    assert_eq!(start.response(T).await.kind, 6, "acknowledged at once");
    let started = lobby_started(world, lobby.id).await;
    assert!(
        started.custom_ids().is_empty(),
        "a started lobby has no buttons"
    );
    let thread = linked_channel(&started.text())
        .unwrap_or_else(|| panic!("the lobby links the thread: {}", started.text()));
    let first = world.message_with(thread, "Question 1 of").await;
    (thread, first)
}

/// The first channel a text links (`<#id>`), such as the thread a reply
/// points to.
pub fn linked_channel(text: &str) -> Option<u64> {
    text.split("<#").nth(1)?.split('>').next()?.parse().ok()
}

/// Presses `action` on `message` as `user` and returns the ephemeral text
/// they were shown.
pub async fn refused(world: &World, user: u64, message: &StoredMessage, action: &str) -> String {
    let r = world.press(user, message, action).response(T).await;
    assert_eq!(r.kind, 4, "{action} by {user}: {}", r.data);
    assert_eq!(
        r.data["flags"].as_u64().map(|f| f & 64),
        Some(64),
        "ephemeral"
    );
    r.data["content"].as_str().unwrap_or_default().to_string()
}

/// Waits until the lobby message says its panel has started, and returns it.
pub async fn lobby_started(world: &World, lobby_id: u64) -> StoredMessage {
    world
        .discord
        .wait_until(T, "the lobby says where the panel runs", |st| {
            st.messages
                .iter()
                .find(|m| m.id == lobby_id && m.text().contains("has started"))
                .cloned()
        })
        .await
}

/// The bank in `dir`. The shipped one is loaded once per test binary (a load
/// takes about a second in a debug build, and it never changes during a run);
/// any other folder is read afresh, since a test may have just written it.
pub fn load_bank(dir: &Path) -> Arc<interview_bot::bank::Bank> {
    static SHIPPED: std::sync::OnceLock<Arc<interview_bot::bank::Bank>> =
        std::sync::OnceLock::new();
    let load = || Arc::new(interview_bot::bank::load(dir).expect("the bank loads"));
    if dir == bank_dir() {
        Arc::clone(SHIPPED.get_or_init(load))
    } else {
        load()
    }
}
