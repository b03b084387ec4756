//! A server's leaderboard read from the tables migration 0008 keeps up to
//! date (`board_best`, `board_totals`), instead of grouping the server's
//! answers on every read.
//!
//! The triggers keep the tables exact for each period's stored window
//! (`board_sweep.since_ms`: answers at or after it). A read at `now` wants
//! the window from `Period::since(now)`; when that starts later than the
//! stored one, the best rows whose best was last reached before it are
//! recomputed first (`sweep`, a write), and when it starts earlier (a `now`
//! in the past), the tables cannot answer and the caller falls back to the
//! query over the answers. Points are integer cents there, so the sums are
//! exact and equal sums tie, whatever order they were added in.

mod expiry;
mod patch;

use super::backend::Backend;
use super::db::Store;
use super::error::StoreError;
use super::ids;
use super::queries::{LeaderRow, Leaderboard, LeaderboardQuery, Period, MIN_ANSWERED, TOP};
use crate::interview::UserId;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Row};

/// Keys refreshed per statement while sweeping (three binds each).
const SWEEP_CHUNK: usize = 100;

/// What one attempt at a fast read found.
enum Fast {
    Board(Leaderboard),
    /// Rows expired since the stored window: sweep to this time, then retry.
    Behind(i64),
    /// The tables cannot answer this read (see the module comment).
    Unavailable,
}

/// The board's key in `board_totals`.
struct Key {
    guild: i64,
    period: i64,
    panel: i64,
    topic: String,
    difficulty: String,
}

impl Key {
    fn of(guild: u64, q: &LeaderboardQuery) -> Key {
        Key {
            guild: ids::to_db(guild),
            period: period_key(q.period),
            panel: i64::from(q.panel_only),
            topic: q.topic.clone().unwrap_or_default(),
            difficulty: q
                .difficulty
                .map(|d| d.as_str().to_string())
                .unwrap_or_default(),
        }
    }
}

fn period_key(p: Period) -> i64 {
    match p {
        Period::Week => 0,
        Period::Month => 1,
        Period::All => 2,
    }
}

/// The rows of one board, from `board_totals t JOIN users u`. The literal
/// `answered >= MIN_ANSWERED` lets SQLite use the partial index
/// `board_totals_rank` (migration 0008 writes the same number).
fn board_filter() -> String {
    format!(
        "t.guild_id = $1 AND t.period = $2 AND t.panel_key = $3 AND t.topic_key = $4
         AND t.difficulty_key = $5 AND t.answered >= {MIN_ANSWERED}"
    )
}

const ROW_COLUMNS: &str =
    "t.candidate_id, t.points_c, t.answered, t.average, u.display_name, u.discord_id";

impl Store {
    /// The board of one server from the kept tables, or None when they
    /// cannot answer it (the caller then reads the answers).
    pub(super) async fn fast_board(
        &self,
        guild: u64,
        q: &LeaderboardQuery,
    ) -> Result<Option<Leaderboard>, StoreError> {
        let key = Key::of(guild, q);
        // Each sweep leaves nothing expired at its time; another attempt is
        // needed only when a writer of another process raced it.
        for _ in 0..3 {
            match self.try_fast(&key, q).await? {
                Fast::Board(board) => return Ok(Some(board)),
                Fast::Behind(since) => self.sweep(key.guild, key.period, since).await?,
                Fast::Unavailable => return Ok(None),
            }
        }
        Ok(None)
    }

