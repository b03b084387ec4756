//! Spaced review below the front ends: the schedule with explicit times,
//! what is due, notes that resolve themselves, reminders' once a day, and
//! the export and chart made from a database with known answers.

#[macro_use]
mod common;

use common::Db;

use interview_bot::bank::{Bank, DifficultyChoice};
use interview_bot::chart::{render_png, ChartData, HEIGHT, WIDTH};
use interview_bot::interview::{Event, Settings, UserId};
use interview_bot::review::{replay, DueReason, ScoredAnswer};
use interview_bot::runtime::{ReviewPlan, Runtime, StartRequest};
use interview_bot::store::{day_of, ResolvedNote, Scope, Store};
use interview_bot::time::{Clock, Timestamp};
use std::sync::Arc;
use std::time::Duration;

const DAY: i64 = 86_400_000;
/// 2024-03-04 09:00 UTC, a Monday.
const T0: Timestamp = Timestamp(1_709_542_800_000);

fn settings() -> Settings {
    Settings {
        minutes: None,
        seconds_override: Some(60.0),
        rating_window_secs: 60,
        hint_penalty: 10,
    }
}

struct Rig {
    runtime: Runtime,
    clock: Clock,
    store: Store,
    db: Db,
}

/// A runtime on `db` (a SQLite file or a PostgreSQL schema) at `T0`.
async fn rig(db: Db) -> Rig {
    let store = db.open().await;
    let clock = Clock::manual(T0);
    let (runtime, _rx) = Runtime::new(store.clone(), Arc::new(common::mini_bank()), clock.clone());
    Rig {
        runtime,
        clock,
        store,
        db,
    }
}

/// One question of `topic`/`difficulty` answered with `text`, rated `rating`.
async fn answer_one(
    rig: &Rig,
    user: UserId,
    difficulty: DifficultyChoice,
    text: &str,
    rating: u8,
) -> i64 {
    let req = StartRequest::solo(user, "ann", vec!["alpha".into()], difficulty, 1, settings());
    let d = rig.runtime.start(req).await.expect("starts");
    let id = d.session.id;
    let by = user;
    if !text.is_empty() {
        rig.runtime
            .handle(
                id,
                Event::SubmitWith {
                    by,
                    text: text.into(),
                },
            )
            .await
            .expect("answers");
    } else {
        rig.runtime
            .handle(id, Event::Skip { by })
            .await
            .expect("skips");
    }
    rig.runtime
        .handle(
            id,
            Event::Rate {
                by,
                rating: Some(rating),
            },
        )
        .await
        .expect("rates");
    id
}

#[test]
fn a_question_answered_badly_comes_back_sooner_than_one_answered_well_at_every_review() {
    let mut bad = Vec::new();
    let mut good = Vec::new();
    let mut at = T0;
    for round in 0..5 {
        bad.push(ScoredAnswer {
            at,
            score: 20,
            coverage: 50,
        });
        good.push(ScoredAnswer {
            at,
            score: 95,
            coverage: 100,
        });
        let b = replay(&bad).expect("scheduled");
        let g = replay(&good).expect("scheduled");
        assert!(
            b.due < g.due,
            "round {round}: bad due {:?}, good due {:?}",
            b.due,
            g.due
        );
        // Good answers are spaced out further each time.
        if round > 0 {
            let before = replay(&good[..round]).expect("scheduled");
            assert!(
                g.due.millis() - at.millis() > before.due.millis() - good[round - 1].at.millis(),
                "round {round}: the interval grows after another good answer"
            );
        }
        // The next review happens when the bad one is due.
        at = b.due;
    }
    let b = replay(&bad).expect("scheduled");
    assert!(
        b.due.millis() - bad[4].at.millis() <= 2 * DAY,
        "a lapse comes back within two days"
    );
}

#[test]
fn a_missed_key_point_brings_a_question_back_sooner_than_full_coverage_at_the_same_score() {
    let full = replay(&[ScoredAnswer {
        at: T0,
        score: 80,
        coverage: 100,
    }])
    .expect("s");
    let gap = replay(&[ScoredAnswer {
        at: T0,
        score: 80,
        coverage: 67,
    }])
    .expect("s");
    assert!(gap.due < full.due);
}

