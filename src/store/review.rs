//! The SQL of spaced review: what a person's schedule is replayed from,
//! and who asked for reminders.

use super::db::Store;
use super::error::StoreError;
use super::ids;
use super::writer::stmt;
use crate::interview::UserId;
use crate::review::{replay, ReviewInputs, ScoredAnswer};
use crate::time::Timestamp;
use sqlx::Row;
use std::collections::BTreeMap;

/// Someone who turned reminders on, and where they did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderTarget {
    pub user: UserId,
    pub discord_id: u64,
    pub guild_id: Option<u64>,
    pub last_sent_day: Option<i64>,
}

/// A UTC day number (epoch milliseconds / one day).
pub fn day_of(t: Timestamp) -> i64 {
    t.millis().div_euclid(86_400_000)
}

impl Store {
    /// Everything the review choice needs about `user`: each question's
    /// schedule replayed from its scored answers, open notes per question,
    /// and topic averages (weakest first), over every server.
    pub async fn review_inputs(&self, user: UserId) -> Result<ReviewInputs, StoreError> {
        // A panel answer given out loud has no written text to check, so
        // its coverage says nothing: only its interviewers' score counts.
        // A question the end of a session cut short, with nothing typed
        // before its deadline, was never attempted: it is no review.
        let rows = sqlx::query(
            "SELECT question_id, score, answered_ms,
                    CASE WHEN panel = 1 AND TRIM(answer) = '' THEN 100 ELSE COALESCE(coverage, 0) END AS coverage
             FROM asked_questions
             WHERE candidate_id = $1 AND score IS NOT NULL AND answered_ms IS NOT NULL
               AND (outcome IN ('answered', 'timed_out', 'skipped')
                    OR (outcome = 'unanswered' AND answered_ms >= deadline_ms))",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        let mut answers: BTreeMap<String, Vec<ScoredAnswer>> = BTreeMap::new();
        for r in rows {
            answers
                .entry(r.get("question_id"))
                .or_default()
                .push(ScoredAnswer {
                    at: Timestamp(r.get("answered_ms")),
                    score: u32::try_from(r.get::<i64, _>("score")).unwrap_or(0),
                    coverage: u32::try_from(r.get::<i64, _>("coverage")).unwrap_or(0),
                });
        }
        let schedules = answers
            .into_iter()
            .filter_map(|(q, a)| replay(&a).map(|s| (q, s)))
            .collect();
        let open_notes = sqlx::query(
            "SELECT question_id, COUNT(*) AS n FROM notes
             WHERE subject_id = $1 AND resolved = 0 AND question_id IS NOT NULL GROUP BY question_id",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| {
            let n: i64 = r.get("n");
            (r.get("question_id"), usize::try_from(n).unwrap_or(0))
        })
        .collect();
        let topic_averages = sqlx::query(
            "SELECT topic, CAST(AVG(score) AS DOUBLE PRECISION) AS average FROM asked_questions
             WHERE candidate_id = $1 AND score IS NOT NULL AND (panel = 1 OR outcome IN ('answered', 'timed_out'))
             GROUP BY topic ORDER BY average, topic",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| (r.get("topic"), r.get("average")))
        .collect();
        Ok(ReviewInputs {
            schedules,
            open_notes,
            topic_averages,
        })
    }

    /// Turns `/review remind` on or off for `user` (on: reminders go to
    /// `guild`'s review channel, or a DM).
    pub async fn set_reminders(
        &self,
        user: UserId,
        guild: Option<u64>,
        enabled: bool,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.write_one(
            stmt(
                "INSERT INTO review_reminders (user_id, guild_id, enabled, updated_ms) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (user_id) DO UPDATE SET guild_id = COALESCE(excluded.guild_id, review_reminders.guild_id),
                   enabled = excluded.enabled, updated_ms = excluded.updated_ms",
            )
            .bind(user.0)
            .bind(guild.map(ids::to_db))
            .bind(i64::from(enabled))
            .bind(now.millis()),
        )
        .await?;
        Ok(())
    }

    pub async fn reminders_enabled(&self, user: UserId) -> Result<bool, StoreError> {
        let on: Option<i64> =
            sqlx::query_scalar("SELECT enabled FROM review_reminders WHERE user_id = $1")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(on.is_some_and(|e| e != 0))
    }

    /// Discord users with reminders on who have not had one on `day`.
    pub async fn reminder_targets(&self, day: i64) -> Result<Vec<ReminderTarget>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.user_id, u.discord_id, r.guild_id, r.last_sent_day
             FROM review_reminders r JOIN users u ON u.id = r.user_id
             WHERE r.enabled = 1 AND u.discord_id IS NOT NULL
               AND (r.last_sent_day IS NULL OR r.last_sent_day < $1)
             ORDER BY r.user_id",
        )
        .bind(day)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| ReminderTarget {
                user: UserId(r.get("user_id")),
                discord_id: ids::from_db(r.get("discord_id")),
                guild_id: r.get::<Option<i64>, _>("guild_id").map(ids::from_db),
                last_sent_day: r.get("last_sent_day"),
            })
            .collect())
    }

    /// Claims `day`'s reminder for `user`: true for the one caller that
    /// may send it (reminders still on, none sent that day). Claimed before
    /// sending, so a crash or a second task can never send two.
    pub async fn claim_reminder(&self, user: UserId, day: i64) -> Result<bool, StoreError> {
        let done = self
            .write_one(
                stmt(
                    "UPDATE review_reminders SET last_sent_day = $1
                     WHERE user_id = $2 AND enabled = 1 AND (last_sent_day IS NULL OR last_sent_day < $1)",
                )
                .bind(day)
                .bind(user.0),
            )
            .await?;
        Ok(done == 1)
    }
}
