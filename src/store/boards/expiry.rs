//! The background sweep: moves every owned server's week and month windows
//! to `now` and recomputes what expired, so that a read rarely finds
//! anything to sweep itself (a write behind the writer, on the read's time).

use super::super::db::Store;
use super::super::error::StoreError;
use super::super::ids;
use super::super::queries::Period;
use super::period_key;
use crate::time::Timestamp;

/// Keys recomputed per write transaction. Each costs about 0.2 ms of CPU
/// (more on a busy machine), so a chunk holds the write connection for
/// tens of milliseconds at most: the writers queued behind it wait that
/// long, not for a whole server's expiry after an idle day.
const BACKGROUND_CHUNK: i64 = 100;

impl Store {
    /// Sweeps week and month of each server `owns` says this process acts
    /// for, to the windows of `now`; returns how many (person, question)
    /// keys it recomputed. Servers with nothing expired cost one index
    /// probe each, on the read pool.
    pub async fn sweep_expired_boards(
        &self,
        now: Timestamp,
        owns: impl Fn(u64) -> bool,
    ) -> Result<usize, StoreError> {
        let mut refreshed = 0;
        for period in [Period::Week, Period::Month] {
            let key = period_key(period);
            let since = period.since(now).millis();
            // Per server one probe of `board_best_expiry` for a row whose
            // best was last reached before the window (or has no time: the
            // window held every answer).
            let behind: Vec<i64> = sqlx::query_scalar(
                "SELECT s.guild_id FROM board_sweep s WHERE s.period = $1 AND (s.since_ms IS NULL
                   OR EXISTS (SELECT 1 FROM board_best b WHERE b.guild_id = s.guild_id
                              AND b.period = s.period AND b.low_at < $2)
                   OR EXISTS (SELECT 1 FROM board_best b WHERE b.guild_id = s.guild_id
                              AND b.period = s.period AND b.low_at IS NULL))",
            )
            .bind(key)
            .bind(since)
            .fetch_all(&self.pool)
            .await?;
            for guild in behind.into_iter().filter(|g| owns(ids::from_db(*g))) {
                loop {
                    let n = self.sweep_some(guild, key, since, BACKGROUND_CHUNK).await?;
                    refreshed += n;
                    if (n as i64) < BACKGROUND_CHUNK {
                        break;
                    }
                }
            }
        }
        Ok(refreshed)
    }
}
