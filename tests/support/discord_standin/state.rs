//! The stand-in's in-memory world: the guild, its channels and threads, every message,
//! every interaction, every REST request and every gateway dispatch. One `Mutex<State>`
//! guards it; a `Notify` wakes tests that wait for something to appear.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::StandInConfig;

/// Discord's epoch (2015-01-01) in Unix milliseconds, used to mint realistic snowflakes.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Permission bits used by the stand-in (Discord's numbering).
pub mod perms {
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_GUILD: u64 = 1 << 5;
    pub const ADD_REACTIONS: u64 = 1 << 6;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const MANAGE_MESSAGES: u64 = 1 << 13;
    pub const EMBED_LINKS: u64 = 1 << 14;
    pub const ATTACH_FILES: u64 = 1 << 15;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    pub const USE_EXTERNAL_EMOJIS: u64 = 1 << 18;
    pub const CHANGE_NICKNAME: u64 = 1 << 26;
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    pub const MANAGE_THREADS: u64 = 1 << 34;
    pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
    pub const CREATE_PRIVATE_THREADS: u64 = 1 << 36;
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    /// Every bit Discord currently defines (used for ADMINISTRATOR holders).
    pub const ALL: u64 = (1 << 51) - 1;

    /// What @everyone may do in the stand-in's guild.
    pub const EVERYONE: u64 = VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | ADD_REACTIONS
        | USE_EXTERNAL_EMOJIS
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | CREATE_PUBLIC_THREADS
        | SEND_MESSAGES_IN_THREADS;
    /// The "Interview Admin" role: Manage Server and friends.
    pub const MODERATOR: u64 = MANAGE_GUILD | MANAGE_MESSAGES | MANAGE_THREADS;
    /// What the bot's managed role grants by default.
    pub const BOT_DEFAULT: u64 = VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | READ_MESSAGE_HISTORY
        | ADD_REACTIONS
        | USE_APPLICATION_COMMANDS
        | MANAGE_MESSAGES
        | MANAGE_THREADS
        | CREATE_PUBLIC_THREADS
        | CREATE_PRIVATE_THREADS
        | SEND_MESSAGES_IN_THREADS;
}

/// Gateway intent bits the stand-in honours when deciding what to deliver.
pub mod intents {
    pub const GUILDS: u64 = 1 << 0;
    pub const GUILD_MEMBERS: u64 = 1 << 1;
    pub const GUILD_MESSAGES: u64 = 1 << 9;
    pub const MESSAGE_CONTENT: u64 = 1 << 15;
}

/// The fixed ids of the stand-in's world.
#[derive(Clone, Debug)]
pub struct Ids {
    pub application: u64,
    pub bot_user: u64,
    pub guild: u64,
    /// The guild owner (not one of the test actors: an owner holds every permission).
    pub owner: u64,
    pub category: u64,
    pub channel: u64,
    pub second_channel: u64,
    pub everyone_role: u64,
    pub moderator_role: u64,
    pub bot_role: u64,
}

/// A guild member the stand-in knows (test users and the bot).
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: u64,
    pub name: String,
    pub roles: Vec<u64>,
    pub bot: bool,
    pub joined_at: String,
    pub in_guild: bool,
}

/// One REST request as the bot sent it, with the stand-in's answer.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// Position in the log (0-based; requests are handled one at a time, in this order).
    pub index: usize,
    pub method: String,
    /// Path without the query string, e.g. `/api/v10/channels/1/messages`.
    pub path: String,
    pub query: Option<String>,
    /// JSON body (for multipart requests: the `payload_json` part); `Null` when empty.
    pub body: Value,
    pub status: u16,
    pub response: Value,
    /// The route name the stand-in matched (`None` for an unknown route).
    pub route: Option<&'static str>,
    /// When the request arrived.
    pub at: Instant,
}

impl RecordedRequest {
    /// `"POST /api/v10/channels/1/messages"`.
    pub fn line(&self) -> String {
        format!("{} {} -> {}", self.method, self.path, self.status)
    }
}

/// A request the stand-in refused because real Discord would have refused it.
#[derive(Clone, Debug)]
pub struct Violation {
    pub method: String,
    pub path: String,
    /// Which rule was broken, e.g. `"embeds.0.title: at most 256 characters (got 300)"`.
    pub rule: String,
}

