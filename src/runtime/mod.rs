//! The driver: turns events into stored transitions and armed deadlines.
//!
//! For each event: take the session's lock, load it (or take the copy this
//! process last stored, `transition`), let the engine apply the
//! event at the clock's `now`, store the result in one transaction, re-arm the
//! session's deadline, and only then hand the effects to whoever shows them.
//! A crash between storing and showing loses nothing that was shown.

mod board_sweep;
mod changes;
mod error;
mod export;
pub mod forget;
pub mod lanes;
mod lobbies;
pub mod lobby;
pub mod moderation;
pub mod notes;
mod packs;
mod recovery;
mod review;
mod scheduler;
mod service;
pub mod shards;
mod spaced;
mod start;
pub mod threads;
mod transition;

pub use board_sweep::BOARD_SWEEP_EVERY;
pub use error::RuntimeError;
pub use lobbies::LobbyPressed;
pub use packs::{GuildPack, ImportedPack};
pub use recovery::Recovery;
pub use service::Service;
pub use spaced::{Reminder, ReviewPlan};
pub use start::{Place, Planned, StartRequest};

use crate::bank::Bank;
use crate::interview::{Actor, Effect, Event, Press, UserId};
use crate::metrics::Metrics;
use crate::store::{ResolvedNote, SessionId, Store, StoredSession};
use crate::time::{Clock, Timestamp};
use scheduler::Scheduler;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock, Weak};
use tokio::sync::mpsc;

/// A stored transition and what to show for it.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub session: StoredSession,
    pub effects: Vec<Effect>,
    /// When a timer (not a person) caused the transition: the time it fired.
    pub fired_at: Option<Timestamp>,
    /// Follow-up notes this transition's answer resolved by covering their
    /// key point: the person is told.
    pub resolved_notes: Vec<ResolvedNote>,
}

/// What a transition applies: an event as it is, or a press to check first.
#[derive(Clone)]
enum Step {
    Event(Event),
    Press(Actor, Press),
}

#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    bank: RwLock<Arc<Bank>>,
    /// The shipped bank before the last reload, so that an interview on a
    /// question the reload removed can still finish.
    retired_bank: RwLock<Option<Arc<Bank>>>,
    /// Each server's pack and the bank built with it.
    packs: packs::PackCache,
    clock: Clock,
    /// Each session's lock, holding the state this process last stored or
    /// read for it (see `transition`).
    locks: Mutex<HashMap<SessionId, transition::SessionSlot>>,
    lobby_locks: lobbies::LobbyLocks,
    scheduler: Scheduler,
    deliveries: mpsc::UnboundedSender<Delivery>,
    /// Itself, for the background reviews a transition starts.
    this: Weak<Inner>,
    /// The AI reviewer, when the bot has one (`ai.base_url`).
    reviewer: RwLock<Option<Arc<crate::ai::Reviewer>>>,
    metrics: Metrics,
    /// The servers whose sessions this process arms, fires and recovers.
    ownership: shards::Ownership,
    /// This runtime among the processes that announce changes (random),
    /// so it ignores its own announcements.
    origin: u64,
}

impl Delivery {
    pub fn from_timer(&self) -> bool {
        self.fired_at.is_some()
    }

    /// Whether this transition ended the session (its thread can close).
    pub fn ended(&self) -> bool {
        self.effects.iter().any(|e| matches!(e, Effect::Ended(_)))
    }
}

impl Runtime {
    /// A runtime and the stream of timer-driven deliveries (reminders,
    /// timeouts, the next question) that its front end must show.
    pub fn new(
        store: Store,
        bank: Arc<Bank>,
        clock: Clock,
    ) -> (Runtime, mpsc::UnboundedReceiver<Delivery>) {
        Runtime::measured(store, bank, clock, Metrics::new())
    }

    /// As `new`, counting into `metrics` (the process's, which its
    /// `/metrics` endpoint serves).
    pub fn measured(
        store: Store,
        bank: Arc<Bank>,
        clock: Clock,
        metrics: Metrics,
    ) -> (Runtime, mpsc::UnboundedReceiver<Delivery>) {
        Runtime::owning(store, bank, clock, metrics, shards::Ownership::all())
    }