async fn the_review_asks_the_badly_answered_question_once_it_is_due_and_says_when_next(db: Db) {
    let rig = rig(db).await;
    let ann = rig.store.local_user("ann").await.expect("user");
    // alpha-easy: both key points ("spin", "blue") and a 5: scored 100.
    answer_one(
        &rig,
        ann,
        DifficultyChoice::Easy,
        "It is blue and it spins.",
        5,
    )
    .await;
    // alpha-hard: nothing right and a 1: scored 0, two notes.
    answer_one(&rig, ann, DifficultyChoice::Hard, "No idea at all.", 1).await;

    let plan = |rig: &Rig| {
        let req = StartRequest::solo(ann, "ann", vec![], DifficultyChoice::Mixed, 5, settings());
        let runtime = rig.runtime.clone();
        async move { runtime.plan_review(req).await.expect("plans") }
    };
    // Right after the answers nothing is scheduled yet, and alpha averages
    // 50: its one unanswered question stands in.
    match plan(&rig).await {
        ReviewPlan::Ready { items, .. } => {
            assert_eq!(items.len(), 1);
            assert_eq!(items[0].question_id, "alpha-medium");
            assert_eq!(items[0].reason, DueReason::WeakTopic("alpha".into()));
        }
        other => panic!("expected the weak-topic stand-in, got {other:?}"),
    }
    // A day later the bad answer is due, with its open notes; the good one is not.
    rig.clock.advance(Duration::from_millis(DAY as u64 + 1));
    match plan(&rig).await {
        ReviewPlan::Ready { items, planned } => {
            let ids: Vec<&str> = items.iter().map(|i| i.question_id.as_str()).collect();
            assert_eq!(ids, ["alpha-hard"]);
            assert_eq!(items[0].reason, DueReason::OpenNotes(2));
            assert_eq!(planned.questions(), 1);
        }
        other => panic!("expected alpha-hard to be due, got {other:?}"),
    }
    let (due, next) = rig.runtime.due_count(ann).await.expect("counts");
    assert_eq!(due, 1);
    let good_due = next.expect("the good answer is scheduled later");
    assert!(
        good_due.millis() - T0.millis() >= 3 * DAY,
        "a perfect answer waits days: {}",
        good_due.millis() - T0.millis()
    );
}

async fn a_later_answer_that_covers_a_key_point_resolves_its_note_and_says_so(db: Db) {
    let rig = rig(db).await;
    let ann = rig.store.local_user("ann").await.expect("user");
    // alpha-easy with only "spin": the "blue" key point is missed -> a note.
    answer_one(&rig, ann, DifficultyChoice::Easy, "It spins.", 3).await;
    let open: Vec<(i64, i64)> = sqlx_rows(
        &rig.db,
        "SELECT id, key_point FROM notes WHERE resolved = 0",
    )
    .await;
    assert_eq!(open.len(), 1, "one note for the missed key point");
    assert_eq!(open[0].1, 1, "about key point 1 (blue)");
    let resolved = answer_later(&rig, ann, DifficultyChoice::Easy, "Gizmos are blue.").await;
    assert_eq!(resolved.len(), 1, "the delivery tells the person");
    assert_eq!(resolved[0].id, open[0].0);
    assert!(resolved[0].text.contains("blue"));
    let stored: Vec<(i64, i64)> =
        sqlx_rows(&rig.db, "SELECT id, resolved FROM notes ORDER BY id").await;
    assert_eq!(stored[0], (open[0].0, 1));
}

async fn reminders_are_opt_in_claimed_once_a_day_and_stop_after_opt_out_or_deletion(db: Db) {
    let rig = rig(db).await;
    let ann = rig.store.discord_user(1001, "ann").await.expect("user");
    let bob = rig.store.discord_user(1002, "bob").await.expect("user");
    answer_one(&rig, ann, DifficultyChoice::Hard, "No idea.", 1).await;
    answer_one(&rig, bob, DifficultyChoice::Hard, "No idea.", 1).await;
    rig.clock.advance(Duration::from_millis(2 * DAY as u64));
    // Nobody opted in: nobody is reminded, though both have questions due.
    assert!(rig
        .runtime
        .claim_reminders()
        .await
        .expect("claims")
        .is_empty());
    rig.store
        .set_reminders(ann, Some(7), true, rig.clock.now())
        .await
        .expect("on");
    let first = rig.runtime.claim_reminders().await.expect("claims");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].target.discord_id, 1001);
    assert_eq!(first[0].due, 1);
    // The same day again: nothing more.
    rig.clock.advance(Duration::from_secs(3600));
    assert!(rig
        .runtime
        .claim_reminders()
        .await
        .expect("claims")
        .is_empty());
    // The next day: one more, and the day is stored (it survives a restart).
    rig.clock.advance(Duration::from_millis(DAY as u64));
    assert_eq!(
        rig.runtime.claim_reminders().await.expect("claims").len(),
        1
    );
    let day: Vec<(i64, i64)> = sqlx_rows(
        &rig.db,
        "SELECT user_id, last_sent_day FROM review_reminders",
    )
    .await;
    assert_eq!(day, [(ann.0, day_of(rig.clock.now()))]);
    // Off: nothing the day after.
    rig.store
        .set_reminders(ann, None, false, rig.clock.now())
        .await
        .expect("off");
    rig.clock.advance(Duration::from_millis(DAY as u64));
    assert!(rig
        .runtime
        .claim_reminders()
        .await
        .expect("claims")
        .is_empty());
    // Bob opts in, then deletes his data: his opt-in goes with it.
    rig.store
        .set_reminders(bob, Some(7), true, rig.clock.now())
        .await
        .expect("on");
    rig.store.delete_user(bob).await.expect("deletes");
    rig.clock.advance(Duration::from_millis(DAY as u64));
    assert!(rig
        .runtime
        .claim_reminders()
        .await
        .expect("claims")
        .is_empty());
    let left: Vec<(i64, i64)> =
        sqlx_rows(&rig.db, "SELECT user_id, enabled FROM review_reminders").await;
    assert_eq!(left, [(ann.0, 0)], "no review state of bob's is left");
}

