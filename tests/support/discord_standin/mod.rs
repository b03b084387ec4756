//! A Discord stand-in on 127.0.0.1 for end-to-end tests of a serenity 0.12.5 / poise 0.7.1 bot.
//!
//! It serves the REST API (`api_base()`, for `HttpBuilder::proxy` with the rate limiter
//! disabled) and the gateway (`ws://`, found by serenity through `GET /api/v10/gateway`), keeps
//! one guild with text channels and test users, records every request, refuses what Discord
//! would refuse (recorded as violations), and proves that every event it sends parses in
//! serenity before sending it.
//!
//! ```ignore
//! let discord = StandIn::start().await;
//! let http = serenity::HttpBuilder::new(discord.token())
//!     .proxy(discord.api_base())
//!     .ratelimiter_disabled(true)
//!     .build();
//! // start the bot: ClientBuilder::new_with_http(http, intents).framework(..)
//! discord.wait_for_ready(T).await;
//! let cmd = discord.slash_command(discord.alice(), discord.channel_id(), "interview start",
//!     &[("topic", json!("python"))]);
//! let answer = cmd.response(T).await; // the callback the bot POSTed
//! discord.assert_clean();             // no Discord rule broken, no unknown route
//! ```
//!
//! Notes:
//! - Waits use tokio timers: do not pause the clock (`tokio::time::pause`) in tests that run
//!   the bot against the stand-in, or every timeout fires at once.
//! - Injections (`slash_command`, `press_button`, ...) need the bot's gateway session: call
//!   `wait_for_ready` first. An injection no Discord client could make panics.
//! - Intents are honoured: without GUILD_MEMBERS, member events are withheld; without
//!   MESSAGE_CONTENT, other users' message text arrives empty (see `withheld_events`).

// Each integration-test crate (tests/*.rs) compiles this module privately and uses only part of
// its API; the rest would warn as dead code there.
#![allow(dead_code, unused_imports)]

mod callbacks;
mod dms;
mod gateway;
mod hold;
mod http;
mod index;
mod interactions;
mod limits;
mod messages;
mod model;
mod routes;
mod state;
mod strict;
mod users;
mod watch;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use interactions::InteractionHandle;
pub use state::{
    intents, perms, Callback, ChannelState, InteractionRecord, MessageSource, RecordedRequest,
    SentEvent, State, StoredMessage, TestUser, Violation, WithheldEvent,
};
pub use strict::{assert_parses_in_serenity, check_dispatch};

use state::{Ids, Shared};

/// Knobs for one stand-in.
#[derive(Clone, Debug)]
pub struct StandInConfig {
    /// The bot token the stand-in accepts (REST `Authorization: Bot <token>` and IDENTIFY).
    pub token: String,
    /// HELLO's heartbeat interval.
    pub heartbeat_interval: Duration,
    /// How long the bot has to answer an interaction (Discord: 3 s).
    pub interaction_deadline: Duration,
    /// Permission bits of the bot's role (see [`perms`]).
    pub bot_permissions: u64,
    /// `(shard, total)`: a guild id that Discord routes to that shard
    /// (`(id >> 22) % total`); IDENTIFY must then name that shard, as a
    /// real gateway would send this guild to no other. None: any guild id,
    /// any shard.
    pub guild_shard: Option<(u64, u64)>,
}

impl Default for StandInConfig {
    fn default() -> Self {
        StandInConfig {
            token: "standin.bot.token".to_owned(),
            heartbeat_interval: Duration::from_millis(2500),
            interaction_deadline: Duration::from_secs(3),
            bot_permissions: perms::BOT_DEFAULT,
            guild_shard: None,
        }
    }
}

/// The running stand-in. Dropping it stops its servers.
pub struct StandIn {
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for StandIn {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        let mut st = self.shared.lock();
        st.gateway.current = None;
    }
}

impl StandIn {
    /// Start with the default configuration on 127.0.0.1 (random ports).
    pub async fn start() -> StandIn {
        StandIn::start_with(StandInConfig::default()).await
    }