    /// As `measured`, for a process that owns only the servers of its
    /// shards (`serve --shards`): it arms, fires and recovers only theirs.
    pub fn owning(
        store: Store,
        bank: Arc<Bank>,
        clock: Clock,
        metrics: Metrics,
        ownership: shards::Ownership,
    ) -> (Runtime, mpsc::UnboundedReceiver<Delivery>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let runtime = Runtime {
            inner: Arc::new_cyclic(|weak| Inner {
                store,
                bank: RwLock::new(bank),
                retired_bank: RwLock::new(None),
                packs: Default::default(),
                scheduler: Scheduler::spawn(clock.clone(), weak.clone()),
                clock,
                locks: Mutex::new(HashMap::new()),
                lobby_locks: Default::default(),
                deliveries: tx,
                this: weak.clone(),
                reviewer: RwLock::new(None),
                metrics,
                ownership,
                origin: rand::random(),
            }),
        };
        (runtime, rx)
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The servers this process acts for on its own.
    pub fn ownership(&self) -> shards::Ownership {
        self.inner.ownership
    }

    /// Running sessions this process owns (for the operators' gauge).
    pub async fn running_here(&self) -> Result<usize, RuntimeError> {
        let guilds = self.inner.store.running_guilds().await?;
        Ok(guilds
            .into_iter()
            .filter(|g| self.inner.ownership.owns(*g))
            .count())
    }

    pub fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    /// The clock the runtime reads (for tasks that wait on it, such as
    /// daily reminders).
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The shipped bank, which every server shares (see `bank_for` for a
    /// server's own view, with its pack).
    pub fn bank(&self) -> Arc<Bank> {
        self.inner.bank()
    }

    /// Swaps in a new (already validated) bank for sessions from now on,
    /// and rebuilds each server's pack on it (CPU work: call it off the
    /// async workers when many servers have packs).
    pub fn set_bank(&self, bank: Arc<Bank>) {
        let old = {
            let mut b = self.inner.bank.write().unwrap_or_else(|p| p.into_inner());
            std::mem::replace(&mut *b, bank)
        };
        *self
            .inner
            .retired_bank
            .write()
            .unwrap_or_else(|p| p.into_inner()) = Some(old);
        self.inner.rebuild_packs();
    }

    /// Selects questions, starts the session and stores it with its first
    /// question asked.
    pub async fn start(&self, req: StartRequest) -> Result<Delivery, RuntimeError> {
        let thread = req.thread_id;
        let planned = self.plan(req).await?;
        self.begin(planned, thread).await
    }

    /// Applies an event to a session (the terminal's person, or the system:
    /// a leave, an abandon).
    pub async fn handle(&self, id: SessionId, event: Event) -> Result<Delivery, RuntimeError> {
        self.inner.transition(id, Step::Event(event), None).await
    }

    /// A participant left (the server or the thread): they leave the
    /// session, and what that changed goes out with the timer deliveries, in
    /// order with the rest of its thread. Someone not in it changes nothing.
    pub async fn leave(&self, id: SessionId, user: UserId) -> Result<bool, RuntimeError> {
        let d = self.handle(id, Event::Leave { user }).await?;
        let left = !d.effects.is_empty();
        if left {
            let _ = self.inner.deliveries.send(d);
        }
        Ok(left)
    }

    /// Applies what a person pressed, or refuses it with the engine's reason
    /// (wrong person, wrong turn, a question a deadline has closed since it
    /// was drawn, a hint already shown). The check and the change happen
    /// under the session's lock, the one timers take, so a press can never
    /// land on the next question. A press that only looks (opening a box)
    /// is checked and changes nothing.
    pub async fn press(
        &self,
        id: SessionId,
        actor: Actor,
        press: Press,
    ) -> Result<Delivery, RuntimeError> {
        self.inner
            .transition(id, Step::Press(actor, press), None)
            .await
    }

    /// Loads a session as stored.
    pub async fn session(&self, id: SessionId) -> Result<StoredSession, RuntimeError> {
        self.inner
            .store
            .load_session(id)
            .await?
            .ok_or(RuntimeError::NoSuchSession(id))
    }

    /// How many deadlines are armed (for diagnostics and benchmarks).
    pub fn armed(&self) -> usize {
        self.inner.scheduler.armed()
    }
}

impl Inner {
    fn bank(&self) -> Arc<Bank> {
        self.bank
            .read()
            .map(|b| Arc::clone(&b))
            .unwrap_or_else(|p| Arc::clone(&p.into_inner()))
    }

    /// Arms (or clears) a session's deadline, in the process that owns
    /// its server only: a press or a deletion handled here for another
    /// process's session leaves its timers to that process.
    fn arm(&self, id: SessionId, guild: Option<u64>, at: Option<Timestamp>) {
        let at = at.filter(|_| self.ownership.owns(guild));
        self.scheduler.arm(id, at);
    }
}
