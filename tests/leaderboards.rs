//! The kept leaderboard tables (migration 0008) against the straightforward
//! query over the answers, on randomised answers: repeats, period edges,
//! panel answers, rows rewritten and deleted, hidden and deleted people,
//! `now` moving forward and back. Both must say exactly the same.

#[macro_use]
mod common;

use common::Db;
use interview_bot::bank::Difficulty;
use interview_bot::interview::UserId;
use interview_bot::store::{LeaderRow, Leaderboard, LeaderboardQuery, Period, Scope, Store};
use interview_bot::time::Timestamp;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{AnyPool, Row};
use std::borrow::Cow;

const DAY: i64 = 86_400_000;
const T0: i64 = 1_800_000_000_000;
const QUESTIONS: [(&str, &str, &str); 6] = [
    ("q-a", "async", "easy"),
    ("q-b", "async", "medium"),
    ("q-c", "async", "hard"),
    ("q-d", "testing", "easy"),
    ("q-e", "testing", "medium"),
    ("q-f", "testing", "hard"),
];

/// The board as the store computed it before migration 0008, except that
/// ranks compare points in cents: a float sum of 0.01s depends on the order
/// it was added in, so two equal totals could rank apart.
const REFERENCE: &str = "WITH best AS (
        SELECT candidate_id, question_id, MAX(points) AS p, MAX(score) AS s FROM asked_questions
        WHERE score IS NOT NULL AND (panel = 1 OR outcome IN ('answered', 'timed_out'))
          AND guild_id = $1 AND ($2 = '' OR topic = $2) AND ($3 = '' OR difficulty = $3)
          AND ($4 = 0 OR panel = 1) AND ($5 = 0 OR answered_ms >= $6)
        GROUP BY candidate_id, question_id),
    agg AS (SELECT candidate_id, SUM(p) AS points, CAST(AVG(s) AS DOUBLE PRECISION) AS average,
                   COUNT(*) AS answered
            FROM best GROUP BY candidate_id HAVING COUNT(*) >= 3),
    ranked AS (SELECT agg.*, u.display_name, u.discord_id,
                      RANK() OVER (ORDER BY ROUND(agg.points * 100) DESC, agg.average DESC) AS rank
               FROM agg JOIN users u ON u.id = agg.candidate_id WHERE u.hidden = 0)
    SELECT * FROM ranked WHERE rank <= 10 OR candidate_id = $7 ORDER BY rank, display_name";

async fn reference(pool: &AnyPool, q: &LeaderboardQuery) -> Leaderboard {
    let Scope::Guild(g) = q.scope else {
        panic!("a server's board")
    };
    let rows = sqlx::query(REFERENCE)
        .bind(g as i64)
        .bind(q.topic.clone().unwrap_or_default())
        .bind(q.difficulty.map(|d| d.as_str()).unwrap_or(""))
        .bind(i64::from(q.panel_only))
        .bind(i64::from(q.period != Period::All))
        .bind(q.period.since(q.now).millis())
        .bind(q.me.map(|u| u.0).unwrap_or(-1))
        .fetch_all(pool)
        .await
        .expect("reference board");
    let mut board = Leaderboard::default();
    for r in rows {
        let row = LeaderRow {
            rank: r.get("rank"),
            user: UserId(r.get("candidate_id")),
            name: r.get("display_name"),
            discord_id: r.get::<Option<i64>, _>("discord_id").map(|d| d as u64),
            points: (r.get::<f64, _>("points") * 100.0).round() / 100.0,
            average: r.get("average"),
            answered: r.get("answered"),
        };
        if Some(row.user) == q.me {
            board.me = Some(row.clone());
        }
        if row.rank <= 10 && board.top.len() < 10 {
            board.top.push(row);
        }
    }
    board
}

