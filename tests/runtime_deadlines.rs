//! Deadlines on a manual clock: far ones, a scheduler that is killed, and
//! firings that fail on the database. Real SQLite files; no real waiting
//! for any timer (time moves only when a test advances the clock).

mod common;

use interview_bot::bank::DifficultyChoice;
use interview_bot::interview::*;
use interview_bot::runtime::{Delivery, Runtime, StartRequest};
use interview_bot::store::SessionId;
use interview_bot::time::Timestamp;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

use common::{eventually, setup, Setup, T, T0};

fn secs(s: u64) -> Timestamp {
    T0.plus(Duration::from_secs(s))
}

/// A one-question solo session of `seconds` a question for a new person.
async fn start(rt: &Runtime, name: &str, seconds: f64) -> SessionId {
    let user = rt.store().local_user(name).await.expect("user");
    let settings = Settings {
        seconds_override: Some(seconds),
        ..Settings::default()
    };
    let req = StartRequest {
        seed: Some(1),
        ..StartRequest::solo(user, name, vec![], DifficultyChoice::Mixed, 1, settings)
    };
    rt.start(req).await.expect("start").session.id
}

async fn next_delivery(rx: &mut UnboundedReceiver<Delivery>) -> Delivery {
    tokio::time::timeout(T, rx.recv())
        .await
        .expect("a deadline fired")
        .expect("the runtime is alive")
}

fn reminded(state: &SessionState) -> bool {
    matches!(state.phase, Phase::Answering { reminded: true, .. })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deadline_twelve_hundred_thousand_minutes_away_neither_panics_nor_stops_later_ones() {
    let Setup {
        _dir,
        clock,
        rt,
        mut deliveries,
        ..
    } = setup().await;
    let far = start(&rt, "ann", 1_200_000.0 * 60.0).await;
    let near = start(&rt, "ben", 30.0).await;
    assert_eq!(rt.armed(), 2);
    assert!(rt.armed_at(far).is_some_and(|at| at > secs(70_000_000)));

    clock.advance(Duration::from_secs(24));
    let d = next_delivery(&mut deliveries).await;
    assert_eq!(d.session.id, near);
    assert!(
        matches!(d.effects[..], [Effect::Remind { .. }]),
        "{:?}",
        d.effects
    );
    clock.advance(Duration::from_secs(6));
    let d = next_delivery(&mut deliveries).await;
    assert_eq!(d.session.id, near);
    assert!(!d.session.state.is_running(), "the near question timed out");
    assert!(rt.session(far).await.expect("load").state.is_running());
    assert_eq!(rt.scheduler_restarts(), 0, "nothing had to be restarted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduler_that_panics_is_restarted_with_every_armed_deadline() {
    let Setup {
        _dir,
        clock,
        rt,
        mut deliveries,
        ..
    } = setup().await;
    let before = start(&rt, "ann", 30.0).await;
    rt.kill_scheduler_for_tests();
    eventually("the scheduler was restarted", || {
        rt.scheduler_restarts() == 1
    })
    .await;
    // Armed while the task was (or had just been) down: not lost either.
    let after = start(&rt, "ben", 60.0).await;

    clock.advance(Duration::from_secs(24));
    let d = next_delivery(&mut deliveries).await;
    assert_eq!(d.session.id, before);
    assert!(
        matches!(d.effects[..], [Effect::Remind { .. }]),
        "{:?}",
        d.effects
    );
    // At 48 s: the first one's deadline (30 s) and the second's reminder.
    clock.advance(Duration::from_secs(24));
    let mut fired = vec![
        next_delivery(&mut deliveries).await.session.id,
        next_delivery(&mut deliveries).await.session.id,
    ];
    fired.sort();
    assert_eq!(fired, [before, after]);
    assert!(reminded(&rt.session(after).await.expect("load").state));
    assert!(!rt.session(before).await.expect("load").state.is_running());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deadline_that_fails_on_the_database_is_retried_with_backoff_until_it_works() {
    let Setup {
        _dir,
        db,
        clock,
        rt,
        mut deliveries,
        ..
    } = setup().await;
    let id = start(&rt, "ann", 30.0).await;
    // A second connection makes every update of a session fail, as a
    // database that cannot take the write would.
    let other = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .expect("second connection");
    sqlx::query(
        "CREATE TRIGGER injected BEFORE UPDATE ON sessions BEGIN SELECT RAISE(ABORT, 'injected'); END",
    )
    .execute(&other)
    .await
    .expect("trigger");

    // The reminder is due at 24 s: it fails, and is retried 1 s later...
    clock.advance(Duration::from_secs(24));
    eventually("the first retry is armed 1 s on", || {
        rt.armed_at(id) == Some(secs(25))
    })
    .await;
    // ...fails again, and the next retry waits twice as long.
    clock.advance(Duration::from_secs(1));
    eventually("the second retry is armed 2 s on", || {
        rt.armed_at(id) == Some(secs(27))
    })
    .await;
    assert!(!reminded(&rt.session(id).await.expect("load").state));
    assert!(
        deliveries.try_recv().is_err(),
        "a failed firing shows nothing"
    );

    sqlx::query("DROP TRIGGER injected")
        .execute(&other)
        .await
        .expect("drop trigger");
    clock.advance(Duration::from_secs(2));
    let d = next_delivery(&mut deliveries).await;
    assert!(
        matches!(d.effects[..], [Effect::Remind { .. }]),
        "{:?}",
        d.effects
    );
    assert!(reminded(&rt.session(id).await.expect("load").state));
    // It worked: the question's own deadline is armed again, not a retry.
    assert_eq!(rt.armed_at(id), Some(secs(30)));
    clock.advance(Duration::from_secs(3));
    let d = next_delivery(&mut deliveries).await;
    assert!(!d.session.state.is_running());
    assert_eq!(
        rt.session(id).await.expect("load").state.results[0].outcome,
        Some(Outcome::Unanswered)
    );
}