/// Where a stored message came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageSource {
    /// `POST /channels/{id}/messages` by the bot.
    Channel,
    /// Interaction callback type 4 (or type 5's "thinking" placeholder, later edited).
    InteractionResponse,
    /// `POST /webhooks/{app}/{token}`.
    Followup,
    /// Injected by the test as something a user typed.
    User,
}

/// A message in some channel, as the stand-in keeps it.
#[derive(Clone, Debug)]
pub struct StoredMessage {
    pub id: u64,
    pub channel_id: u64,
    pub author_id: u64,
    pub source: MessageSource,
    /// The interaction that produced it (responses and follow-ups).
    pub interaction_id: Option<u64>,
    /// `allowed_mentions` exactly as the bot sent it (latest create/edit).
    pub allowed_mentions: Option<Value>,
    /// Users who would actually be pinged, given the content and `allowed_mentions`.
    pub pinged_users: Vec<u64>,
    /// Whether `@everyone`/`@here` would ping.
    pub pings_everyone: bool,
    pub edit_count: u32,
    pub deleted: bool,
    /// The full Discord message object (what serenity parses).
    pub json: Value,
}

impl StoredMessage {
    pub fn content(&self) -> &str {
        self.json
            .get("content")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
    pub fn embeds(&self) -> Vec<Value> {
        array_of(&self.json, "embeds")
    }
    pub fn components(&self) -> Vec<Value> {
        array_of(&self.json, "components")
    }
    pub fn flags(&self) -> u64 {
        self.json.get("flags").and_then(Value::as_u64).unwrap_or(0)
    }
    pub fn is_ephemeral(&self) -> bool {
        self.flags() & 64 != 0
    }
    /// Every component (buttons, selects) in every row.
    pub fn all_components(&self) -> Vec<Value> {
        self.components()
            .iter()
            .flat_map(|row| array_of(row, "components"))
            .collect()
    }
    /// The `custom_id` of every component in the message.
    pub fn custom_ids(&self) -> Vec<String> {
        self.all_components()
            .iter()
            .filter_map(|c| {
                c.get("custom_id")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .collect()
    }
    /// Every embed's title and description, and the content, joined: handy for `contains`.
    pub fn text(&self) -> String {
        let mut out = self.content().to_owned();
        for embed in self.embeds() {
            for key in ["title", "description"] {
                if let Some(s) = embed.get(key).and_then(Value::as_str) {
                    out.push('\n');
                    out.push_str(s);
                }
            }
            for field in array_of(&embed, "fields") {
                for key in ["name", "value"] {
                    if let Some(s) = field.get(key).and_then(Value::as_str) {
                        out.push('\n');
                        out.push_str(s);
                    }
                }
            }
            if let Some(s) = embed.pointer("/footer/text").and_then(Value::as_str) {
                out.push('\n');
                out.push_str(s);
            }
        }
        out
    }
}

pub(crate) fn array_of(v: &Value, key: &str) -> Vec<Value> {
    v.get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// A channel or thread of the guild.
#[derive(Clone, Debug)]
pub struct ChannelState {
    pub id: u64,
    /// 0 text, 4 category, 11 public thread, 12 private thread.
    pub kind: u8,
    pub name: String,
    pub parent_id: Option<u64>,
    pub owner_id: Option<u64>,
    pub position: u16,
    pub topic: Option<String>,
    pub archived: bool,
    pub locked: bool,
    pub invitable: bool,
    pub auto_archive_duration: u16,
    pub created_at: String,
    pub archive_timestamp: String,
    pub last_message_id: Option<u64>,
    pub message_count: u32,
    /// Thread members (user ids), threads only.
    pub members: BTreeSet<u64>,
    /// When the bot renamed it (Discord allows about 2 renames per 10 minutes).
    pub renames: Vec<Instant>,
    pub deleted: bool,
}

impl ChannelState {
    pub fn is_thread(&self) -> bool {
        matches!(self.kind, 10..=12)
    }
}

/// The bot's answer to an interaction (`POST /interactions/{id}/{token}/callback`).
#[derive(Clone, Debug)]
pub struct Callback {
    /// 1 pong, 4 message, 5 deferred message, 6 deferred update, 7 update, 8 autocomplete, 9 modal.
    pub kind: u8,
    pub data: Value,
    /// How long after the interaction was sent the answer arrived.
    pub after: Duration,
    pub request_index: usize,
}

/// An interaction the stand-in sent on behalf of a user.
#[derive(Clone, Debug)]
pub struct InteractionRecord {
    pub id: u64,
    pub token: String,
    /// 2 command, 3 component, 4 autocomplete, 5 modal submit.
    pub kind: u8,
    pub user_id: u64,
    pub channel_id: u64,
    /// For components (and modal submits coming from a component): the message it is attached to.
    pub message_id: Option<u64>,
    pub sent_at: Instant,
    pub callback: Option<Callback>,
    /// Message created by a type 4/5 answer (or the component's message for 6/7).
    pub original_message_id: Option<u64>,
    pub followups: Vec<u64>,
    /// The full INTERACTION_CREATE payload (`d`).
    pub payload: Value,
}

/// One dispatch the gateway produced.
#[derive(Clone, Debug)]
pub struct SentEvent {
    pub seq: u64,
    pub name: String,
    pub data: Value,
    /// Whether it went out on a live connection when produced (false: buffered for RESUME).
    pub delivered_live: bool,
}

/// A dispatch the stand-in did not send because the bot lacks the intent Discord requires
/// (`missing_intent` != 0) or had no gateway session yet (`missing_intent` == 0).
#[derive(Clone, Debug)]
pub struct WithheldEvent {
    pub name: String,
    pub missing_intent: u64,
}

pub(crate) struct Conn {
    pub id: u64,
    pub tx: UnboundedSender<WsMessage>,
}

pub(crate) struct Session {
    pub id: String,
    pub seq: u64,
    pub intents: u64,
    /// Every dispatch of the session, serialised, for RESUME replays.
    pub events: Vec<(u64, String)>,
}

#[derive(Default)]
pub(crate) struct GatewayState {
    pub session: Option<Session>,
    pub current: Option<Conn>,
    pub next_conn_id: u64,
    pub connections: usize,
    pub identifies: Vec<Value>,
    pub resumes: Vec<Value>,
    pub heartbeats: usize,
    pub last_heartbeat_seq: Option<u64>,
    pub forced_closes: usize,
    pub sent: Vec<SentEvent>,
    pub withheld: Vec<WithheldEvent>,
    pub sessions_started: usize,
    /// Close frames the bot sent, with their codes (a clean log-off is 1000).
    pub client_closes: Vec<Option<u16>>,
}

/// Everything the stand-in knows. Public fields are read through [`super::StandIn::snapshot`].
pub struct State {
    pub users: Vec<TestUser>,
    pub channels: Vec<ChannelState>,
    pub messages: Vec<StoredMessage>,
    pub interactions: Vec<InteractionRecord>,
    pub requests: Vec<RecordedRequest>,
    pub violations: Vec<Violation>,
    /// Problems inside the stand-in itself (e.g. a response serenity could not parse).
    pub internal_errors: Vec<String>,
    /// Attachment bytes by URL path (`/attachments/{id}/{name}`), as the
    /// CDN serves them: files users attach and files the bot uploads.
    pub uploads: std::collections::HashMap<String, Vec<u8>>,
    pub global_commands: Vec<Value>,
    pub guild_commands: Vec<Value>,
    pub bot_permissions: u64,
    /// Refuse the bot's messages in threads (403) while still letting it create them.
    pub refuse_thread_posts: bool,
    /// Users who do not accept direct messages from the bot.
    pub dms_closed: BTreeSet<u64>,
    pub(crate) command_ids: HashMap<(bool, String), u64>,
    pub(crate) gateway: GatewayState,
    /// Message posts a test holds back (see `hold.rs`).
    pub(crate) holds: super::hold::Holds,
    /// Where each id sits in the lists above (see `index.rs`).
    pub(crate) index: super::index::Index,
    /// Who waits on which channel or interaction (see `watch.rs`).
    pub(crate) watch: super::watch::Watch,
    last_id: u64,
}

impl State {
    pub(crate) fn new(ids: &Ids, config: &StandInConfig) -> State {
        let mut state = State {
            users: Vec::new(),
            channels: Vec::new(),
            messages: Vec::new(),
            interactions: Vec::new(),
            requests: Vec::new(),
            violations: Vec::new(),
            internal_errors: Vec::new(),
            uploads: Default::default(),
            global_commands: Vec::new(),
            guild_commands: Vec::new(),
            bot_permissions: config.bot_permissions,
            refuse_thread_posts: false,
            dms_closed: BTreeSet::new(),
            command_ids: HashMap::new(),
            gateway: GatewayState::default(),
            holds: super::hold::Holds::default(),
            index: Default::default(),
            watch: Default::default(),
            last_id: 0,
        };
        let now = super::model::now_timestamp();
        state.push_channel(ChannelState::text(
            ids.category,
            4,
            "Interviews",
            None,
            0,
            &now,
        ));
        state.push_channel(ChannelState::text(
            ids.channel,
            0,
            "interviews",
            Some(ids.category),
            1,
            &now,
        ));
        state.push_channel(ChannelState::text(
            ids.second_channel,
            0,
            "general",
            Some(ids.category),
            2,
            &now,
        ));
        state
    }

    /// A fresh snowflake: Discord's layout (milliseconds since 2015 in the high bits), strictly
    /// increasing, so `created_at()` of any id the stand-in mints is "now".
    pub(crate) fn next_id(&mut self) -> u64 {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(DISCORD_EPOCH_MS);
        let candidate = now_ms.saturating_sub(DISCORD_EPOCH_MS) << 22;
        self.last_id = candidate.max(self.last_id + 1);
        self.last_id
    }

    pub fn user_by_name(&self, name: &str) -> Option<&TestUser> {
        self.users.iter().find(|u| u.name == name)
    }
    /// Threads, oldest first.
    pub fn threads(&self) -> Vec<ChannelState> {
        self.channels
            .iter()
            .filter(|c| c.is_thread())
            .cloned()
            .collect()
    }

    /// Permissions of a member in the guild (roles only; the stand-in has no overwrites).
    pub fn member_permissions(&self, ids: &Ids, user_id: u64) -> u64 {
        if user_id == ids.bot_user {
            return self.bot_permissions;
        }
        let Some(user) = self.user(user_id) else {
            return 0;
        };
        let mut bits = perms::EVERYONE;
        for role in &user.roles {
            if *role == ids.moderator_role {
                bits |= perms::MODERATOR;
            }
        }
        if user_id == ids.owner {
            bits |= perms::ALL;
        }
        if bits & perms::ADMINISTRATOR != 0 {
            bits = perms::ALL;
        }
        bits
    }

    /// Every dispatch produced so far (all sessions), in order.
    pub fn gateway_sent(&self) -> &[SentEvent] {
        &self.gateway.sent
    }

    /// The intents of the current gateway session (0 before IDENTIFY).
    pub fn session_intents(&self) -> u64 {
        self.gateway.session.as_ref().map_or(0, |s| s.intents)
    }
}

impl ChannelState {
    pub(crate) fn text(
        id: u64,
        kind: u8,
        name: &str,
        parent_id: Option<u64>,
        position: u16,
        now: &str,
    ) -> ChannelState {
        ChannelState {
            id,
            kind,
            name: name.to_owned(),
            parent_id,
            owner_id: None,
            position,
            topic: None,
            archived: false,
            locked: false,
            invitable: false,
            auto_archive_duration: 1440,
            created_at: now.to_owned(),
            archive_timestamp: now.to_owned(),
            last_message_id: None,
            message_count: 0,
            members: BTreeSet::new(),
            renames: Vec::new(),
            deleted: false,
        }
    }
}

/// The lock + wake-up pair every part of the stand-in shares.
pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub notify: Notify,
    pub ids: Ids,
    pub config: StandInConfig,
    pub http_port: u16,
    pub ws_port: u16,
}

impl Shared {
    /// Lock the state; a panic elsewhere must not hide later assertions, so poisoning is ignored.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
    /// Something in the state changed: wake the waiters on what changed, and every waiter
    /// with an arbitrary predicate. Call without holding the lock.
    pub fn changed(&self) {
        let keyed = self.lock().watch.take_dirty();
        for listener in keyed {
            listener.notify_waiters();
        }
        self.notify.notify_waiters();
    }
    pub fn api_base(&self) -> String {
        format!("http://127.0.0.1:{}", self.http_port)
    }
    pub fn gateway_url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.ws_port)
    }
}
