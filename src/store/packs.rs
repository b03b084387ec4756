//! Server question packs (migration 0007): one row per server with the file
//! as imported. Each call is one statement; replacing a pack is an upsert,
//! so a server has its old pack or its new one, never neither.

use super::db::Store;
use super::error::StoreError;
use super::ids;
use crate::time::Timestamp;
use sqlx::Row;

/// A server's pack as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPack {
    pub guild_id: u64,
    /// The attachment's name, shown in problems and given back on export.
    pub file_name: String,
    /// The file's text exactly as imported.
    pub yaml: String,
    pub questions: usize,
    /// The Discord user who imported it (None once they deleted their data).
    pub imported_by: Option<u64>,
    pub imported_at: Timestamp,
}

const COLUMNS: &str = "guild_id, file_name, yaml, questions, imported_by, imported_ms";

fn from_row(row: sqlx::any::AnyRow) -> StoredPack {
    StoredPack {
        guild_id: ids::from_db(row.get("guild_id")),
        file_name: row.get("file_name"),
        yaml: row.get("yaml"),
        questions: usize::try_from(row.get::<i64, _>("questions")).unwrap_or(0),
        imported_by: row.get::<Option<i64>, _>("imported_by").map(ids::from_db),
        imported_at: Timestamp(row.get("imported_ms")),
    }
}

impl Store {
    /// Stores a server's pack, replacing the one it had.
    pub async fn put_pack(&self, pack: &StoredPack) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO guild_packs (guild_id, file_name, yaml, questions, imported_by, imported_ms)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (guild_id) DO UPDATE SET file_name = excluded.file_name,
                 yaml = excluded.yaml, questions = excluded.questions,
                 imported_by = excluded.imported_by, imported_ms = excluded.imported_ms",
        )
        .bind(ids::to_db(pack.guild_id))
        .bind(&pack.file_name)
        .bind(&pack.yaml)
        .bind(i64::try_from(pack.questions).unwrap_or(i64::MAX))
        .bind(pack.imported_by.map(ids::to_db))
        .bind(pack.imported_at.millis())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn pack(&self, guild: u64) -> Result<Option<StoredPack>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM guild_packs WHERE guild_id = $1"
        ))
        .bind(ids::to_db(guild))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(from_row))
    }

    /// Every server's pack, for building their banks at start-up.
    pub async fn packs(&self) -> Result<Vec<StoredPack>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM guild_packs ORDER BY guild_id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    /// Removes a server's pack; false if it had none.
    pub async fn delete_pack(&self, guild: u64) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let done = sqlx::query("DELETE FROM guild_packs WHERE guild_id = $1")
            .bind(ids::to_db(guild))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }
}
