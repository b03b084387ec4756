use super::db::Store;
use super::error::StoreError;
use super::ids;
use super::writer::{stmt, Stmt};
use crate::interview::UserId;
use crate::time::Timestamp;

impl Store {
    /// The user for a terminal name, created on first use.
    pub async fn local_user(&self, name: &str) -> Result<UserId, StoreError> {
        let known = sqlx::query_as("SELECT id, display_name FROM users WHERE local_name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        self.known_or_stored(known, name, || {
            stmt(
                "INSERT INTO users (local_name, display_name, created_ms) VALUES ($1, $1, $2)
                 ON CONFLICT (local_name) DO UPDATE SET display_name = excluded.display_name
                 RETURNING id",
            )
            .bind(name)
            .bind(Timestamp::system_now().millis())
        })
        .await
    }

    /// The user for a Discord account, created on first use; the display
    /// name is refreshed each time it changed.
    pub async fn discord_user(&self, discord_id: u64, name: &str) -> Result<UserId, StoreError> {
        let known = sqlx::query_as("SELECT id, display_name FROM users WHERE discord_id = $1")
            .bind(ids::to_db(discord_id))
            .fetch_optional(&self.pool)
            .await?;
        self.known_or_stored(known, name, || {
            stmt(
                "INSERT INTO users (discord_id, display_name, created_ms) VALUES ($1, $2, $3)
                 ON CONFLICT (discord_id) DO UPDATE SET display_name = excluded.display_name
                 RETURNING id",
            )
            .bind(ids::to_db(discord_id))
            .bind(name)
            .bind(Timestamp::system_now().millis())
        })
        .await
    }

    /// The user for a Discord account if it has any data here.
    pub async fn find_discord_user(&self, discord_id: u64) -> Result<Option<UserId>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE discord_id = $1")
            .bind(ids::to_db(discord_id))
            .fetch_optional(&self.pool)
            .await?;
        Ok(id.map(UserId))
    }

    pub async fn discord_id_of(&self, user: UserId) -> Result<Option<u64>, StoreError> {
        let id: Option<Option<i64>> =
            sqlx::query_scalar("SELECT discord_id FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(id.flatten().map(ids::from_db))
    }

    pub async fn user_name(&self, user: UserId) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Hides (or shows) the user on leaderboards.
    pub async fn set_hidden(&self, user: UserId, hidden: bool) -> Result<(), StoreError> {
        self.write_one(
            stmt("UPDATE users SET hidden = $1 WHERE id = $2")
                .bind(i64::from(hidden))
                .bind(user.0),
        )
        .await?;
        Ok(())
    }

    /// Removes the user and everything about them: answers, ratings, notes
    /// about them, their own solo sessions and their seat in lobbies. Panels
    /// they were in stay for the other people, but their stored state is not
    /// scrubbed here: with sessions that may still run, use
    /// `Runtime::forget_person`, which scrubs them first.
    pub async fn delete_user(&self, user: UserId) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        super::forget::delete_in(&mut tx, user).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// The known user when their stored name is already `name`; otherwise
    /// `upsert` (a statement returning their id) stores them, through the
    /// writer.
    async fn known_or_stored(
        &self,
        known: Option<(i64, String)>,
        name: &str,
        upsert: impl FnOnce() -> Stmt,
    ) -> Result<UserId, StoreError> {
        if let Some(id) = unchanged(known, name) {
            return Ok(id);
        }
        Ok(UserId(self.write_fetch_one(upsert()).await?.int(0)?))
    }
}

/// A known user whose stored name is already `name`: nothing to write.
/// Every interaction looks its presser up, so this keeps a read a read
/// instead of queueing it behind the writes.
fn unchanged(known: Option<(i64, String)>, name: &str) -> Option<UserId> {
    known
        .filter(|(_, stored)| stored == name)
        .map(|(id, _)| UserId(id))
}