    /// One read transaction, so the window checked is the window read.
    async fn try_fast(&self, key: &Key, q: &LeaderboardQuery) -> Result<Fast, StoreError> {
        let mut tx = match self.backend {
            Backend::Sqlite => self.pool.begin().await?,
            // One snapshot for every statement (READ COMMITTED takes one each).
            Backend::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?
            }
        };
        let stored: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT since_ms FROM board_sweep WHERE guild_id = $1 AND period = $2",
        )
        .bind(key.guild)
        .bind(key.period)
        .fetch_optional(&mut *tx)
        .await?;
        // No row: the server has no answer at all (the triggers open its
        // windows with its first), which the answers say as cheaply.
        let Some(stored) = stored else {
            return Ok(Fast::Unavailable);
        };
        if q.period != Period::All {
            let since = q.period.since(q.now).millis();
            match stored {
                Some(s) if s > since => return Ok(Fast::Unavailable),
                Some(_) => {}
                None => return Ok(Fast::Behind(since)),
            }
            // A few expired keys are corrected in this read; more are
            // swept first (see `patch`).
            let Some(expired) = expired_keys(&mut tx, key, since).await? else {
                return Ok(Fast::Behind(since));
            };
            if !expired.is_empty() {
                let board = patch::patched_board(&mut tx, key, since, &expired, q.me).await?;
                tx.commit().await?;
                return Ok(Fast::Board(board));
            }
        }
        let board = read_board(&mut tx, key, q.me).await?;
        tx.commit().await?;
        Ok(Fast::Board(board))
    }

    /// Moves a server's window of `period` to start at `since`, recomputing
    /// each (person, question) whose best in it was last reached earlier.
    async fn sweep(&self, guild: i64, period: i64, since: i64) -> Result<(), StoreError> {
        self.sweep_some(guild, period, since, i64::MAX)
            .await
            .map(drop)
    }

    /// As `sweep`, recomputing at most `limit` keys in one write
    /// transaction; returns how many it recomputed (fewer than `limit`:
    /// nothing expired is left). Each call leaves the tables as exact as
    /// before it: the window moves first, and a key still expired after it
    /// is one a read sees (`low_at` before its window) and sweeps itself.
    async fn sweep_some(
        &self,
        guild: i64,
        period: i64,
        since: i64,
        limit: i64,
    ) -> Result<usize, StoreError> {
        let mut tx = self.write().await?;
        if self.backend == Backend::Postgres {
            // The triggers take the same lock: a key recomputed by another
            // process's write waits for this window, or this for its row.
            sqlx::query("SELECT board_lock($1)")
                .bind(guild)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "UPDATE board_sweep SET since_ms = $3
             WHERE guild_id = $1 AND period = $2 AND (since_ms IS NULL OR since_ms < $3)",
        )
        .bind(guild)
        .bind(period)
        .bind(since)
        .execute(&mut *tx)
        .await?;
        // Read first, then queue: the queue's trigger rewrites board_best,
        // which must not change under a statement still reading it.
        // Two index ranges (an OR of them would scan the period's rows);
        // a NULL time is only there while the window held every answer.
        let keys: Vec<(i64, String)> = sqlx::query(
            "SELECT candidate_id, question_id FROM board_best
             WHERE guild_id = $1 AND period = $2 AND low_at < $3
             UNION SELECT candidate_id, question_id FROM board_best
             WHERE guild_id = $1 AND period = $2 AND low_at IS NULL
             LIMIT $4",
        )
        .bind(guild)
        .bind(period)
        .bind(since)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
        for chunk in keys.chunks(SWEEP_CHUNK) {
            queue_refresh(&mut tx, guild, chunk).await?;
        }
        tx.commit().await?;
        Ok(keys.len())
    }
}

/// Rows of expired keys the probe reads at most: a key has a row per panel
/// key (two) and per topic and difficulty its answers were stored with
/// (one, unless a bank edit moved the question).
const EXPIRED_ROWS: usize = 4 * (patch::PATCH_MAX + 1);

/// The expired keys a read corrects itself. Rows, not DISTINCT keys: a
/// DISTINCT in the primary key's order tempts the planner into that key
/// when it has no statistics, as in every database the bot makes (it never
/// runs ANALYZE). The bundled SQLite 3.46 resists, but 3.40's shell reads
/// all of the server's rows that way; with rows the expiry index's range
/// is the only sensible plan in either.
const EXPIRED_PROBE: &str = "SELECT candidate_id, question_id FROM board_best
     WHERE guild_id = $1 AND period = $2 AND low_at < $3 LIMIT $4";

