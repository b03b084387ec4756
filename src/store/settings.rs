use super::db::Store;
use super::error::StoreError;
use super::ids;
use crate::time::Timestamp;
use sqlx::Row;

/// What a server's admins chose with `/config`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuildSettings {
    pub default_minutes: Option<u32>,
    pub interview_channel_id: Option<u64>,
    pub interviewer_role_id: Option<u64>,
}

impl Store {
    pub async fn guild_settings(&self, guild: u64) -> Result<GuildSettings, StoreError> {
        let row = sqlx::query(
            "SELECT default_minutes, interview_channel_id, interviewer_role_id FROM guild_settings WHERE guild_id = $1",
        )
        .bind(ids::to_db(guild))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| GuildSettings {
                default_minutes: r
                    .get::<Option<i64>, _>(0)
                    .and_then(|m| u32::try_from(m).ok()),
                interview_channel_id: r.get::<Option<i64>, _>(1).map(ids::from_db),
                interviewer_role_id: r.get::<Option<i64>, _>(2).map(ids::from_db),
            })
            .unwrap_or_default())
    }

    pub async fn set_guild_settings(
        &self,
        guild: u64,
        s: &GuildSettings,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO guild_settings (guild_id, default_minutes, interview_channel_id, interviewer_role_id, updated_ms)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (guild_id) DO UPDATE SET default_minutes = excluded.default_minutes,
               interview_channel_id = excluded.interview_channel_id, interviewer_role_id = excluded.interviewer_role_id,
               updated_ms = excluded.updated_ms",
        )
        .bind(ids::to_db(guild))
        .bind(s.default_minutes.map(i64::from))
        .bind(s.interview_channel_id.map(ids::to_db))
        .bind(s.interviewer_role_id.map(ids::to_db))
        .bind(Timestamp::system_now().millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