/// Equal, averages within a rounding: PostgreSQL's AVG is NUMERIC, cast.
fn same_board(fast: &Leaderboard, slow: &Leaderboard, what: &str) {
    let same_row = |a: &LeaderRow, b: &LeaderRow| {
        (a.rank, a.user, &a.name, a.discord_id, a.points, a.answered)
            == (b.rank, b.user, &b.name, b.discord_id, b.points, b.answered)
            && (a.average - b.average).abs() < 1e-9
    };
    let rows_equal = fast.top.len() == slow.top.len()
        && fast.top.iter().zip(&slow.top).all(|(a, b)| same_row(a, b));
    let me_equal = match (&fast.me, &slow.me) {
        (Some(a), Some(b)) => same_row(a, b),
        (None, None) => true,
        _ => false,
    };
    assert!(
        rows_equal && me_equal,
        "{what}\nkept tables: {fast:#?}\nanswers: {slow:#?}"
    );
}

/// A person, an answer of theirs, and where it landed.
struct World {
    store: Store,
    raw: AnyPool,
    rng: StdRng,
    people: Vec<UserId>,
    /// Rows written so far: (id, session).
    rows: Vec<(i64, i64)>,
    position: i64,
}

impl World {
    async fn session(&self) -> i64 {
        sqlx::query_scalar(
            "INSERT INTO sessions (kind, status, state, created_ms, updated_ms)
             VALUES ('solo', 'finished', '{}', 0, 0) RETURNING id",
        )
        .fetch_one(&self.raw)
        .await
        .expect("session")
    }

    /// One answer around `now`: often exactly at an edge of a period.
    async fn answer(&mut self, session: i64, now: i64) {
        let rng = &mut self.rng;
        let (question, topic, mut difficulty) = QUESTIONS[rng.gen_range(0..QUESTIONS.len())];
        // Now and then a question's rows disagree on its difficulty (a bank edit).
        if rng.gen_bool(0.05) {
            difficulty = ["easy", "medium", "hard"][rng.gen_range(0..3)];
        }
        let at = match rng.gen_range(0..8) {
            0 => now - 7 * DAY,
            1 => now - 7 * DAY - 1,
            2 => now - 30 * DAY,
            3 => now - 30 * DAY + 1,
            4 => now + 3 * DAY - 7 * DAY,
            _ => now - rng.gen_range(0..40 * DAY),
        };
        let outcome =
            ["answered", "answered", "timed_out", "skipped", "unanswered"][rng.gen_range(0..5)];
        let score: Option<i64> = (!rng.gen_bool(0.1)).then(|| rng.gen_range(0..=100));
        let weight = match difficulty {
            "easy" => 1,
            "medium" => 2,
            _ => 3,
        };
        let points = score.map(|s| (s * weight) as f64 / 100.0).unwrap_or(0.0);
        let guild = [Some(1i64), Some(1), Some(2), None][rng.gen_range(0..4)];
        let who = self.people[rng.gen_range(0..self.people.len())];
        let panel = i64::from(rng.gen_bool(0.3));
        self.position += 1;
        let inserted: Result<i64, _> = sqlx::query_scalar(
            "INSERT INTO asked_questions (session_id, position, question_id, topic, difficulty, candidate_id,
                 guild_id, panel, asked_ms, deadline_ms, outcome, score, points, answered_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $9) RETURNING id",
        )
        .bind(session)
        .bind(self.position)
        .bind(question)
        .bind(topic)
        .bind(difficulty)
        .bind(who.0)
        .bind(guild)
        .bind(panel)
        .bind(at)
        .bind(outcome)
        .bind(score)
        .bind(points)
        .fetch_one(&self.raw)
        .await;
        // The person may have been deleted meanwhile (a foreign key refuses).
        if let Ok(id) = inserted {
            self.rows.push((id, session));
        }
    }

    /// Rewrites a stored answer's score, as a later rating does.
    async fn rescore(&mut self) {
        if self.rows.is_empty() {
            return;
        }
        let (id, _) = self.rows[self.rng.gen_range(0..self.rows.len())];
        let score = self.rng.gen_range(0..=100i64);
        sqlx::query(
            "UPDATE asked_questions SET score = $1, points = ROUND($1 * 0.02, 2), outcome = 'answered' WHERE id = $2",
        )
        .bind(score)
        .bind(id)
        .execute(&self.raw)
        .await
        .expect("rescored");
    }
}