    pub async fn start_with(config: StandInConfig) -> StandIn {
        let http_listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the stand-in's REST port");
        let ws_listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the stand-in's gateway port");
        let http_port = http_listener
            .local_addr()
            .expect("REST listener address")
            .port();
        let ws_port = ws_listener
            .local_addr()
            .expect("gateway listener address")
            .port();

        let mut seed = State::new(
            &Ids {
                application: 0,
                bot_user: 0,
                guild: 0,
                owner: 0,
                category: 0,
                channel: 0,
                second_channel: 0,
                everyone_role: 0,
                moderator_role: 0,
                bot_role: 0,
            },
            &config,
        );
        let application = seed.next_id();
        let mut guild = seed.next_id();
        if let Some((shard, total)) = config.guild_shard {
            // A later timestamp part: a few milliseconds ahead at most.
            while (guild >> 22) % total != shard {
                guild += 1 << 22;
            }
        }
        let ids = Ids {
            application,
            bot_user: application, // modern bots: the bot user id is the application id
            guild,
            owner: seed.next_id(),
            category: seed.next_id(),
            channel: seed.next_id(),
            second_channel: seed.next_id(),
            everyone_role: guild, // @everyone's id is the guild id
            moderator_role: seed.next_id(),
            bot_role: seed.next_id(),
        };
        let mut st = State::new(&ids, &config);
        let now = model::now_timestamp();
        let add = |st: &mut State, id: u64, name: &str, roles: Vec<u64>, bot: bool| {
            st.push_user(TestUser {
                id,
                name: name.to_owned(),
                roles,
                bot,
                joined_at: now.clone(),
                in_guild: true,
            });
        };
        add(
            &mut st,
            ids.bot_user,
            "interview-bot",
            vec![ids.bot_role],
            true,
        );
        add(&mut st, ids.owner, "owner", vec![], false);
        for name in ["alice", "bob", "carol", "dave"] {
            let id = seed.next_id();
            add(&mut st, id, name, vec![], false);
        }
        let admin = seed.next_id();
        add(&mut st, admin, "admin", vec![ids.moderator_role], false);
        // Later ids (messages, threads, interactions) must be above every fixed id.
        while st.next_id() <= admin.max(guild) {}

        let shared = Arc::new(Shared {
            state: Mutex::new(st),
            notify: tokio::sync::Notify::new(),
            ids,
            config,
            http_port,
            ws_port,
        });
        let tasks = vec![
            tokio::spawn(http::serve(Arc::clone(&shared), http_listener)),
            tokio::spawn(gateway::serve(Arc::clone(&shared), ws_listener)),
        ];
        StandIn { shared, tasks }
    }

    // ------------------------------------------------------------------ wiring

    /// `http://127.0.0.1:PORT`: give it to `HttpBuilder::proxy` (with `.ratelimiter_disabled(true)`).
    pub fn api_base(&self) -> String {
        self.shared.api_base()
    }
    /// `ws://127.0.0.1:PORT` (what `GET /api/v10/gateway` answers).
    pub fn gateway_url(&self) -> String {
        self.shared.gateway_url()
    }
    /// The token the stand-in accepts.
    pub fn token(&self) -> &str {
        &self.shared.config.token
    }
    /// A serenity `Http` wired to this stand-in (proxy + rate limiter disabled, application id
    /// set), e.g. to act as the bot in a test without a gateway.
    pub fn serenity_http(&self) -> serenity::http::Http {
        serenity::http::HttpBuilder::new(self.token())
            .proxy(self.api_base())
            .ratelimiter_disabled(true)
            .application_id(serenity::model::id::ApplicationId::new(
                self.application_id(),
            ))
            .build()
    }

    // ------------------------------------------------------------------ the world's ids

