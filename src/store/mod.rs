//! Every SQL statement of the program, behind a small typed API.
//!
//! SQLite through sqlx, in WAL mode. Every write transaction starts with
//! `BEGIN IMMEDIATE`, so concurrent writers queue on the busy timeout instead
//! of failing with "database is locked" when a read turns into a write.

mod ai;
mod db;
mod error;
mod forget;
pub mod ids;
mod lobbies;
mod notes;
mod queries;
mod sessions;
mod settings;
mod users;

pub use db::Store;
pub use error::StoreError;
pub use lobbies::{Lobby, LobbyId, LobbyMember, LobbyRole, LobbyStatus, NewLobby};
pub use notes::{NoteFilter, NoteRow};
pub use queries::{
    HistoryRow, LeaderRow, Leaderboard, LeaderboardQuery, Period, Scope, TopicAverage, UserStats,
    MIN_ANSWERED,
};
pub use sessions::{NewSession, RunningSession, SessionId, StoredSession};
pub use settings::GuildSettings;