async fn the_export_holds_what_the_database_holds(db: Db) {
    let rig = rig(db).await;
    let ann = rig.store.local_user("ann").await.expect("user");
    let id = answer_one(
        &rig,
        ann,
        DifficultyChoice::Medium,
        "Widgets are cheap, and made of brass.",
        4,
    )
    .await;
    let e = rig.runtime.export(id, ann).await.expect("exports");
    let row: Vec<(String, i64)> = sqlx_rows(
        &rig.db,
        &format!("SELECT answer, score FROM asked_questions WHERE session_id = {id}"),
    )
    .await;
    assert_eq!(e.questions.len(), 1);
    let q = &e.questions[0];
    assert_eq!(q.answer, row[0].0);
    assert_eq!(q.score.map(i64::from), Some(row[0].1));
    assert_eq!(q.missed, ["Gadgets are loud."]);
    let covered: Vec<&str> = q.covered.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(covered, ["Widgets are cheap.", "Both are made of brass."]);
    let notes: Vec<(String, i64)> = sqlx_rows(
        &rig.db,
        &format!("SELECT text, resolved FROM notes WHERE session_id = {id}"),
    )
    .await;
    assert_eq!(e.notes, [notes[0].0.clone()]);
    let md = interview_bot::export::to_markdown(&e);
    for needle in [
        "# Interview #",
        "Compare widgets and gadgets.",
        "> Widgets are cheap, and made of brass.",
        "- [x] Widgets are cheap.",
        "- [ ] Gadgets are loud.",
        "### Model answer",
        "both are brass",
        &format!("**Score:** {}/100", row[0].1),
        &notes[0].0,
    ] {
        assert!(md.contains(needle), "markdown lacks {needle:?}:\n{md}");
    }
    let csv = interview_bot::export::to_csv(&e);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("number,question_id,topic"));
    assert!(lines[1].starts_with(&format!(
        "1,alpha-medium,Alpha,medium,answered,{},",
        row[0].1
    )));
    // Someone else's session is refused, and so is one that does not exist.
    let bob = rig.store.local_user("bob").await.expect("user");
    let refused = rig.runtime.export(id, bob).await.expect_err("not bob's");
    assert!(refused
        .user_message()
        .expect("shown")
        .contains("not one of yours"));
    assert!(rig.runtime.export(9999, ann).await.is_err());
}

async fn the_chart_is_a_png_of_its_size_from_known_data_and_empty_history_gives_none(db: Db) {
    let rig = rig(db).await;
    let ann = rig.store.local_user("ann").await.expect("user");
    let bank: Bank = common::mini_bank();
    let chart = |rig: &Rig, user: UserId| {
        let store = rig.store.clone();
        let bank = &bank;
        async move {
            let stats = store.user_stats(user, Scope::All, T0).await.expect("stats");
            let weeks = store
                .weekly_averages(user, Scope::All, false)
                .await
                .expect("weeks");
            ChartData::from_stats("Progress · ann", &stats, weeks, |t| {
                bank.topic_title(t).to_string()
            })
        }
    };
    assert!(chart(&rig, ann).await.is_empty(), "no history, no chart");
    assert!(render_png(&chart(&rig, ann).await).is_err());
    answer_one(
        &rig,
        ann,
        DifficultyChoice::Easy,
        "It is blue and it spins.",
        5,
    )
    .await;
    rig.clock.advance(Duration::from_millis(8 * DAY as u64));
    answer_one(&rig, ann, DifficultyChoice::Hard, "No idea.", 1).await;
    let data = chart(&rig, ann).await;
    assert_eq!(data.weeks.len(), 2, "two weeks with answers");
    assert_eq!(data.weeks[0].average, 100.0);
    assert_eq!(data.weeks[1].average, 0.0);
    assert_eq!(data.topics.len(), 1);
    assert!(data.topics[0].weakest);
    assert_eq!(data.topics[0].average, 50.0);
    let png = render_png(&data).expect("draws");
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let mut reader = decoder.read_info().expect("a valid PNG header");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).expect("decodes");
    assert_eq!((frame.width, frame.height), (WIDTH, HEIGHT));
    // Not a blank card: the background, text and bar colours all appear.
    let distinct: std::collections::HashSet<&[u8]> =
        pixels[..frame.buffer_size()].chunks(3).collect();
    assert!(distinct.len() > 20, "{} colours", distinct.len());
}