/// The keys of `key`'s board last reached before `since`, or None when
/// there are more than a read corrects (or too many rows to tell).
async fn expired_keys(
    tx: &mut AnyConnection,
    key: &Key,
    since: i64,
) -> Result<Option<Vec<(i64, String)>>, StoreError> {
    let rows = sqlx::query(EXPIRED_PROBE)
        .bind(key.guild)
        .bind(key.period)
        .bind(since)
        .bind(EXPIRED_ROWS as i64)
        .fetch_all(&mut *tx)
        .await?;
    let full = rows.len() >= EXPIRED_ROWS;
    let mut keys: Vec<(i64, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    keys.sort_unstable();
    keys.dedup();
    Ok((!full && keys.len() <= patch::PATCH_MAX).then_some(keys))
}

/// Queues keys in `board_dirty`, whose trigger recomputes each.
async fn queue_refresh(
    tx: &mut AnyConnection,
    guild: i64,
    keys: &[(i64, String)],
) -> Result<(), StoreError> {
    let values: Vec<String> = (0..keys.len())
        .map(|i| format!("($1, ${}, ${})", 2 * i + 2, 2 * i + 3))
        .collect();
    let sql = format!(
        "INSERT INTO board_dirty (guild_id, candidate_id, question_id) VALUES {}",
        values.join(", ")
    );
    let query = keys
        .iter()
        .fold(sqlx::query(&sql).bind(guild), |q, (c, question)| {
            q.bind(*c).bind(question.as_str())
        });
    let conn: &mut AnyConnection = tx;
    query.execute(conn).await?;
    Ok(())
}

/// The top 10 (all who rank 10th or better, ties by name) and the caller.
async fn read_board(
    tx: &mut AnyConnection,
    key: &Key,
    me: Option<UserId>,
) -> Result<Leaderboard, StoreError> {
    // Everyone at or above the 10th listed person ranks 10th or better, and
    // only they do.
    let rows = kept_rows_down_to(tx, key, TOP as usize).await?;
    let mut board = ranked_top(rows, me);
    if let (Some(me), None) = (me, &board.me) {
        board.me = my_row(tx, key, me).await?;
    }
    Ok(board)
}

/// The kept rows of everyone listed (not hidden) at or above the `place`th
/// listed person's points and average (everyone, when fewer are listed),
/// unranked, in the board's order: points, average, name.
async fn kept_rows_down_to(
    tx: &mut AnyConnection,
    key: &Key,
    place: usize,
) -> Result<Vec<LeaderRow>, StoreError> {
    let filter = board_filter();
    let nth = format!(
        "SELECT t.points_c, t.average FROM board_totals t JOIN users u ON u.id = t.candidate_id
         WHERE {filter} AND u.hidden = 0
         ORDER BY t.points_c DESC, t.average DESC LIMIT 1 OFFSET {}",
        place.saturating_sub(1)
    );
    let nth = keyed(&nth, key).fetch_optional(&mut *tx).await?;
    let (points_c, average) = nth
        .map(|r| (r.get::<i64, _>(0), r.get::<f64, _>(1)))
        .unwrap_or((i64::MIN, f64::MIN));
    let rows = format!(
        "SELECT {ROW_COLUMNS} FROM board_totals t JOIN users u ON u.id = t.candidate_id
         WHERE {filter} AND u.hidden = 0
           AND (t.points_c > $6 OR (t.points_c = $6 AND t.average >= $7))
         ORDER BY t.points_c DESC, t.average DESC, u.display_name"
    );
    Ok(keyed(&rows, key)
        .bind(points_c)
        .bind(average)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| leader_row(r, 0))
        .collect())
}

/// The top 10 of `rows` (in the board's order, everyone who may rank 10th
/// or better first), ranked as RANK() would, and the caller's row when it
/// is among them.
fn ranked_top(rows: impl IntoIterator<Item = LeaderRow>, me: Option<UserId>) -> Leaderboard {
    let mut board = Leaderboard::default();
    let mut place = (i64::MAX, f64::MAX, 0);
    for (i, mut row) in rows.into_iter().enumerate() {
        let here = ((row.points * 100.0).round() as i64, row.average);
        // RANK(): one more than the number of people strictly better.
        if here.0 != place.0 || here.1 != place.1 {
            place = (here.0, here.1, i as i64 + 1);
        }
        if place.2 > TOP {
            break;
        }
        row.rank = place.2;
        if Some(row.user) == me {
            board.me = Some(row.clone());
        }
        if board.top.len() < TOP as usize {
            board.top.push(row);
        }
    }
    board
}