    pub fn application_id(&self) -> u64 {
        self.shared.ids.application
    }
    pub fn bot_user_id(&self) -> u64 {
        self.shared.ids.bot_user
    }
    pub fn guild_id(&self) -> u64 {
        self.shared.ids.guild
    }
    /// The text channel `#interviews`.
    pub fn channel_id(&self) -> u64 {
        self.shared.ids.channel
    }
    /// A second text channel, `#general`.
    pub fn second_channel_id(&self) -> u64 {
        self.shared.ids.second_channel
    }
    /// The role that grants Manage Server (held by `admin`).
    pub fn admin_role_id(&self) -> u64 {
        self.shared.ids.moderator_role
    }
    /// The guild owner (implicitly every permission; not one of the test actors).
    pub fn owner_id(&self) -> u64 {
        self.shared.ids.owner
    }
    /// A test user's id by name: alice, bob, carol, dave, admin, owner (or one from `add_member`).
    pub fn user_id(&self, name: &str) -> u64 {
        self.shared
            .lock()
            .user_by_name(name)
            .map(|u| u.id)
            .unwrap_or_else(|| panic!("no test user named {name:?}"))
    }
    pub fn alice(&self) -> u64 {
        self.user_id("alice")
    }
    pub fn bob(&self) -> u64 {
        self.user_id("bob")
    }
    pub fn carol(&self) -> u64 {
        self.user_id("carol")
    }
    pub fn dave(&self) -> u64 {
        self.user_id("dave")
    }
    /// Holds the "Interview Admin" role (Manage Server).
    pub fn admin(&self) -> u64 {
        self.user_id("admin")
    }
    /// Refuse (403) the bot's messages in threads from now on, while thread
    /// creation still works: a post that fails after its thread was made.
    pub fn refuse_thread_posts(&self, refuse: bool) {
        self.shared.lock().refuse_thread_posts = refuse;
    }

    /// Hold the bot's message posts in `channel` (or with `None` in every channel): each
    /// `POST /channels/{id}/messages` stays unanswered until released, like a slow or
    /// rate-limited channel, without the test waiting real time.
    pub fn hold_messages(&self, channel: Option<u64>) {
        self.shared.lock().holds.hold(channel);
        self.shared.changed();
    }
    /// Release held posts of `channel` (or with `None` every hold); they are then answered.
    pub fn release_messages(&self, channel: Option<u64>) {
        self.shared.lock().holds.release(channel);
        self.shared.changed();
    }
    /// Message posts waiting in `channel` (or with `None` in every channel) right now.
    pub fn held_messages(&self, channel: Option<u64>) -> usize {
        self.shared.lock().holds.waiting(channel)
    }
    /// Wait until at least `count` message posts wait in `channel` (`None`: any channel).
    pub async fn wait_for_held_messages(
        &self,
        channel: Option<u64>,
        count: usize,
        timeout: Duration,
    ) {
        wait_on(
            &self.shared,
            timeout,
            &format!("{count} held message posts in {channel:?}"),
            |st| (st.holds.waiting(channel) >= count).then_some(()),
        )
        .await
    }
    /// Change the bot role's permissions (takes effect for later requests and interactions).
    pub fn set_bot_permissions(&self, bits: u64) {
        self.shared.lock().bot_permissions = bits;
    }

    // ------------------------------------------------------------------ gateway

    /// Wait until the bot identified and got READY and GUILD_CREATE.
    pub async fn wait_for_ready(&self, timeout: Duration) {
        wait_on(
            &self.shared,
            timeout,
            "READY and GUILD_CREATE sent to the bot",
            |st| {
                let sent = |n: &str| {
                    st.gateway
                        .sent
                        .iter()
                        .any(|e| e.name == n && e.delivered_live)
                };
                (sent("READY") && sent("GUILD_CREATE")).then_some(())
            },
        )
        .await
    }