const PEOPLE: usize = 24;

async fn world(db: &Db, seed: u64) -> World {
    let store = db.open().await;
    let raw = db.raw().await;
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        let name = format!("Person {i:02}");
        let id = if i % 2 == 0 {
            store.discord_user(1000 + i as u64, &name).await
        } else {
            store.local_user(&name).await
        };
        people.push(id.expect("person"));
    }
    World {
        store,
        raw,
        rng: StdRng::seed_from_u64(seed),
        people,
        rows: Vec::new(),
        position: 0,
    }
}

/// Every board of both servers at `now`, against the reference.
async fn compare_all(w: &mut World, now: i64, round: usize) {
    for guild in [1u64, 2] {
        for period in [Period::Week, Period::Month, Period::All] {
            for topic in [None, Some("async")] {
                for difficulty in [None, Some(Difficulty::Medium)] {
                    for panel_only in [false, true] {
                        let me = w.people[w.rng.gen_range(0..PEOPLE)];
                        let q = LeaderboardQuery {
                            scope: Scope::Guild(guild),
                            topic: topic.map(String::from),
                            difficulty,
                            period,
                            panel_only,
                            now: Timestamp(now),
                            me: Some(me),
                        };
                        let fast = w.store.leaderboard(&q).await.expect("board");
                        let slow = reference(&w.raw, &q).await;
                        same_board(&fast, &slow, &format!("round {round}: {q:?}"));
                    }
                }
            }
        }
    }
}

async fn the_kept_boards_equal_the_answers_query_on_random_histories(db: Db) {
    let mut w = world(&db, 12).await;
    // Forward in steps that cross the edges, once backward, then on.
    let nows = [0, 1, 7, 7, 8, 31, 20, 38, 45, 46, 80].map(|d| T0 + d * DAY + i64::from(d == 8));
    let mut listed = 0;
    for (round, &now) in nows.iter().enumerate() {
        let session = w.session().await;
        for _ in 0..60 {
            w.answer(session, now).await;
        }
        for _ in 0..5 {
            w.rescore().await;
        }
        if round % 3 == 1 {
            let who = w.people[w.rng.gen_range(0..PEOPLE)];
            let hide = w.rng.gen_bool(0.7);
            w.store.set_hidden(who, hide).await.expect("hidden");
        }
        if round == 4 || round == 8 {
            // A whole session's answers go (a deletion by rows).
            let (_, gone) = w.rows[w.rng.gen_range(0..w.rows.len())];
            sqlx::query("DELETE FROM asked_questions WHERE session_id = $1")
                .bind(gone)
                .execute(&w.raw)
                .await
                .expect("deleted");
            w.rows.retain(|&(_, s)| s != gone);
        }
        if round == 5 || round == 9 {
            // /privacy delete: the person's answers go with them.
            let who = w.people[w.rng.gen_range(0..PEOPLE)];
            let missed = w.store.forget_user(who, &[]).await.expect("forgotten");
            assert!(missed.is_empty());
        }
        compare_all(&mut w, now, round).await;
        let b = w
            .store
            .leaderboard(&LeaderboardQuery {
                scope: Scope::Guild(1),
                topic: None,
                difficulty: None,
                period: Period::All,
                panel_only: false,
                now: Timestamp(now),
                me: None,
            })
            .await
            .expect("board");
        listed = listed.max(b.top.len());
    }
    assert_eq!(listed, 10, "the histories fill a board");
    // The boards above came from the kept tables: change them under the
    // store and the board follows.
    sqlx::query("UPDATE board_totals SET points_c = points_c + 100000 WHERE guild_id = 1 AND candidate_id = $1")
        .bind(w.people[1].0)
        .execute(&w.raw)
        .await
        .expect("tampered");
    let q = LeaderboardQuery {
        scope: Scope::Guild(1),
        topic: None,
        difficulty: None,
        period: Period::All,
        panel_only: false,
        now: Timestamp(nows[nows.len() - 1]),
        me: Some(w.people[1]),
    };
    let board = w.store.leaderboard(&q).await.expect("board");
    assert_eq!(board.top.first().map(|r| r.user), Some(w.people[1]));
}

