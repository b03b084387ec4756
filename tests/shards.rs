//! Shard ranges per process, below the front ends: two runtimes on one
//! database (two processes), each owning the servers of its own shard,
//! re-arm, fire, expire and remind only their own; a stopped process's
//! sessions wait for the next process with its shards. On a SQLite file
//! and on PostgreSQL. Time moves only when a test advances a clock.

#[macro_use]
mod common;

use common::{mini_bank, Db, T, T0};
use interview_bot::bank::DifficultyChoice;
use interview_bot::interview::*;
use interview_bot::metrics::Metrics;
use interview_bot::runtime::shards::Ownership;
use interview_bot::runtime::{Delivery, Runtime, StartRequest};
use interview_bot::store::{NewLobby, SessionId, Store};
use interview_bot::time::Clock;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

/// Two servers whose ids Discord routes to shard 0 and shard 1 of 2
/// (`(id >> 22) % 2`), with the low bits a real id has.
const EVEN: u64 = (1_000_000 << 22) | 12_345;
const ODD: u64 = (1_000_001 << 22) | 67_890;

fn shard(n: u32) -> Ownership {
    Ownership::new(n, n, 2).expect("a valid shard")
}

/// A process owning `ownership`, with its own pool and clock.
async fn process(db: &Db, ownership: Ownership) -> (Runtime, UnboundedReceiver<Delivery>, Clock) {
    let clock = Clock::manual(T0);
    let store = db.open().await;
    let (rt, rx) = Runtime::owning(
        store,
        Arc::new(mini_bank()),
        clock.clone(),
        Metrics::new(),
        ownership,
    );
    (rt, rx, clock)
}

/// A one-question solo interview of 300 s in `guild` (None: the terminal).
async fn start(rt: &Runtime, name: &str, guild: Option<u64>) -> SessionId {
    let user = rt.store().local_user(name).await.expect("user");
    let settings = Settings {
        seconds_override: Some(300.0),
        ..Settings::default()
    };
    let req = StartRequest {
        seed: Some(1),
        guild_id: guild,
        ..StartRequest::solo(user, name, vec![], DifficultyChoice::Mixed, 1, settings)
    };
    rt.start(req).await.expect("start").session.id
}

async fn version(store: &Store, id: SessionId) -> i64 {
    store
        .load_session(id)
        .await
        .expect("load")
        .expect("there")
        .version
}

/// The sessions the deliveries received within a short bound were about
/// (no timer is waited for: the clock was moved before).
async fn delivered(rx: &mut UnboundedReceiver<Delivery>, n: usize) -> Vec<SessionId> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let d = tokio::time::timeout(T, rx.recv())
            .await
            .expect("a deadline fired")
            .expect("the runtime is alive");
        ids.push(d.session.id);
    }
    ids.sort();
    ids
}

async fn each_process_rearms_and_fires_only_the_sessions_of_its_own_shard(db: Db) {
    // A process that owned everything starts three interviews, then stops.
    let (before, _rx, _) = process(&db, Ownership::all()).await;
    let even = start(&before, "eve", Some(EVEN)).await;
    let odd = start(&before, "otto", Some(ODD)).await;
    let terminal = start(&before, "tess", None).await;
    drop(before);

    let (zero, mut zero_rx, zero_clock) = process(&db, shard(0)).await;
    let (one, mut one_rx, _) = process(&db, shard(1)).await;
    let (r0, r1) = (
        zero.recover().await.expect("recovers"),
        one.recover().await.expect("recovers"),
    );
    let ids =
        |r: &interview_bot::runtime::Recovery| r.resumed.iter().map(|s| s.id).collect::<Vec<_>>();
    // The terminal's session has no server: shard 0's, where direct messages go.
    assert_eq!(ids(&r0), vec![even, terminal]);
    assert_eq!(ids(&r1), vec![odd]);
    assert_eq!((zero.armed(), one.armed()), (2, 1));
    assert!(zero.armed_at(odd).is_none() && one.armed_at(even).is_none());
    assert_eq!(
        (
            zero.running_here().await.ok(),
            one.running_here().await.ok()
        ),
        (Some(2), Some(1))
    );

    // A person's action handled in shard 0's process for shard 1's session
    // (say, a deletion) arms nothing there: its timers stay shard 1's.
    let otto = one.store().local_user("otto").await.expect("user");
    let answered = zero
        .handle(
            odd,
            Event::Answer {
                by: otto,
                text: "flanges join pipes".into(),
            },
        )
        .await
        .expect("applies");
    assert!(
        answered.session.state.next_wakeup().is_some(),
        "it waits for something"
    );
    assert!(
        zero.armed_at(odd).is_none(),
        "not armed by the process that does not own it"
    );
    assert!(one.armed_at(odd).is_some());

    // Shard 0's clock passes every deadline: only its sessions move.
    let odd_version = version(one.store(), odd).await;
    zero_clock.advance(Duration::from_secs(301));
    assert_eq!(delivered(&mut zero_rx, 2).await, vec![even, terminal]);
    assert_eq!(
        version(one.store(), odd).await,
        odd_version,
        "shard 1's session untouched"
    );
    assert!(one_rx.try_recv().is_err(), "shard 1 delivered nothing");
    drop((zero, zero_rx));

    // Shard 1 stops before its deadline; the next process with shard 1
    // recovers its session (overdue by now) and closes it, once.
    drop((one, one_rx));
    let (again, mut again_rx, again_clock) = process(&db, shard(1)).await;
    again_clock.advance(Duration::from_secs(400));
    let r = again.recover().await.expect("recovers");
    assert_eq!((r.advanced, r.rearmed, r.failed), (1, 0, 0));
    assert_eq!(delivered(&mut again_rx, 1).await, vec![odd]);
    assert!(
        again.armed_at(odd).is_some(),
        "its rating window is armed here"
    );
    // Shard 0's sessions ended at their timeout; its next process leaves
    // shard 1's running one alone.
    let (zero_again, _, _) = process(&db, shard(0)).await;
    let r = zero_again.recover().await.expect("recovers");
    assert!(ids(&r).is_empty() && r.advanced == 0, "{r:?}");
    assert_eq!(zero_again.armed(), 0);
}