    /// How many times the bot sent IDENTIFY.
    pub fn identify_count(&self) -> usize {
        self.shared.lock().gateway.identifies.len()
    }
    /// How many times the bot sent RESUME.
    pub fn resume_count(&self) -> usize {
        self.shared.lock().gateway.resumes.len()
    }
    /// WebSocket connections accepted so far.
    pub fn connection_count(&self) -> usize {
        self.shared.lock().gateway.connections
    }
    pub fn heartbeat_count(&self) -> usize {
        self.shared.lock().gateway.heartbeats
    }
    /// The sequence number in the bot's last heartbeat: the last dispatch its shard processed.
    pub fn last_heartbeat_seq(&self) -> Option<u64> {
        self.shared.lock().gateway.last_heartbeat_seq
    }
    /// Whether a gateway connection is live (identified or resumed).
    pub fn gateway_connected(&self) -> bool {
        self.shared.lock().gateway.current.is_some()
    }
    /// The IDENTIFY payloads the bot sent (token included: keep out of logs).
    pub fn identify_payloads(&self) -> Vec<serde_json::Value> {
        self.shared.lock().gateway.identifies.clone()
    }
    /// The codes of the close frames the bot sent (None: a close frame without a code). A
    /// process that dies without logging off sends none.
    pub fn client_close_codes(&self) -> Vec<Option<u16>> {
        self.shared.lock().gateway.client_closes.clone()
    }
    /// Intents of the current session.
    pub fn session_intents(&self) -> u64 {
        self.shared.lock().session_intents()
    }

    /// Close the live gateway connection with `code` (use a non-1000 code such as 4000 so
    /// serenity resumes). Events produced until the bot resumes are replayed on RESUME.
    /// Returns false if no connection was live.
    pub fn force_close_gateway(&self, code: u16) -> bool {
        let closed = gateway::force_close(&mut self.shared.lock(), code);
        self.shared.changed();
        closed
    }

    /// Send op 7 RECONNECT (the bot should reconnect and resume).
    pub fn send_reconnect(&self) {
        let r = gateway::send_control(
            &mut self.shared.lock(),
            serde_json::json!({"op": 7, "d": null, "s": null, "t": null}),
        );
        r.unwrap_or_else(|e| panic!("discord stand-in: {e}"));
    }

    /// Send op 9 INVALID_SESSION.
    pub fn invalidate_session(&self, resumable: bool) {
        let r = gateway::send_control(
            &mut self.shared.lock(),
            serde_json::json!({"op": 9, "d": resumable, "s": null, "t": null}),
        );
        r.unwrap_or_else(|e| panic!("discord stand-in: {e}"));
    }

    /// Dispatch any event (after proving serenity parses it). Returns its sequence number, or
    /// `None` if withheld because the bot lacks the intent. Panics if not parseable.
    pub fn dispatch(&self, name: &str, d: serde_json::Value) -> Option<u64> {
        let seq = gateway::dispatch_locked(&self.shared, &mut self.shared.lock(), name, d)
            .unwrap_or_else(|e| panic!("discord stand-in: {e}"));
        self.shared.changed();
        seq
    }

    /// Wait until the bot has sent at least `count` RESUMEs and a connection is live again.
    pub async fn wait_for_resume(&self, count: usize, timeout: Duration) {
        wait_on(
            &self.shared,
            timeout,
            &format!("RESUME number {count} and a live connection"),
            |st| {
                let resumed = st
                    .gateway
                    .sent
                    .iter()
                    .filter(|e| e.name == "RESUMED")
                    .count();
                (st.gateway.resumes.len() >= count
                    && resumed >= count
                    && st.gateway.current.is_some())
                .then_some(())
            },
        )
        .await
    }

    /// Every dispatch produced so far (all sessions), in order.
    pub fn sent_events(&self) -> Vec<SentEvent> {
        self.shared.lock().gateway.sent.clone()
    }
    /// Dispatches not sent because the bot lacks the required intent.
    pub fn withheld_events(&self) -> Vec<WithheldEvent> {
        self.shared.lock().gateway.withheld.clone()
    }
    /// Wait until the bot's shard has processed dispatch `seq` (its heartbeat carries it).
    pub async fn wait_for_bot_seq(&self, seq: u64, timeout: Duration) {
        wait_on(
            &self.shared,
            timeout,
            &format!("a heartbeat acknowledging seq {seq}"),
            |st| {
                st.gateway
                    .last_heartbeat_seq
                    .filter(|s| *s >= seq)
                    .map(|_| ())
            },
        )
        .await
    }

