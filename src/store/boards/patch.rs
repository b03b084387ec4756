//! A board read whose window moved past a few kept rows, answered without
//! sweeping them (a write transaction behind the writer): the people those
//! rows belong to get their totals corrected in memory, from the answers of
//! the expired (person, question) keys, and are ranked among the kept rows.
//!
//! Exact for the same reason the sweep is: a kept row whose best was last
//! reached at or after the read's window is right for it, and every other
//! row is one of the keys corrected here. The background sweep
//! (`expiry.rs`) keeps the number of such keys to about a minute's.

use super::super::queries::{numbered_list, LeaderRow, Leaderboard, MIN_ANSWERED, TOP};
use super::{kept_rows_down_to, keyed, ranked_top, stored_row, Key};
use crate::interview::UserId;
use crate::store::error::StoreError;
use crate::store::ids;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// Expired keys a read corrects by itself; with more it sweeps instead
/// (each key costs two indexed reads here, and the sweep is then cheap per
/// key by comparison).
pub(super) const PATCH_MAX: usize = 32;

/// One person's sums on a board, in integer cents.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Sums {
    points_c: i64,
    score: i64,
    answered: i64,
}

impl Sums {
    fn add(&mut self, other: Option<(i64, i64)>, sign: i64) {
        if let Some((p, s)) = other {
            self.points_c += sign * p;
            self.score += sign * s;
            self.answered += sign;
        }
    }

    /// As board_totals computes it: the same division of the same integers.
    fn average(&self) -> f64 {
        if self.answered > 0 {
            self.score as f64 / self.answered as f64
        } else {
            0.0
        }
    }

    fn listed(&self) -> bool {
        self.answered >= MIN_ANSWERED
    }
}

/// (points, average) strictly better, as the board orders.
fn better(a: (i64, f64), b: (i64, f64)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && a.1 > b.1)
}

/// A corrected person: their kept sums, the corrected ones, who they are.
struct Patched {
    kept: Sums,
    now: Sums,
    hidden: bool,
    name: String,
    discord_id: Option<i64>,
}

impl Patched {
    fn row(&self, user: i64) -> LeaderRow {
        LeaderRow {
            rank: 0,
            user: UserId(user),
            name: self.name.clone(),
            discord_id: self.discord_id.map(ids::from_db),
            points: self.now.points_c as f64 / 100.0,
            average: self.now.average(),
            answered: self.now.answered,
        }
    }
}

/// The board of `key` at a window starting at `since`, `expired` being
/// every (person, question) whose kept best was last reached before it.
pub(super) async fn patched_board(
    tx: &mut AnyConnection,
    key: &Key,
    since: i64,
    expired: &[(i64, String)],
    me: Option<UserId>,
) -> Result<Leaderboard, StoreError> {
    let people = corrected(tx, key, since, expired).await?;
    // The kept rows down to the (TOP + corrected)th: at least TOP of them
    // are people not corrected, with everyone tied to them.
    let mut rows: Vec<LeaderRow> = kept_rows_down_to(tx, key, TOP as usize + people.len())
        .await?
        .into_iter()
        .filter(|r| !people.contains_key(&r.user.0))
        .collect();
    rows.extend(
        people
            .iter()
            .filter(|(_, p)| !p.hidden && p.now.listed())
            .map(|(&user, p)| p.row(user)),
    );
    let order = name_order(tx, &rows).await?;
    rows.sort_by(|a, b| {
        let cents = |r: &LeaderRow| (r.points * 100.0).round() as i64;
        cents(b)
            .cmp(&cents(a))
            .then(b.average.total_cmp(&a.average))
            .then(order.get(&a.user.0).cmp(&order.get(&b.user.0)))
    });
    let mut board = ranked_top(rows, me);
    if let (Some(me), None) = (me, &board.me) {
        board.me = my_patched_row(tx, key, me, &people).await?;
    }
    Ok(board)
}

/// The caller's row below the top: the kept count of people better, less
/// the corrected people's kept rows among them, plus their corrected ones.
async fn my_patched_row(
    tx: &mut AnyConnection,
    key: &Key,
    me: UserId,
    people: &BTreeMap<i64, Patched>,
) -> Result<Option<LeaderRow>, StoreError> {
    let mine = match people.get(&me.0) {
        Some(p) if p.hidden || !p.now.listed() => return Ok(None),
        Some(p) => p.row(me.0),
        None => match stored_row(tx, key, me).await? {
            Some(r) => r,
            None => return Ok(None),
        },
    };
    let at = ((mine.points * 100.0).round() as i64, mine.average);
    let kept = super::better_count(tx, key, at).await?;
    let listed_better =
        |s: &Sums, hidden: bool| !hidden && s.listed() && better((s.points_c, s.average()), at);
    let was = people
        .values()
        .filter(|p| listed_better(&p.kept, p.hidden))
        .count() as i64;
    let is = people
        .iter()
        .filter(|(&u, p)| u != me.0 && listed_better(&p.now, p.hidden))
        .count() as i64;
    Ok(Some(LeaderRow {
        rank: 1 + kept - was + is,
        ..mine
    }))
}