/// A query of one board, its key bound as `$1`..`$5`.
fn keyed<'q>(sql: &'q str, key: &'q Key) -> Query<'q, Any, AnyArguments<'q>> {
    sqlx::query(sql)
        .bind(key.guild)
        .bind(key.period)
        .bind(key.panel)
        .bind(key.topic.as_str())
        .bind(key.difficulty.as_str())
}

fn points_c(r: &AnyRow) -> i64 {
    r.get("points_c")
}

fn leader_row(r: &AnyRow, rank: i64) -> LeaderRow {
    LeaderRow {
        rank,
        user: UserId(r.get("candidate_id")),
        name: r.get("display_name"),
        discord_id: r.get::<Option<i64>, _>("discord_id").map(ids::from_db),
        points: points_c(r) as f64 / 100.0,
        average: r.get("average"),
        answered: r.get("answered"),
    }
}

/// The caller's row below the top: their rank counts everyone listed who is
/// better (an index range), less the hidden among them (few, by their own
/// index), rather than joining every better row to its user.
async fn my_row(
    tx: &mut AnyConnection,
    key: &Key,
    me: UserId,
) -> Result<Option<LeaderRow>, StoreError> {
    let Some(row) = stored_row(tx, key, me).await? else {
        return Ok(None);
    };
    let better = better_count(tx, key, ((row.points * 100.0).round() as i64, row.average)).await?;
    Ok(Some(LeaderRow {
        rank: 1 + better,
        ..row
    }))
}

/// A person's kept row of a board (listed and not hidden), unranked.
async fn stored_row(
    tx: &mut AnyConnection,
    key: &Key,
    me: UserId,
) -> Result<Option<LeaderRow>, StoreError> {
    let filter = board_filter();
    let mine = format!(
        "SELECT {ROW_COLUMNS} FROM board_totals t JOIN users u ON u.id = t.candidate_id
         WHERE {filter} AND u.hidden = 0 AND t.candidate_id = $6"
    );
    let row = keyed(&mine, key)
        .bind(me.0)
        .fetch_optional(&mut *tx)
        .await?;
    Ok(row.map(|r| leader_row(&r, 0)))
}

/// How many listed people who are not hidden the kept rows put strictly
/// above (points in cents, average).
async fn better_count(
    tx: &mut AnyConnection,
    key: &Key,
    (points_c, average): (i64, f64),
) -> Result<i64, StoreError> {
    let filter = board_filter();
    let better = "(t.points_c > $6 OR (t.points_c = $6 AND t.average > $7))";
    let all = format!("SELECT COUNT(*) FROM board_totals t WHERE {filter} AND {better}");
    let hidden = format!(
        // CROSS JOIN: SQLite keeps this order, from the hidden users' index.
        "SELECT COUNT(*) FROM users u CROSS JOIN board_totals t
         WHERE u.hidden = 1 AND t.candidate_id = u.id AND {filter} AND {better}"
    );
    let mut counts = [0i64; 2];
    for (n, sql) in counts.iter_mut().zip([all, hidden]) {
        *n = keyed(&sql, key)
            .bind(points_c)
            .bind(average)
            .fetch_one(&mut *tx)
            .await?
            .get(0);
    }
    let [all, hidden] = counts;
    Ok(all - hidden)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan a fresh bot's database gets: no statistics, as in every
    /// database the bot makes (the benchmarks ANALYZE theirs).
    #[tokio::test]
    async fn the_expired_probe_reads_the_expiry_index_without_statistics() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("plan.db"))
            .await
            .expect("opens");
        let plan: Vec<String> = sqlx::query(&format!("EXPLAIN QUERY PLAN {EXPIRED_PROBE}"))
            .bind(1_i64)
            .bind(0_i64)
            .bind(0_i64)
            .bind(EXPIRED_ROWS as i64)
            .fetch_all(&store.pool)
            .await
            .expect("explains")
            .iter()
            .map(|r| r.get::<String, _>(3))
            .collect();
        assert_eq!(
            plan,
            ["SEARCH board_best USING COVERING INDEX board_best_expiry (guild_id=? AND period=? AND low_at<?)"]
        );
    }
}