    // ------------------------------------------------------------------ inspection

    /// Run `f` on the state under the lock (for anything the helpers below do not cover).
    pub fn inspect<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.shared.lock())
    }
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }
    /// Requests to routes the stand-in does not know (answered 404).
    pub fn unknown_routes(&self) -> Vec<RecordedRequest> {
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| r.route.is_none())
            .cloned()
            .collect()
    }
    pub fn violations(&self) -> Vec<Violation> {
        self.shared.lock().violations.clone()
    }
    pub fn internal_errors(&self) -> Vec<String> {
        self.shared.lock().internal_errors.clone()
    }
    /// Live messages of a channel or thread, oldest first.
    /// The DM channel the bot opened with `user`, if it did.
    pub fn dm_channel_of(&self, user: u64) -> Option<u64> {
        let st = self.shared.lock();
        st.channels
            .iter()
            .find(|c| c.kind == dms::DM && c.owner_id == Some(user))
            .map(|c| c.id)
    }
    /// From now on the bot's direct messages to `user` are refused (403 50007).
    pub fn close_dms(&self, user: u64) {
        self.shared.lock().dms_closed.insert(user);
    }
    pub fn messages_in(&self, channel_id: u64) -> Vec<StoredMessage> {
        self.shared.lock().channel_messages(channel_id)
    }
    pub fn message(&self, id: u64) -> Option<StoredMessage> {
        self.shared.lock().message(id).cloned()
    }
    pub fn threads(&self) -> Vec<ChannelState> {
        self.shared.lock().threads()
    }
    pub fn channel(&self, id: u64) -> Option<ChannelState> {
        self.shared.lock().channel(id).cloned()
    }
    pub fn interaction(&self, id: u64) -> Option<InteractionRecord> {
        self.shared.lock().interaction(id).cloned()
    }
    /// Commands as registered (guild commands first), as the stand-in echoed them.
    pub fn registered_commands(&self) -> Vec<serde_json::Value> {
        let st = self.shared.lock();
        st.guild_commands
            .iter()
            .chain(st.global_commands.iter())
            .cloned()
            .collect()
    }

    // ------------------------------------------------------------------ waiting

    /// Wait until `f` returns `Some` (re-checked whenever the stand-in's state changes).
    /// Panics after `timeout` with a summary of what happened.
    pub async fn wait_until<T>(
        &self,
        timeout: Duration,
        what: &str,
        f: impl FnMut(&State) -> Option<T>,
    ) -> T {
        wait_on(&self.shared, timeout, what, f).await
    }

    /// Wait for a recorded REST request matching `pred` (already recorded ones count).
    pub async fn wait_for_request(
        &self,
        timeout: Duration,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> RecordedRequest {
        wait_on(&self.shared, timeout, "a matching REST request", |st| {
            st.requests.iter().find(|r| pred(r)).cloned()
        })
        .await
    }

    /// Wait for a live message in `channel_id` matching `pred`.
    pub async fn wait_for_message(
        &self,
        channel_id: u64,
        timeout: Duration,
        pred: impl Fn(&StoredMessage) -> bool,
    ) -> StoredMessage {
        wait_keyed(
            &self.shared,
            watch::Key::Channel(channel_id),
            timeout,
            &format!("a matching message in channel {channel_id}"),
            |st| {
                st.messages_of(channel_id)
                    .find(|m| !m.deleted && pred(m))
                    .cloned()
            },
        )
        .await
    }

    /// Wait for a thread matching `pred`.
    pub async fn wait_for_thread(
        &self,
        timeout: Duration,
        pred: impl Fn(&ChannelState) -> bool,
    ) -> ChannelState {
        wait_on(&self.shared, timeout, "a matching thread", |st| {
            st.channels
                .iter()
                .find(|c| c.is_thread() && pred(c))
                .cloned()
        })
        .await
    }

    /// Panics (listing them) if the bot broke a Discord rule, called an unknown route, or the
    /// stand-in hit an internal problem.
    pub fn assert_clean(&self) {
        let st = self.shared.lock();
        let unknown: Vec<String> = st
            .requests
            .iter()
            .filter(|r| r.route.is_none())
            .map(RecordedRequest::line)
            .collect();
        if st.violations.is_empty() && st.internal_errors.is_empty() && unknown.is_empty() {
            return;
        }
        let violations: Vec<String> = st
            .violations
            .iter()
            .map(|v| format!("{} {}: {}", v.method, v.path, v.rule))
            .collect();
        panic!(
            "discord stand-in saw problems:\nviolations: {violations:#?}\nunknown routes: {unknown:#?}\ninternal errors: {:#?}",
            st.internal_errors
        );
    }

    /// A readable summary of the recent traffic (for failure messages).
    pub fn summary(&self) -> String {
        summary(&self.shared.lock())
    }
}