async fn lobbies_expire_and_reminders_go_out_only_in_the_process_of_their_server(db: Db) {
    let (zero, _zrx, zero_clock) = process(&db, shard(0)).await;
    let (one, _orx, one_clock) = process(&db, shard(1)).await;
    let lobby = |guild| NewLobby {
        guild,
        channel: 2,
        creator: 3,
        topic: "alpha".into(),
        difficulty: "mixed".into(),
        questions: 1,
        minutes: None,
        created: T0,
    };
    let store = zero.store();
    let even = store.create_lobby(&lobby(EVEN)).await.expect("lobby").id;
    let odd = store.create_lobby(&lobby(ODD)).await.expect("lobby").id;
    for c in [&zero_clock, &one_clock] {
        c.advance(Duration::from_secs(31 * 60));
    }
    let ids = |l: Vec<interview_bot::store::Lobby>| l.into_iter().map(|l| l.id).collect::<Vec<_>>();
    assert_eq!(
        ids(zero.expire_lobbies().await.expect("sweeps")),
        vec![even]
    );
    assert_eq!(ids(one.expire_lobbies().await.expect("sweeps")), vec![odd]);
    assert!(zero.expire_lobbies().await.expect("sweeps").is_empty());

    // Three people with reminders on and a question due: in each server,
    // and one by direct message only (no server: shard 0's).
    let mut people = Vec::new();
    for (name, discord, guild) in [
        ("ea", 11, Some(EVEN)),
        ("od", 12, Some(ODD)),
        ("dm", 13, None),
    ] {
        let by = store.discord_user(discord, name).await.expect("user");
        let settings = Settings {
            seconds_override: Some(300.0),
            ..Settings::default()
        };
        let req = StartRequest {
            guild_id: guild,
            ..StartRequest::solo(
                by,
                name,
                vec!["alpha".into()],
                DifficultyChoice::Hard,
                1,
                settings,
            )
        };
        let id = zero.start(req).await.expect("starts").session.id;
        let text = "No idea.".into();
        zero.handle(id, Event::SubmitWith { by, text })
            .await
            .expect("answers");
        zero.handle(
            id,
            Event::Rate {
                by,
                rating: Some(1),
            },
        )
        .await
        .expect("rates");
        store.set_reminders(by, guild, true, T0).await.expect("on");
        people.push(by);
    }
    for c in [&zero_clock, &one_clock] {
        c.advance(Duration::from_secs(2 * 24 * 3600));
    }
    let users = |r: Vec<interview_bot::runtime::Reminder>| {
        r.into_iter().map(|r| r.target.user).collect::<Vec<_>>()
    };
    let zero_got = users(zero.claim_reminders().await.expect("claims"));
    let one_got = users(one.claim_reminders().await.expect("claims"));
    assert_eq!(zero_got, vec![people[0], people[2]]);
    assert_eq!(one_got, vec![people[1]]);
}

on_both_backends!(
    each_process_rearms_and_fires_only_the_sessions_of_its_own_shard,
    lobbies_expire_and_reminders_go_out_only_in_the_process_of_their_server,
);
