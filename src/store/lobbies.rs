//! Lobbies of group panels: stored so a lobby survives a restart.

use super::db::Store;
use super::error::StoreError;
use super::ids;
use super::writer::stmt;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

pub type LobbyId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LobbyRole {
    Candidate,
    Interviewer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LobbyMember {
    pub discord_id: u64,
    pub name: String,
    pub role: LobbyRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LobbyStatus {
    Open,
    Started,
    Cancelled,
    Expired,
}

impl LobbyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LobbyStatus::Open => "open",
            LobbyStatus::Started => "started",
            LobbyStatus::Cancelled => "cancelled",
            LobbyStatus::Expired => "expired",
        }
    }

    fn parse(s: &str) -> LobbyStatus {
        match s {
            "started" => LobbyStatus::Started,
            "cancelled" => LobbyStatus::Cancelled,
            "expired" => LobbyStatus::Expired,
            _ => LobbyStatus::Open,
        }
    }
}

/// What `/panel create` asked for, and who has joined since.
#[derive(Debug, Clone, PartialEq)]
pub struct Lobby {
    pub id: LobbyId,
    pub guild: u64,
    pub channel: u64,
    pub message: Option<u64>,
    pub creator: u64,
    pub topic: String,
    pub difficulty: String,
    pub questions: u8,
    pub minutes: Option<u8>,
    pub members: Vec<LobbyMember>,
    pub created: Timestamp,
    pub status: LobbyStatus,
}

/// A new lobby, before it has an id.
#[derive(Debug, Clone)]
pub struct NewLobby {
    pub guild: u64,
    pub channel: u64,
    pub creator: u64,
    pub topic: String,
    pub difficulty: String,
    pub questions: u8,
    pub minutes: Option<u8>,
    pub created: Timestamp,
}

const COLUMNS: &str = "id, guild_id, channel_id, message_id, creator_id, topic, difficulty, questions, minutes, members, created_ms, status";

fn lobby_from(r: &AnyRow) -> Result<Lobby, StoreError> {
    let id: i64 = r.get("id");
    let members: String = r.get("members");
    Ok(Lobby {
        id,
        guild: ids::from_db(r.get("guild_id")),
        channel: ids::from_db(r.get("channel_id")),
        message: r.get::<Option<i64>, _>("message_id").map(ids::from_db),
        creator: ids::from_db(r.get("creator_id")),
        topic: r.get("topic"),
        difficulty: r.get("difficulty"),
        questions: u8::try_from(r.get::<i64, _>("questions")).unwrap_or(1),
        minutes: r
            .get::<Option<i64>, _>("minutes")
            .and_then(|m| u8::try_from(m).ok()),
        members: serde_json::from_str(&members)
            .map_err(|source| StoreError::CorruptState { id, source })?,
        created: Timestamp(r.get("created_ms")),
        status: LobbyStatus::parse(r.get::<String, _>("status").as_str()),
    })
}

impl Store {
    /// Stores a new open lobby and returns it, in one statement.
    pub async fn create_lobby(&self, l: &NewLobby) -> Result<Lobby, StoreError> {
        let row = sqlx::query(&format!(
            "INSERT INTO panel_lobbies (guild_id, channel_id, creator_id, topic, difficulty, questions, minutes, created_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {COLUMNS}"
        ))
        .bind(ids::to_db(l.guild))
        .bind(ids::to_db(l.channel))
        .bind(ids::to_db(l.creator))
        .bind(&l.topic)
        .bind(&l.difficulty)
        .bind(i64::from(l.questions))
        .bind(l.minutes.map(i64::from))
        .bind(l.created.millis())
        .fetch_one(&mut *self.write_conn().await?)
        .await?;
        lobby_from(&row)
    }

    /// Removes a lobby whose message could not be posted.
    pub async fn delete_lobby(&self, id: LobbyId) -> Result<(), StoreError> {
        self.write_one(stmt("DELETE FROM panel_lobbies WHERE id = $1").bind(id))
            .await?;
        Ok(())
    }

    pub async fn set_lobby_message(&self, id: LobbyId, message: u64) -> Result<(), StoreError> {
        self.write_one(
            stmt("UPDATE panel_lobbies SET message_id = $1 WHERE id = $2")
                .bind(ids::to_db(message))
                .bind(id),
        )
        .await?;
        Ok(())
    }

    pub async fn lobby(&self, id: LobbyId) -> Result<Option<Lobby>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM panel_lobbies WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(lobby_from).transpose()
    }

    /// Changes a lobby in one write transaction, so two quick presses (which
    /// serenity handles concurrently) cannot lose each other's change. `f`
    /// sees the stored lobby and may change its members and status; its
    /// error leaves the lobby as it was.
    pub async fn update_lobby<T, E>(
        &self,
        id: LobbyId,
        f: impl FnOnce(&mut Lobby) -> Result<T, E>,
    ) -> Result<Option<Result<(Lobby, T), E>>, StoreError> {
        let mut tx = self.write().await?;
        // Locked until the commit on PostgreSQL (see `Backend::for_update`);
        // on SQLite the write transaction already excludes other writers.
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM panel_lobbies WHERE id = $1{}",
            self.backend.for_update()
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut lobby = lobby_from(&row)?;
        let out = match f(&mut lobby) {
            Ok(out) => out,
            Err(e) => return Ok(Some(Err(e))),
        };
        let members = serde_json::to_string(&lobby.members)
            .map_err(|source| StoreError::CorruptState { id, source })?;
        sqlx::query("UPDATE panel_lobbies SET members = $1, status = $2 WHERE id = $3")
            .bind(members)
            .bind(lobby.status.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(Ok((lobby, out))))
    }

    /// Marks open lobbies created before `before` in the servers `keep`
    /// accepts expired and returns them (their messages still say "open"
    /// and need editing). Another process's servers are left to it.
    pub async fn expire_lobbies(
        &self,
        before: Timestamp,
        keep: impl Fn(u64) -> bool,
    ) -> Result<Vec<Lobby>, StoreError> {
        let stale = sqlx::query(
            "SELECT id, guild_id FROM panel_lobbies WHERE status = 'open' AND created_ms < $1",
        )
        .bind(before.millis())
        .fetch_all(&self.pool)
        .await?;
        let mut expired = Vec::new();
        for row in stale {
            if !keep(ids::from_db(row.get("guild_id"))) {
                continue;
            }
            // Still open: a press may have started it since the read.
            let done = sqlx::query(&format!(
                "UPDATE panel_lobbies SET status = 'expired'
                 WHERE id = $1 AND status = 'open' RETURNING {COLUMNS}"
            ))
            .bind(row.get::<i64, _>("id"))
            .fetch_optional(&mut *self.write_conn().await?)
            .await?;
            if let Some(r) = done {
                expired.push(lobby_from(&r)?);
            }
        }
        Ok(expired)
    }
}
