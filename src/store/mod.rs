//! Every SQL statement of the program, behind a small typed API.
//!
//! SQLite (the embedded default) or PostgreSQL (several processes), through
//! sqlx's `Any` driver with one query text (`db.rs` says why; `backend.rs`
//! holds the few differences). On SQLite, in WAL mode, reads use a pool; every write goes
//! through one write connection, where writers queue in order instead of
//! napping in SQLite's busy handler, and every write transaction starts with
//! `BEGIN IMMEDIATE`, so another process's writer makes it wait (busy
//! timeout) instead of failing with "database is locked" when a read turns
//! into a write. Session transitions and starts are group-committed
//! (`writer`): many in one transaction, each in a savepoint of its own.

mod ai;
mod backend;
mod boards;
mod changes;
mod db;
mod error;
mod forget;
pub mod ids;
mod lobbies;
mod notes;
mod packs;
mod progress;
mod queries;
mod review;
mod sessions;
mod settings;
mod users;
mod writer;

pub use backend::Location;
pub use changes::{Change, ChangeListener, Heard, LISTENER_NAME};
pub use db::Store;
pub use error::StoreError;
pub use lobbies::{Lobby, LobbyId, LobbyMember, LobbyRole, LobbyStatus, NewLobby};
pub use notes::{NoteFilter, NoteRow, ResolvedNote};
pub use packs::StoredPack;
pub use progress::WeekPoint;
pub use queries::{
    HistoryRow, LeaderRow, Leaderboard, LeaderboardQuery, Period, Scope, TopicAverage, UserStats,
    MIN_ANSWERED,
};
pub use review::{day_of, ReminderTarget};
pub use sessions::{NewSession, RunningSession, SessionId, StoredSession};
pub use settings::GuildSettings;
pub use writer::WriteStats;
