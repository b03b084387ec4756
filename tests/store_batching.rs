//! Group commit: many transitions in one transaction, each in a savepoint of
//! its own, on real SQLite files (and the last test on PostgreSQL too). A write another connection makes fail
//! fails alone; two transitions computed from the same version store one;
//! concurrent writers lose nothing.

#[macro_use]
mod common;

use futures::future::join_all;
use interview_bot::bank::DifficultyChoice;
use interview_bot::interview::*;
use interview_bot::runtime::{Runtime, StartRequest};
use interview_bot::store::{SessionId, StoreError};
use sqlx::{Connection, Executor, SqliteConnection};
use std::path::Path;
use std::time::Duration;

use common::{eventually, setup, Setup, T, T0};

/// A one-question solo session of `seconds` a question for a new person.
async fn start(rt: &Runtime, name: &str, seconds: f64) -> (SessionId, UserId) {
    let user = rt.store().local_user(name).await.expect("user");
    let settings = Settings {
        seconds_override: Some(seconds),
        ..Settings::default()
    };
    let req = StartRequest {
        seed: Some(1),
        ..StartRequest::solo(user, name, vec![], DifficultyChoice::Mixed, 1, settings)
    };
    (rt.start(req).await.expect("start").session.id, user)
}

async fn other_connection(db: &Path) -> SqliteConnection {
    SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .expect("a second connection")
}

/// Makes every update of session `id` fail, as a row the database cannot
/// take would.
async fn refuse_updates_of(conn: &mut SqliteConnection, id: SessionId) {
    conn.execute(
        format!(
            "CREATE TRIGGER refuse_one BEFORE UPDATE ON sessions WHEN OLD.id = {id}
             BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"
        )
        .as_str(),
    )
    .await
    .expect("trigger");
}