fn summary(st: &State) -> String {
    let requests: Vec<String> = st
        .requests
        .iter()
        .rev()
        .take(25)
        .rev()
        .map(RecordedRequest::line)
        .collect();
    let events: Vec<String> = st
        .gateway
        .sent
        .iter()
        .rev()
        .take(25)
        .rev()
        .map(|e| format!("{} {}", e.seq, e.name))
        .collect();
    // The last 25 of each list: a long run's whole history would bury the point.
    let violations: Vec<&str> = last(&st.violations, 25)
        .iter()
        .map(|v| v.rule.as_str())
        .collect();
    format!(
        "last requests: {requests:#?}\nlast dispatches: {events:#?}\nwithheld: {:?}\nviolations: {violations:#?}\ninternal errors: {:#?}\nidentifies: {}, resumes: {}, live: {}",
        last(&st.gateway.withheld, 25)
            .iter()
            .map(|w| w.name.as_str())
            .collect::<Vec<_>>(),
        last(&st.internal_errors, 25),
        st.gateway.identifies.len(),
        st.gateway.resumes.len(),
        st.gateway.current.is_some()
    )
}

fn last<T>(list: &[T], n: usize) -> &[T] {
    &list[list.len().saturating_sub(n)..]
}

/// Wait until `f` yields `Some`, re-checking whenever `key` changes (`f` must read nothing
/// else that can change: a channel's messages, or an interaction and its messages). Panics on
/// timeout.
pub(crate) async fn wait_keyed<T>(
    shared: &Shared,
    key: watch::Key,
    timeout: Duration,
    what: &str,
    mut f: impl FnMut(&State) -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + timeout;
    // Forgets the key however this ends (a caller may stop waiting early); declared before
    // the listener, so it runs after the listener is dropped.
    let _forget = Forget(shared, key);
    let listener = shared.lock().watch.listen(key);
    let found = loop {
        let notified = listener.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if let Some(v) = f(&shared.lock()) {
            break Some(v);
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            break f(&shared.lock());
        }
    };
    drop(listener);
    match found {
        Some(v) => v,
        None => {
            let traffic = summary(&shared.lock());
            panic!("discord stand-in: timed out after {timeout:?} waiting for {what}\n{traffic}")
        }
    }
}

/// Drops a keyed waiter's interest when it is done.
struct Forget<'a>(&'a Shared, watch::Key);

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        self.0.lock().watch.forget(self.1);
    }
}

/// Wait until `f` yields `Some`, re-checking on every state change. Panics on timeout.
pub(crate) async fn wait_on<T>(
    shared: &Shared,
    timeout: Duration,
    what: &str,
    mut f: impl FnMut(&State) -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let notified = shared.notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if let Some(v) = f(&shared.lock()) {
            return v;
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            let st = shared.lock();
            if let Some(v) = f(&st) {
                return v;
            }
            panic!(
                "discord stand-in: timed out after {timeout:?} waiting for {what}\n{}",
                summary(&st)
            );
        }
    }
}
