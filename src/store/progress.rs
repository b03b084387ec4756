//! Score over time, for progress charts.

use super::db::Store;
use super::error::StoreError;
use super::ids;
use super::queries::{Scope, ANSWERED};
use crate::interview::UserId;
use crate::time::week_start;
use crate::time::Timestamp;
use sqlx::Row;

/// Weeks shown at most: the most recent ones.
pub const MAX_WEEKS: i64 = 26;

impl Store {
    /// Average score of `user`'s answered questions per week (Monday to
    /// Sunday, UTC), oldest first, the last `MAX_WEEKS` weeks that had any.
    /// Filters as `user_stats_of`.
    pub async fn weekly_averages(
        &self,
        user: UserId,
        scope: Scope,
        panel_only: bool,
    ) -> Result<Vec<WeekPoint>, StoreError> {
        let guild = match scope {
            Scope::Guild(g) => Some(ids::to_db(g)),
            Scope::All => None,
        };
        // Day 0 (1970-01-01) was a Thursday: shifting by 3 days makes
        // weeks start on Monday.
        let rows = sqlx::query(&format!(
            "SELECT (answered_ms / 86400000 + 3) / 7 AS week, CAST(AVG(score) AS DOUBLE PRECISION) AS average, COUNT(*) AS n
             FROM asked_questions
             WHERE candidate_id = $1 AND ($2 IS NULL OR guild_id = $2) AND ($3 = 0 OR panel = 1)
               AND answered_ms IS NOT NULL AND {ANSWERED}
             GROUP BY week ORDER BY week DESC LIMIT $4"
        ))
        .bind(user.0)
        .bind(guild)
        .bind(i64::from(panel_only))
        .bind(MAX_WEEKS)
        .fetch_all(&self.pool)
        .await?;
        let mut weeks: Vec<WeekPoint> = rows
            .into_iter()
            .map(|r| {
                let week: i64 = r.get("week");
                WeekPoint {
                    week_start: week_start(Timestamp((week * 7 - 3) * 86_400_000)),
                    average: r.get("average"),
                    answered: r.get("n"),
                }
            })
            .collect();
        weeks.reverse();
        Ok(weeks)
    }
}

/// One week's point: the average score of the answers that week.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeekPoint {
    /// Monday 00:00 UTC of the week.
    pub week_start: Timestamp,
    pub average: f64,
    pub answered: i64,
}