/// Two-column rows of a query.
async fn sqlx_rows<A, B>(db: &Db, sql: &str) -> Vec<(A, B)>
where
    A: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
    B: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
{
    let pool = db.raw().await;
    sqlx::query_as::<_, (A, B)>(sql)
        .fetch_all(&pool)
        .await
        .expect("query")
}

/// Two days on, one alpha question answered with `text` and rated: the
/// notes the answer resolved.
async fn answer_later(
    rig: &Rig,
    ann: UserId,
    difficulty: DifficultyChoice,
    text: &str,
) -> Vec<ResolvedNote> {
    rig.clock.advance(Duration::from_millis(2 * DAY as u64));
    let req = StartRequest::solo(ann, "ann", vec!["alpha".into()], difficulty, 1, settings());
    let d = rig.runtime.start(req).await.expect("starts");
    let fed = rig
        .runtime
        .handle(
            d.session.id,
            Event::SubmitWith {
                by: ann,
                text: text.into(),
            },
        )
        .await
        .expect("answers");
    rig.runtime
        .handle(
            d.session.id,
            Event::Rate {
                by: ann,
                rating: Some(3),
            },
        )
        .await
        .expect("rates");
    fed.resolved_notes
}

fn ids(notes: Vec<ResolvedNote>) -> Vec<i64> {
    notes.iter().map(|n| n.id).collect()
}

/// An answer that covers several key points resolves the open note of each
/// (earlier sessions' only), in key-point order, and leaves the rest open.
async fn an_answer_covering_several_key_points_resolves_each_of_their_notes(db: Db) {
    let rig = rig(db).await;
    let ann = rig.store.local_user("ann").await.expect("user");
    // alpha-hard: teeth (0) and power (1), both missed.
    answer_one(&rig, ann, DifficultyChoice::Hard, "No idea.", 1).await;
    let first: Vec<(i64, i64)> = sqlx_rows(
        &rig.db,
        "SELECT id, key_point FROM notes WHERE resolved = 0 ORDER BY key_point",
    )
    .await;
    assert_eq!(first.iter().map(|n| n.1).collect::<Vec<_>>(), [0, 1]);
    // Only teeth: its note goes, power's stays (and this answer's own
    // missed power point is not resolved by itself).
    assert_eq!(
        ids(answer_later(&rig, ann, DifficultyChoice::Hard, "Sprockets need teeth.").await),
        [first[0].0]
    );
    let open: Vec<(i64, i64)> = sqlx_rows(
        &rig.db,
        "SELECT id, key_point FROM notes WHERE resolved = 0 ORDER BY id",
    )
    .await;
    assert!(
        open.iter().all(|n| n.1 == 1),
        "only power is open: {open:?}"
    );
    assert!(open.iter().any(|n| n.0 == first[1].0));
    // Both: every open note goes, each once.
    let mut both = ids(answer_later(
        &rig,
        ann,
        DifficultyChoice::Hard,
        "Teeth, and electricity for power.",
    )
    .await);
    both.sort();
    assert_eq!(both, open.iter().map(|n| n.0).collect::<Vec<_>>());
    let left: Vec<(i64, i64)> =
        sqlx_rows(&rig.db, "SELECT id, resolved FROM notes WHERE resolved = 0").await;
    assert!(left.is_empty(), "{left:?}");
}

on_both_backends!(
    the_review_asks_the_badly_answered_question_once_it_is_due_and_says_when_next,
    a_later_answer_that_covers_a_key_point_resolves_its_note_and_says_so,
    an_answer_covering_several_key_points_resolves_each_of_their_notes,
    reminders_are_opt_in_claimed_once_a_day_and_stop_after_opt_out_or_deletion,
    the_export_holds_what_the_database_holds,
    the_chart_is_a_png_of_its_size_from_known_data_and_empty_history_gives_none,
);
