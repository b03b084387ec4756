//! The AI reviewer's small tables (migration 0006): each server's switch,
//! each person's opt-out, the daily call count and the opinion cache. Each
//! is one statement on its own, never inside a session's transaction.

use super::db::Store;
use super::error::StoreError;
use super::ids;
use super::writer::stmt;
use crate::interview::UserId;
use crate::time::Timestamp;

impl Store {
    /// Whether a server turned AI feedback on (off until it does).
    pub async fn ai_enabled(&self, guild: u64) -> Result<bool, StoreError> {
        let on: Option<i64> =
            sqlx::query_scalar("SELECT enabled FROM ai_guilds WHERE guild_id = $1")
                .bind(ids::to_db(guild))
                .fetch_optional(&self.pool)
                .await?;
        Ok(on.is_some_and(|e| e != 0))
    }

    pub async fn set_ai_enabled(&self, guild: u64, on: bool) -> Result<(), StoreError> {
        self.write_one(
            stmt(
                "INSERT INTO ai_guilds (guild_id, enabled, updated_ms) VALUES ($1, $2, $3)
                 ON CONFLICT (guild_id) DO UPDATE SET enabled = excluded.enabled, updated_ms = excluded.updated_ms",
            )
            .bind(ids::to_db(guild))
            .bind(i64::from(on))
            .bind(Timestamp::system_now().millis()),
        )
        .await?;
        Ok(())
    }

    /// Whether a person keeps their answers away from the model.
    pub async fn ai_opted_out(&self, user: UserId) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ai_opt_outs WHERE user_id = $1")
            .bind(user.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    pub async fn set_ai_opt_out(&self, user: UserId, out: bool) -> Result<(), StoreError> {
        let change = if out {
            stmt("INSERT INTO ai_opt_outs (user_id, created_ms) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING")
                .bind(user.0)
                .bind(Timestamp::system_now().millis())
        } else {
            stmt("DELETE FROM ai_opt_outs WHERE user_id = $1").bind(user.0)
        };
        self.write_one(change).await?;
        Ok(())
    }

    /// Counts one model call for `guild` on `day` if the cap allows it, in
    /// one statement, so concurrent answers cannot pass the cap together.
    pub async fn take_ai_call(&self, guild: u64, day: i64, cap: u32) -> Result<bool, StoreError> {
        let counted = self
            .write_fetch_optional(
                stmt(
                    "INSERT INTO ai_usage (guild_id, day, calls) VALUES ($1, $2, 1)
                     ON CONFLICT (guild_id, day) DO UPDATE SET calls = ai_usage.calls + 1
                     WHERE ai_usage.calls < $3
                     RETURNING calls",
                )
                .bind(ids::to_db(guild))
                .bind(day)
                .bind(i64::from(cap)),
            )
            .await?;
        Ok(counted.is_some())
    }

    /// Model calls `guild` made on `day`.
    pub async fn ai_calls(&self, guild: u64, day: i64) -> Result<u32, StoreError> {
        let n: Option<i64> =
            sqlx::query_scalar("SELECT calls FROM ai_usage WHERE guild_id = $1 AND day = $2")
                .bind(ids::to_db(guild))
                .bind(day)
                .fetch_optional(&self.pool)
                .await?;
        Ok(n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0))
    }

    /// The cached opinion (JSON) of this answer to this question.
    pub async fn ai_cached(
        &self,
        question_id: &str,
        answer: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT opinion FROM ai_cache WHERE question_id = $1 AND answer = $2",
        )
        .bind(question_id)
        .bind(answer)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Keeps the first opinion of an answer. The conflict has no target:
    /// PostgreSQL keys the cache by the answer's md5 (a 4,000-character
    /// answer can exceed its index entry limit), SQLite by the answer.
    pub async fn put_ai_cache(
        &self,
        question_id: &str,
        answer: &str,
        opinion: &str,
        user: UserId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.write_one(
            stmt(
                "INSERT INTO ai_cache (question_id, answer, opinion, user_id, created_ms)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .bind(question_id)
            .bind(answer)
            .bind(opinion)
            .bind(user.0)
            .bind(now.millis()),
        )
        .await?;
        Ok(())
    }
}