fn answer_of(state: &SessionState) -> String {
    state
        .results
        .last()
        .map(|r| r.answer.clone())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_queued_behind_a_held_lock_commit_together_and_one_that_fails_fails_alone() {
    let Setup { _dir, db, rt, .. } = setup().await;
    let mut sessions = Vec::new();
    for i in 0..10 {
        sessions.push(start(&rt, &format!("p{i}"), 300.0).await);
    }
    let refused = sessions[4].0;
    let mut other = other_connection(&db).await;
    refuse_updates_of(&mut other, refused).await;
    // Another connection holds the write lock, so every transition below
    // queues for the same transaction.
    other.execute("BEGIN IMMEDIATE").await.expect("lock");
    let before = rt.store().write_stats();
    let handles: Vec<_> = sessions
        .iter()
        .map(|&(id, by)| {
            let rt = rt.clone();
            tokio::spawn(async move {
                let text = format!("answer of {id}");
                (id, rt.handle(id, Event::Answer { by, text }).await)
            })
        })
        .collect();
    eventually("every write is queued", || {
        rt.store().write_stats().queued - before.queued == 10
    })
    .await;
    other.execute("COMMIT").await.expect("unlock");
    let results = join_all(handles).await;

    let after = rt.store().write_stats();
    assert_eq!(
        (after.batches - before.batches, after.writes - before.writes),
        (1, 10),
        "one transaction for the ten writes"
    );
    for r in results {
        let (id, result) = r.expect("task");
        let stored = rt.session(id).await.expect("load");
        if id == refused {
            assert!(
                matches!(&result, Err(e) if e.to_string().contains("refused for the test")),
                "{result:?}"
            );
            assert_eq!(
                (stored.version, answer_of(&stored.state)),
                (0, String::new())
            );
        } else {
            let d = result.expect("stored");
            assert_eq!(d.session.version, 1);
            assert_eq!(stored.version, 1);
            assert_eq!(answer_of(&stored.state), format!("answer of {id}"));
        }
    }
}

/// Single-statement writes (people, notes, settings of one kind or
/// another) ride in the writer's batches beside transitions, rather than
/// each committing on a connection of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_statement_writes_join_the_transitions_batch() {
    let Setup { _dir, db, rt, .. } = setup().await;
    let (id, by) = start(&rt, "candidate", 300.0).await;
    let store = rt.store().clone();
    let mut other = other_connection(&db).await;
    other.execute("BEGIN IMMEDIATE").await.expect("lock");
    let before = store.write_stats();
    let transition = {
        let rt = rt.clone();
        tokio::spawn(async move {
            let text = "held".to_string();
            rt.handle(id, Event::Answer { by, text }).await
        })
    };
    let names = {
        let store = store.clone();
        tokio::spawn(async move {
            join_all((0..3).map(|i| {
                let store = store.clone();
                async move { store.local_user(&format!("newcomer{i}")).await }
            }))
            .await
        })
    };
    let hidden = {
        let store = store.clone();
        tokio::spawn(async move { store.set_hidden(by, true).await })
    };
    eventually("every write is queued", || {
        store.write_stats().queued - before.queued == 5
    })
    .await;
    other.execute("COMMIT").await.expect("unlock");
    transition.await.expect("task").expect("stored");
    let users = names.await.expect("task");
    hidden.await.expect("task").expect("hidden");

    let after = store.write_stats();
    assert_eq!(
        (after.batches - before.batches, after.writes - before.writes),
        (1, 5),
        "one transaction for the transition, three people and a hide"
    );
    let ids: Vec<UserId> = users.into_iter().map(|u| u.expect("user")).collect();
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(
            store
                .local_user(&format!("newcomer{i}"))
                .await
                .expect("known"),
            *id,
            "the stored person is found again, not created twice"
        );
    }
    let hidden: i64 = sqlx::query_scalar("SELECT hidden FROM users WHERE id = ?")
        .bind(by.0)
        .fetch_one(&mut other)
        .await
        .expect("read");
    assert_eq!(hidden, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_transitions_from_the_same_version_in_one_batch_store_the_first_and_refuse_the_second()
{
    let Setup { _dir, db, rt, .. } = setup().await;
    let (id, by) = start(&rt, "ann", 300.0).await;
    let store = rt.store().clone();
    let stored = store.load_session(id).await.expect("load").expect("there");
    let bank = common::mini_bank();
    let changed = |text: &str| {
        let mut state = stored.state.clone();
        let effects = state
            .apply(
                &bank,
                Event::Answer {
                    by,
                    text: text.into(),
                },
                T0,
            )
            .expect("applies");
        (state, effects)
    };
    let (first, first_fx) = changed("first");
    let (second, second_fx) = changed("second");
    let mut other = other_connection(&db).await;
    other.execute("BEGIN IMMEDIATE").await.expect("lock");
    let before = store.write_stats();
    // join! polls in order: the first is queued first, the second behind it,
    // and the lock is let go once both wait.
    let (a, b, ()) = tokio::join!(
        store.save_transition(&stored, &first, &first_fx, T0),
        store.save_transition(&stored, &second, &second_fx, T0),
        async {
            eventually("both writes are queued", || {
                store.write_stats().queued - before.queued == 2
            })
            .await;
            other.execute("COMMIT").await.expect("unlock");
        }
    );
    assert_eq!(a.expect("the first is stored"), 1);
    assert!(matches!(b, Err(StoreError::Conflict)), "{b:?}");
    let now = store.load_session(id).await.expect("load").expect("there");
    assert_eq!((now.version, answer_of(&now.state)), (1, "first".into()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_deadlines_goes_out_while_the_one_session_that_fails_is_retried_alone() {
    let Setup {
        _dir,
        db,
        clock,
        rt,
        mut deliveries,
    } = setup().await;
    let mut ids = Vec::new();
    for i in 0..30 {
        ids.push(start(&rt, &format!("p{i}"), 30.0).await.0);
    }
    let refused = ids[11];
    refuse_updates_of(&mut other_connection(&db).await, refused).await;

    // All thirty reminders are due at 24 s, at once.
    clock.advance(Duration::from_secs(24));
    let mut reminded = Vec::new();
    while reminded.len() < ids.len() - 1 {
        let d = tokio::time::timeout(T, deliveries.recv())
            .await
            .expect("a reminder went out")
            .expect("the runtime is alive");
        assert!(
            matches!(d.effects[..], [Effect::Remind { .. }]),
            "{:?}",
            d.effects
        );
        reminded.push(d.session.id);
    }
    reminded.sort();
    let others: Vec<_> = ids.iter().copied().filter(|&id| id != refused).collect();
    assert_eq!(reminded, others);
    for &id in &others {
        assert_eq!(rt.session(id).await.expect("load").version, 1);
    }
    eventually("the failed one is retried 1 s on", || {
        rt.armed_at(refused) == Some(T0.plus(Duration::from_secs(25)))
    })
    .await;
    assert_eq!(rt.session(refused).await.expect("load").version, 0);
    assert!(
        deliveries.try_recv().is_err(),
        "a failed firing shows nothing"
    );

    other_connection(&db)
        .await
        .execute("DROP TRIGGER refuse_one")
        .await
        .expect("drop trigger");
    clock.advance(Duration::from_secs(1));
    let d = tokio::time::timeout(T, deliveries.recv())
        .await
        .expect("the retry went out")
        .expect("the runtime is alive");
    assert_eq!(d.session.id, refused);
    assert!(
        matches!(d.effects[..], [Effect::Remind { .. }]),
        "{:?}",
        d.effects
    );
}

/// On both backends: the group commit's savepoints and conditional
/// updates behave alike on PostgreSQL. (The tests above hold SQLite's write
/// lock from another connection to steer what one batch holds; PostgreSQL
/// has no database-wide write lock to hold.)
async fn concurrent_pieces_of_answers_are_all_kept_in_every_session(db: common::Db) {
    let (_db, Setup { rt, .. }) = common::setup_on(db).await;
    let mut sessions = Vec::new();
    for i in 0..4 {
        sessions.push(start(&rt, &format!("p{i}"), 300.0).await);
    }
    // Eight writers per session, five pieces each, all at once: every
    // piece is a transition of its own, appended to the answer.
    let mut handles = Vec::new();
    for &(id, by) in &sessions {
        for w in 0..8 {
            let rt = rt.clone();
            handles.push(tokio::spawn(async move {
                for n in 0..5 {
                    let text = format!("piece-{w}-{n}");
                    rt.handle(id, Event::Answer { by, text })
                        .await
                        .expect("stored");
                }
            }));
        }
    }
    for h in join_all(handles).await {
        h.expect("writer");
    }
    for &(id, _) in &sessions {
        let stored = rt.session(id).await.expect("load");
        assert_eq!(stored.version, 40, "one version per piece");
        let answer = answer_of(&stored.state);
        let mut pieces: Vec<&str> = answer.lines().collect();
        pieces.sort();
        let mut expected: Vec<String> = (0..8)
            .flat_map(|w| (0..5).map(move |n| format!("piece-{w}-{n}")))
            .collect();
        expected.sort();
        assert_eq!(pieces, expected);
    }
}

on_both_backends!(concurrent_pieces_of_answers_are_all_kept_in_every_session);