/// A database filled before migration 0008 keeps its boards after it.
async fn an_existing_database_keeps_its_boards_through_the_migration(db: Db) {
    if !db.postgres {
        // An empty file for the raw pool to open (the store creates its own).
        let file = std::path::Path::new(&db.url);
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("folder");
        std::fs::File::create(file).expect("file");
    }
    let raw = db.raw().await;
    let mut migrator = if db.postgres {
        sqlx::migrate!("./migrations/postgres")
    } else {
        sqlx::migrate!("./migrations")
    };
    let before: Vec<_> = migrator.iter().filter(|m| m.version < 8).cloned().collect();
    migrator.migrations = Cow::Owned(before);
    migrator.run(&raw).await.expect("migrated to 0007");
    let mut people = Vec::new();
    for i in 0..12i64 {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (local_name, display_name, hidden, created_ms) VALUES ($1, $1, $2, 0) RETURNING id",
        )
        .bind(format!("Person {i:02}"))
        .bind(i64::from(i == 3))
        .fetch_one(&raw)
        .await
        .expect("person");
        people.push(UserId(id));
    }
    let session: i64 = sqlx::query_scalar(
        "INSERT INTO sessions (kind, status, state, created_ms, updated_ms)
         VALUES ('solo', 'finished', '{}', 0, 0) RETURNING id",
    )
    .fetch_one(&raw)
    .await
    .expect("session");
    let mut rng = StdRng::seed_from_u64(8);
    let now = T0 + 100 * DAY;
    for position in 0..2000i64 {
        let (question, topic, difficulty) = QUESTIONS[rng.gen_range(0..QUESTIONS.len())];
        let score = rng.gen_range(0..=100i64);
        sqlx::query(
            "INSERT INTO asked_questions (session_id, position, question_id, topic, difficulty, candidate_id,
                 guild_id, panel, asked_ms, deadline_ms, outcome, score, points, answered_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 'answered', $10, $11, $9)",
        )
        .bind(session)
        .bind(position)
        .bind(question)
        .bind(topic)
        .bind(difficulty)
        .bind(people[rng.gen_range(0..people.len())].0)
        .bind(rng.gen_range(1..=2i64))
        .bind(i64::from(rng.gen_bool(0.5)))
        .bind(now - rng.gen_range(0..60 * DAY))
        .bind(score)
        .bind(score as f64 / 100.0)
        .execute(&raw)
        .await
        .expect("answer");
    }
    let queries: Vec<LeaderboardQuery> = [Period::Week, Period::Month, Period::All]
        .into_iter()
        .flat_map(|period| {
            [(None, false), (Some("async"), false), (None, true)].map(|(topic, panel_only)| {
                LeaderboardQuery {
                    scope: Scope::Guild(1),
                    topic: topic.map(String::from),
                    difficulty: None,
                    period,
                    panel_only,
                    now: Timestamp(now + DAY),
                    me: Some(people[11]),
                }
            })
        })
        .collect();
    let mut before = Vec::new();
    for q in &queries {
        before.push(reference(&raw, q).await);
    }
    assert!(before.iter().all(|b| !b.top.is_empty()), "boards to keep");
    let store = db.open().await;
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM board_totals WHERE guild_id = 1")
        .fetch_one(&raw)
        .await
        .expect("count");
    assert!(kept > 0, "the migration fills the kept tables");
    for (q, old) in queries.iter().zip(&before) {
        let now = store.leaderboard(q).await.expect("board");
        same_board(&now, old, &format!("{q:?}"));
    }
}

/// A kept best row: person, question, period, panel, topic, difficulty,
/// points in cents, score, when last reached.
type BestRow = (i64, String, i64, i64, String, String, i64, i64, Option<i64>);

