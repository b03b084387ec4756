use super::backend::LockKind;
use super::db::Store;
use super::error::StoreError;
use super::ids;
use crate::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{Any, Row};

/// What a server's admins chose with `/config`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuildSettings {
    pub default_minutes: Option<u32>,
    pub interview_channel_id: Option<u64>,
    pub interviewer_role_id: Option<u64>,
    /// Where review reminders of this server go (`/config review_channel`).
    pub review_channel_id: Option<u64>,
}

const SELECT: &str = "SELECT default_minutes, interview_channel_id, interviewer_role_id, review_channel_id FROM guild_settings WHERE guild_id = $1";

fn from_row(r: AnyRow) -> GuildSettings {
    GuildSettings {
        default_minutes: r
            .get::<Option<i64>, _>(0)
            .and_then(|m| u32::try_from(m).ok()),
        interview_channel_id: r.get::<Option<i64>, _>(1).map(ids::from_db),
        interviewer_role_id: r.get::<Option<i64>, _>(2).map(ids::from_db),
        review_channel_id: r.get::<Option<i64>, _>(3).map(ids::from_db),
    }
}

async fn upsert<'e>(
    db: impl sqlx::Executor<'e, Database = Any>,
    guild: u64,
    s: &GuildSettings,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO guild_settings (guild_id, default_minutes, interview_channel_id, interviewer_role_id, review_channel_id, updated_ms)
         VALUES ($1, $2, $3, $4, $6, $5)
         ON CONFLICT (guild_id) DO UPDATE SET default_minutes = excluded.default_minutes,
           interview_channel_id = excluded.interview_channel_id, interviewer_role_id = excluded.interviewer_role_id,
           review_channel_id = excluded.review_channel_id, updated_ms = excluded.updated_ms",
    )
    .bind(ids::to_db(guild))
    .bind(s.default_minutes.map(i64::from))
    .bind(s.interview_channel_id.map(ids::to_db))
    .bind(s.interviewer_role_id.map(ids::to_db))
    .bind(Timestamp::system_now().millis())
    .bind(s.review_channel_id.map(ids::to_db))
    .execute(db)
    .await?;
    Ok(())
}

impl Store {
    pub async fn guild_settings(&self, guild: u64) -> Result<GuildSettings, StoreError> {
        let row = sqlx::query(SELECT)
            .bind(ids::to_db(guild))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(from_row).unwrap_or_default())
    }

    /// Replaces every field of a server's settings.
    pub async fn set_guild_settings(
        &self,
        guild: u64,
        s: &GuildSettings,
    ) -> Result<(), StoreError> {
        upsert(&mut *self.write_conn().await?, guild, s).await
    }

    /// Reads, changes and writes a server's settings in one write
    /// transaction, so two admins changing different fields at once both
    /// keep their change; returns the settings as saved.
    pub async fn update_guild_settings(
        &self,
        guild: u64,
        change: impl FnOnce(&mut GuildSettings),
    ) -> Result<GuildSettings, StoreError> {
        let mut tx = self.write().await?;
        // The row may not exist yet, so there is no row to lock: a
        // transaction-level advisory lock on the server's id serialises
        // concurrent /config changes across processes (see `Backend::lock`).
        self.backend
            .lock(&mut tx, LockKind::GuildSettings, ids::to_db(guild))
            .await?;
        let row = sqlx::query(SELECT)
            .bind(ids::to_db(guild))
            .fetch_optional(&mut *tx)
            .await?;
        let mut settings = row.map(from_row).unwrap_or_default();
        change(&mut settings);
        upsert(&mut *tx, guild, &settings).await?;
        tx.commit().await?;
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_changes_to_different_fields_all_survive() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("s.db")).await.expect("opens");
        for round in 0..20_u64 {
            let guild = 1000 + round;
            let (a, b, c) = (store.clone(), store.clone(), store.clone());
            let minutes = tokio::spawn(async move {
                a.update_guild_settings(guild, |s| s.default_minutes = Some(7))
                    .await
            });
            let channel = tokio::spawn(async move {
                b.update_guild_settings(guild, |s| s.interview_channel_id = Some(42))
                    .await
            });
            let role = tokio::spawn(async move {
                c.update_guild_settings(guild, |s| s.interviewer_role_id = Some(9))
                    .await
            });
            for t in [minutes, channel, role] {
                t.await.expect("task").expect("update");
            }
            let s = store.guild_settings(guild).await.expect("reads");
            assert_eq!(
                s,
                GuildSettings {
                    default_minutes: Some(7),
                    interview_channel_id: Some(42),
                    interviewer_role_id: Some(9),
                    review_channel_id: None,
                },
                "round {round}"
            );
        }
    }
}
