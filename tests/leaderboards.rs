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

on_both_backends!(
    the_kept_boards_equal_the_answers_query_on_random_histories,
    an_existing_database_keeps_its_boards_through_the_migration,
);