/// What a server's kept week and month windows hold: each window's start
/// and every best row, in one text to compare before and after.
async fn kept_state(raw: &AnyPool, guild: i64) -> String {
    let windows: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT period, since_ms FROM board_sweep WHERE guild_id = $1 AND period < 2 ORDER BY period",
    )
    .bind(guild)
    .fetch_all(raw)
    .await
    .expect("windows");
    let rows: Vec<BestRow> = sqlx::query_as(
        "SELECT candidate_id, question_id, period, panel_key, topic, difficulty, points_c, score, low_at
         FROM board_best WHERE guild_id = $1 AND period < 2
         ORDER BY candidate_id, question_id, period, panel_key, topic, difficulty",
    )
    .bind(guild)
    .fetch_all(raw)
    .await
    .expect("best rows");
    format!("{windows:?} {rows:?}")
}

/// Best rows of a server's week or month whose best was last reached
/// before the window of `now`: what a read would have to sweep.
async fn expired_rows(raw: &AnyPool, guild: i64, now: i64) -> i64 {
    let mut n = 0;
    for (period, p) in [(0i64, Period::Week), (1, Period::Month)] {
        let since = p.since(Timestamp(now)).millis();
        let found: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM board_best
             WHERE guild_id = $1 AND period = $2 AND (low_at < $3 OR low_at IS NULL)",
        )
        .bind(guild)
        .bind(period)
        .bind(since)
        .fetch_one(raw)
        .await
        .expect("count");
        n += found;
    }
    n
}

/// A world whose answers span 40 days up to `now`, every board read there
/// once (so the windows start at `now`'s).
async fn aged_world(db: &Db, seed: u64, now: i64) -> World {
    let mut w = world(db, seed).await;
    for _ in 0..3 {
        let session = w.session().await;
        for _ in 0..80 {
            w.answer(session, now).await;
        }
    }
    compare_all(&mut w, now, 0).await;
    w
}

async fn the_background_sweep_leaves_nothing_expired_on_the_servers_it_owns(db: Db) {
    let now = T0 + 50 * DAY;
    let mut w = aged_world(&db, 31, now).await;
    let later = now + 9 * DAY;
    let (before_1, before_2) = (
        expired_rows(&w.raw, 1, later).await,
        kept_state(&w.raw, 2).await,
    );
    assert!(before_1 > 0, "answers aged out of the week and the month");
    assert!(expired_rows(&w.raw, 2, later).await > 0);
    let refreshed = w
        .store
        .sweep_expired_boards(Timestamp(later), |g| g == 1)
        .await
        .expect("swept");
    // More than one chunk of the sweep (100 keys a transaction).
    assert!(refreshed > 0, "{refreshed} keys recomputed");
    assert_eq!(
        expired_rows(&w.raw, 1, later).await,
        0,
        "nothing expired left"
    );
    let windows: Vec<Option<i64>> = sqlx::query_scalar(
        "SELECT since_ms FROM board_sweep WHERE guild_id = 1 AND period < 2 ORDER BY period",
    )
    .fetch_all(&w.raw)
    .await
    .expect("windows");
    assert_eq!(
        windows,
        [Period::Week, Period::Month].map(|p| Some(p.since(Timestamp(later)).millis()))
    );
    assert_eq!(
        kept_state(&w.raw, 2).await,
        before_2,
        "a server this process does not own is left to its owner"
    );
    // Again at the same time: nothing is left to do.
    let again = w
        .store
        .sweep_expired_boards(Timestamp(later), |g| g == 1)
        .await
        .expect("swept");
    assert_eq!(again, 0);
    // Exact on both: the swept server from its tables, the other by its reads.
    compare_all(&mut w, later, 1).await;
}

