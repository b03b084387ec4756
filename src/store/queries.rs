//! Read-side queries: leaderboards, a person's stats and history.

use super::db::Store;
use super::error::StoreError;
use super::ids;
use crate::bank::Difficulty;
use crate::interview::UserId;
use crate::time::Timestamp;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Row};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Guild(u64),
    /// Every server and the terminal.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    Week,
    #[default]
    Month,
    All,
}

impl Period {
    pub fn since(self, now: Timestamp) -> Timestamp {
        match self {
            Period::Week => now.minus(Duration::from_secs(7 * 86_400)),
            Period::Month => now.minus(Duration::from_secs(30 * 86_400)),
            Period::All => Timestamp(i64::MIN),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::All => "all",
        }
    }
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            "all" => Ok(Period::All),
            other => Err(format!("unknown period `{other}`: use week, month or all")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct LeaderboardQuery {
    pub scope: Scope,
    pub topic: Option<String>,
    pub difficulty: Option<Difficulty>,
    pub period: Period,
    /// Only interviewer-scored (panel) answers, which self-rating cannot inflate.
    pub panel_only: bool,
    pub now: Timestamp,
    /// Whose own rank to report beside the top 10.
    pub me: Option<UserId>,
}

/// Fewer answered questions than this keep a person off the board.
pub const MIN_ANSWERED: i64 = 3;
pub const TOP: i64 = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct LeaderRow {
    pub rank: i64,
    pub user: UserId,
    pub name: String,
    pub discord_id: Option<u64>,
    pub points: f64,
    pub average: f64,
    pub answered: i64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Leaderboard {
    pub top: Vec<LeaderRow>,
    /// The caller's row when they are listed (in or out of the top 10).
    pub me: Option<LeaderRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TopicAverage {
    pub topic: String,
    pub answered: i64,
    pub average: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserStats {
    pub sessions: i64,
    pub answered: i64,
    pub points: f64,
    pub average: Option<f64>,
    pub by_topic: Vec<TopicAverage>,
    /// Lowest averages first (at most three, topics with an answer only).
    pub weakest: Vec<TopicAverage>,
    /// Consecutive UTC days with an answer, ending today or yesterday.
    pub streak_days: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    pub session_id: i64,
    pub kind: String,
    pub status: String,
    pub topics: String,
    pub difficulty: String,
    pub started: Timestamp,
    pub questions: i64,
    pub average: Option<f64>,
    pub points: f64,
}

/// An answer counts when it is scored and there was an answer: skipped and
/// blank solo questions score 0 but are not "answered". Panel answers may be
/// spoken, so every scored panel question counts.
pub(super) const ANSWERED: &str =
    "score IS NOT NULL AND (panel = 1 OR outcome IN ('answered', 'timed_out'))";

impl Store {
    /// Top 10 by points, then average. Only each person's best result on each
    /// question counts, so repeating an easy question earns nothing more.
    /// A server's board reads the kept tables (`boards`); every server's
    /// board, and a read those tables cannot answer, reads the answers.
    pub async fn leaderboard(&self, q: &LeaderboardQuery) -> Result<Leaderboard, StoreError> {
        if let Scope::Guild(g) = q.scope {
            if let Some(board) = self.fast_board(g, q).await? {
                return Ok(board);
            }
        }
        self.leaderboard_from_answers(q).await
    }

    /// The board grouped from the answers themselves.
    async fn leaderboard_from_answers(
        &self,
        q: &LeaderboardQuery,
    ) -> Result<Leaderboard, StoreError> {
        let mut sql = Numbered::new(
            "WITH best AS (SELECT candidate_id, question_id, MAX(points) AS p, MAX(score) AS s FROM asked_questions WHERE ",
        );
        sql.push(ANSWERED);
        match q.scope {
            Scope::Guild(g) => {
                sql.push(" AND guild_id = ").bind(Bind::Int(ids::to_db(g)));
            }
            Scope::All => {}
        }
        if let Some(t) = &q.topic {
            sql.push(" AND topic = ").bind(Bind::Text(t.clone()));
        }
        if let Some(d) = q.difficulty {
            sql.push(" AND difficulty = ")
                .bind(Bind::Text(d.as_str().into()));
        }
        if q.panel_only {
            sql.push(" AND panel = 1");
        }
        // No time bound at all for "all": a bound that is always true would
        // steer SQLite to the time index instead of the grouping one.
        if q.period != Period::All {
            sql.push(" AND answered_ms >= ")
                .bind(Bind::Int(q.period.since(q.now).millis()));
        }
        sql.push(
            " GROUP BY candidate_id, question_id),
             agg AS (SELECT candidate_id, SUM(p) AS points, CAST(AVG(s) AS DOUBLE PRECISION) AS average, COUNT(*) AS answered
                     FROM best GROUP BY candidate_id HAVING COUNT(*) >= ",
        )
        .bind(Bind::Int(MIN_ANSWERED));
        sql.push(
            "), ranked AS (SELECT agg.*, u.display_name, u.discord_id,
                    RANK() OVER (ORDER BY agg.points DESC, agg.average DESC) AS rank
                FROM agg JOIN users u ON u.id = agg.candidate_id WHERE u.hidden = 0)
             SELECT * FROM ranked WHERE rank <= ",
        )
        .bind(Bind::Int(TOP))
        .push(" OR candidate_id = ")
        .bind(Bind::Int(q.me.map(|u| u.0).unwrap_or(-1)));
        sql.push(" ORDER BY rank, display_name");
        let rows = sql.query().fetch_all(&self.pool).await?;
        let mut board = Leaderboard::default();
        for r in rows {
            let row = LeaderRow {
                rank: r.get("rank"),
                user: UserId(r.get("candidate_id")),
                name: r.get("display_name"),
                discord_id: r.get::<Option<i64>, _>("discord_id").map(ids::from_db),
                points: (r.get::<f64, _>("points") * 100.0).round() / 100.0,
                average: r.get("average"),
                answered: r.get("answered"),
            };
            if Some(row.user) == q.me {
                board.me = Some(row.clone());
            }
            if row.rank <= TOP && board.top.len() < TOP as usize {
                board.top.push(row);
            }
        }
        Ok(board)
    }

    /// A person's practice record, in one server or everywhere.
    pub async fn user_stats(
        &self,
        user: UserId,
        scope: Scope,
        today: Timestamp,
    ) -> Result<UserStats, StoreError> {
        self.user_stats_of(user, scope, today, false).await
    }

    /// As `user_stats`; with `panel_only`, only interviewer-scored (panel)
    /// answers count, which self-rating cannot inflate.
    pub async fn user_stats_of(
        &self,
        user: UserId,
        scope: Scope,
        today: Timestamp,
        panel_only: bool,
    ) -> Result<UserStats, StoreError> {
        let guild = match scope {
            Scope::Guild(g) => Some(ids::to_db(g)),
            Scope::All => None,
        };
        let filter =
            "candidate_id = $1 AND ($2 IS NULL OR guild_id = $2) AND ($3 = 0 OR panel = 1)";
        let totals = sqlx::query(&format!(
            "SELECT COUNT(DISTINCT session_id) AS sessions,
                    COALESCE(SUM(CASE WHEN {ANSWERED} THEN 1 ELSE 0 END), 0) AS answered,
                    COALESCE(SUM(points), 0.0) AS points,
                    CAST(AVG(CASE WHEN {ANSWERED} THEN score END) AS DOUBLE PRECISION) AS average
             FROM asked_questions WHERE {filter}"
        ))
        .bind(user.0)
        .bind(guild)
        .bind(i64::from(panel_only))
        .fetch_one(&self.pool)
        .await?;
        let by_topic: Vec<TopicAverage> = sqlx::query(&format!(
            "SELECT topic, COUNT(*) AS n, CAST(AVG(score) AS DOUBLE PRECISION) AS average FROM asked_questions
             WHERE {filter} AND {ANSWERED} GROUP BY topic ORDER BY topic"
        ))
        .bind(user.0)
        .bind(guild)
        .bind(i64::from(panel_only))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| TopicAverage {
            topic: r.get("topic"),
            answered: r.get("n"),
            average: r.get("average"),
        })
        .collect();
        let mut weakest = by_topic.clone();
        weakest.sort_by(|a, b| a.average.total_cmp(&b.average).then(a.topic.cmp(&b.topic)));
        weakest.truncate(3);
        let days: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT DISTINCT answered_ms / 86400000 AS day FROM asked_questions
             WHERE {filter} AND {ANSWERED} ORDER BY day DESC LIMIT 1000"
        ))
        .bind(user.0)
        .bind(guild)
        .bind(i64::from(panel_only))
        .fetch_all(&self.pool)
        .await?;
        Ok(UserStats {
            sessions: totals.get("sessions"),
            answered: totals.get("answered"),
            points: (totals.get::<f64, _>("points") * 100.0).round() / 100.0,
            average: totals.get("average"),
            by_topic,
            weakest,
            streak_days: streak(&days, today.millis().div_euclid(86_400_000)),
        })
    }

    /// A person's sessions, newest first.
    pub async fn history(&self, user: UserId, limit: i64) -> Result<Vec<HistoryRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT s.id, s.kind, s.status, s.topics, s.difficulty, s.created_ms,
                    COUNT(aq.id) AS questions,
                    CAST(AVG(CASE WHEN {ANSWERED} THEN aq.score END) AS DOUBLE PRECISION) AS average,
                    COALESCE(SUM(aq.points), 0.0) AS points
             FROM sessions s JOIN asked_questions aq ON aq.session_id = s.id AND aq.candidate_id = $1
             GROUP BY s.id ORDER BY s.created_ms DESC, s.id DESC LIMIT $2"
        ))
        .bind(user.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| HistoryRow {
                session_id: r.get("id"),
                kind: r.get("kind"),
                status: r.get("status"),
                topics: r.get("topics"),
                difficulty: r.get("difficulty"),
                started: Timestamp(r.get("created_ms")),
                questions: r.get("questions"),
                average: r.get("average"),
                points: (r.get::<f64, _>("points") * 100.0).round() / 100.0,
            })
            .collect())
    }
}