/// Each person of the expired keys: kept sums and corrected ones.
async fn corrected(
    tx: &mut AnyConnection,
    key: &Key,
    since: i64,
    expired: &[(i64, String)],
) -> Result<BTreeMap<i64, Patched>, StoreError> {
    let mut people = BTreeMap::new();
    for (candidate, _) in expired {
        if people.contains_key(candidate) {
            continue;
        }
        let kept = keyed(
            "SELECT t.points_c, t.score_sum, t.answered FROM board_totals t
             WHERE t.guild_id = $1 AND t.period = $2 AND t.panel_key = $3 AND t.topic_key = $4
               AND t.difficulty_key = $5 AND t.candidate_id = $6",
            key,
        )
        .bind(*candidate)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| Sums {
            points_c: r.get(0),
            score: r.get(1),
            answered: r.get(2),
        })
        .unwrap_or_default();
        let user = sqlx::query("SELECT display_name, discord_id, hidden FROM users WHERE id = $1")
            .bind(*candidate)
            .fetch_optional(&mut *tx)
            .await?;
        // Gone: their rows go with them (the foreign key cascades), so
        // they show nowhere.
        let (name, discord_id, hidden) = match user {
            Some(u) => (u.get(0), u.get(1), u.get::<i64, _>(2) != 0),
            None => (String::new(), None, true),
        };
        people.insert(
            *candidate,
            Patched {
                kept,
                now: kept,
                hidden,
                name,
                discord_id,
            },
        );
    }
    for (candidate, question) in expired {
        let (stale, fresh) = key_bests(tx, key, since, *candidate, question).await?;
        if let Some(p) = people.get_mut(candidate) {
            p.now.add(stale, -1);
            p.now.add(fresh, 1);
        }
    }
    Ok(people)
}

/// One key's best on this board as kept, and in the read's window as the
/// answers say (None: no row counts).
async fn key_bests(
    tx: &mut AnyConnection,
    key: &Key,
    since: i64,
    candidate: i64,
    question: &str,
) -> Result<(Option<(i64, i64)>, Option<(i64, i64)>), StoreError> {
    let pair = |r: sqlx::any::AnyRow| -> Option<(i64, i64)> {
        Some((r.get::<Option<i64>, _>(0)?, r.get::<Option<i64>, _>(1)?))
    };
    let stale = keyed(
        "SELECT MAX(points_c), MAX(score) FROM board_best
         WHERE guild_id = $1 AND candidate_id = $6 AND question_id = $7 AND period = $2
           AND panel_key = $3 AND ($4 = '' OR topic = $4) AND ($5 = '' OR difficulty = $5)",
        key,
    )
    .bind(candidate)
    .bind(question)
    .fetch_one(&mut *tx)
    .await?;
    // As the triggers recompute a key (migration 0008), in this window.
    let fresh = sqlx::query(
        "SELECT MAX(CAST(ROUND(points * 100) AS BIGINT)), MAX(score) FROM asked_questions
         WHERE guild_id = $1 AND candidate_id = $2 AND question_id = $3 AND answered_ms >= $4
           AND score IS NOT NULL AND (panel = 1 OR outcome IN ('answered', 'timed_out'))
           AND ($5 = 0 OR panel = 1) AND ($6 = '' OR topic = $6) AND ($7 = '' OR difficulty = $7)",
    )
    .bind(key.guild)
    .bind(candidate)
    .bind(question)
    .bind(since)
    .bind(key.panel)
    .bind(key.topic.as_str())
    .bind(key.difficulty.as_str())
    .fetch_one(&mut *tx)
    .await?;
    Ok((pair(stale), pair(fresh)))
}

/// Each listed person's place in the database's own order of names (its
/// collation, which the kept read's ORDER BY uses), for equal totals.
async fn name_order(
    tx: &mut AnyConnection,
    rows: &[LeaderRow],
) -> Result<BTreeMap<i64, usize>, StoreError> {
    if rows.is_empty() {
        return Ok(BTreeMap::new());
    }
    let sql = format!(
        "SELECT id FROM users WHERE id IN ({}) ORDER BY display_name",
        numbered_list(1, rows.len())
    );
    let query = rows.iter().fold(sqlx::query(&sql), |q, r| q.bind(r.user.0));
    let ids = query.fetch_all(&mut *tx).await?;
    Ok(ids
        .iter()
        .enumerate()
        .map(|(i, r)| (r.get::<i64, _>(0), i))
        .collect())
}