/// The runtime's periodic task, driven by its manual clock: each time the
/// clock passes a sweep's time, what expired is recomputed.
async fn the_runtime_sweeps_the_windows_as_its_clock_moves(db: Db) {
    let now = T0 + 50 * DAY;
    let mut w = aged_world(&db, 32, now).await;
    let clock = interview_bot::time::Clock::manual(Timestamp(now));
    let (rt, _deliveries) = interview_bot::runtime::Runtime::new(
        w.store.clone(),
        std::sync::Arc::new(common::mini_bank()),
        clock.clone(),
    );
    let task = rt.spawn_board_sweep();
    let later = now + 9 * DAY;
    assert!(expired_rows(&w.raw, 1, later).await > 0);
    clock.set(Timestamp(later));
    let until = tokio::time::Instant::now() + common::T;
    while expired_rows(&w.raw, 1, later).await + expired_rows(&w.raw, 2, later).await > 0 {
        assert!(
            tokio::time::Instant::now() < until,
            "the sweep never ran at the clock's new time"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    compare_all(&mut w, later, 1).await;
    // The task holds no runtime of its own: it ends with the runtime.
    drop(rt);
    // Each advance wakes it (it may still have been finishing a sweep).
    let until = tokio::time::Instant::now() + common::T;
    while !task.is_finished() {
        assert!(
            tokio::time::Instant::now() < until,
            "the task outlived its runtime"
        );
        clock.advance(interview_bot::runtime::BOARD_SWEEP_EVERY);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    task.await.expect("it ended without a panic");
}

/// (person, question) keys of a server's week or month whose kept best was
/// last reached before the window of `now` (what a read corrects itself).
async fn expired_keys(raw: &AnyPool, guild: i64, period: (i64, Period), now: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT DISTINCT candidate_id, question_id FROM board_best
         WHERE guild_id = $1 AND period = $2 AND low_at < $3) k",
    )
    .bind(guild)
    .bind(period.0)
    .bind(period.1.since(Timestamp(now)).millis())
    .fetch_one(raw)
    .await
    .expect("count")
}

async fn window_start(raw: &AnyPool, guild: i64, period: i64) -> Option<i64> {
    sqlx::query_scalar("SELECT since_ms FROM board_sweep WHERE guild_id = $1 AND period = $2")
        .bind(guild)
        .bind(period)
        .fetch_one(raw)
        .await
        .expect("window")
}

/// A read whose window moved past a few kept rows corrects them in memory:
/// the same board as the answers say, and the kept window stays where it
/// was (nothing was swept, no write).
async fn a_read_corrects_a_few_expired_rows_without_sweeping(db: Db) {
    let now = T0 + 50 * DAY;
    let mut w = aged_world(&db, 33, now).await;
    let mut patched = 0;
    // Hours at a time: a few keys expire per step, then many.
    for step in 1..=30 {
        let at = now + step * 5 * DAY / 24;
        let mut before = Vec::new();
        for period in [(0i64, Period::Week), (1, Period::Month)] {
            before.push((
                period,
                expired_keys(&w.raw, 1, period, at).await,
                window_start(&w.raw, 1, period.0).await,
            ));
        }
        compare_all(&mut w, at, 100 + step as usize).await;
        for ((period, _), expired, window) in before {
            let after = window_start(&w.raw, 1, period).await;
            if (1..=32).contains(&expired) {
                assert_eq!(
                    after, window,
                    "step {step}: {expired} keys were corrected, not swept"
                );
                patched += 1;
            } else if expired > 32 {
                let since = if period == 0 {
                    Period::Week
                } else {
                    Period::Month
                };
                assert_eq!(after, Some(since.since(Timestamp(at)).millis()), "swept");
            }
        }
    }
    assert!(
        patched >= 5,
        "the reads corrected rows themselves {patched} times"
    );
}

on_both_backends!(
    the_kept_boards_equal_the_answers_query_on_random_histories,
    an_existing_database_keeps_its_boards_through_the_migration,
    the_background_sweep_leaves_nothing_expired_on_the_servers_it_owns,
    the_runtime_sweeps_the_windows_as_its_clock_moves,
    a_read_corrects_a_few_expired_rows_without_sweeping,
);