/// `$first, $first+1, ...`, `n` of them: the placeholders of an `IN` list
/// whose values are bound after `first - 1` others.
pub(super) fn numbered_list(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value for a `Numbered` query.
enum Bind {
    Int(i64),
    Text(String),
}

/// SQL built piece by piece with `$1, $2, ...` placeholders, which both
/// databases read (sqlx's `QueryBuilder` writes `?` for the `Any` driver,
/// which PostgreSQL does not).
struct Numbered {
    sql: String,
    binds: Vec<Bind>,
}

impl Numbered {
    fn new(sql: &str) -> Numbered {
        Numbered {
            sql: sql.to_string(),
            binds: Vec::new(),
        }
    }

    fn push(&mut self, sql: &str) -> &mut Numbered {
        self.sql.push_str(sql);
        self
    }

    fn bind(&mut self, value: Bind) -> &mut Numbered {
        self.binds.push(value);
        self.sql.push_str(&format!("${}", self.binds.len()));
        self
    }

    fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        self.binds
            .iter()
            .fold(sqlx::query(&self.sql), |q, b| match b {
                Bind::Int(i) => q.bind(*i),
                Bind::Text(t) => q.bind(t.as_str()),
            })
    }
}

/// Length of the run of consecutive days (descending) that reaches today or
/// yesterday; a run that stopped earlier is no longer a streak.
fn streak(days_desc: &[i64], today: i64) -> i64 {
    let Some(&first) = days_desc.first() else {
        return 0;
    };
    if first < today - 1 {
        return 0;
    }
    let mut n = 1;
    for pair in days_desc.windows(2) {
        if pair[0] - pair[1] == 1 {
            n += 1;
        } else {
            break;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::streak;

    #[test]
    fn a_streak_counts_consecutive_days_up_to_today_or_yesterday() {
        assert_eq!(streak(&[100, 99, 98, 96], 100), 3);
        assert_eq!(streak(&[99, 98], 100), 2);
        assert_eq!(streak(&[97, 96], 100), 0);
        assert_eq!(streak(&[], 100), 0);
    }
}
