//! Two bot processes, shards 0 and 1 of 2, on one database (a SQLite file,
//! and PostgreSQL when the suite has one), each against a Discord stand-in
//! whose server Discord routes to that process's shard (the stand-in fails
//! an IDENTIFY for any other shard). Interviews run in both servers;
//! stopping one process does not disturb the other's; restarting it
//! recovers its own interview and no other; no deadline fires twice and no
//! question is posted twice. Clocks are manual: no real waiting.

#[macro_use]
mod common;
mod support;

use interview_bot::store::StoredSession;
use serde_json::json;
use std::time::Duration;
use support::*;

async fn session_in(world: &World, thread: u64) -> StoredSession {
    let store = world.store().await;
    let running = store.running_sessions().await.expect("query");
    let id = running
        .iter()
        .find(|r| r.thread_id == Some(thread))
        .map(|r| r.id)
        .expect("the thread's interview is running");
    store.load_session(id).await.expect("query").expect("there")
}

fn count_in(world: &World, thread: u64, needle: &str) -> usize {
    world
        .discord
        .messages_in(thread)
        .iter()
        .filter(|m| m.text().contains(needle))
        .count()
}

/// Requests the bot of `world` made about `channel` (it has no business
/// with a channel of the other process's server).
fn requests_about(world: &World, channel: u64) -> Vec<String> {
    let id = channel.to_string();
    world
        .discord
        .requests()
        .iter()
        .filter(|r| r.path.split('/').any(|part| part == id))
        .map(|r| r.line())
        .collect()
}

async fn two_processes_with_different_shards_each_resume_only_their_own_interviews(db: common::Db) {
    let zero = World::on_shard(0, 2, Some(db.url.clone())).await;
    let mut one = World::on_shard(1, 2, Some(db.url.clone())).await;
    for (world, shard) in [(&zero, 0), (&one, 1)] {
        let identified = world.discord.identify_payloads();
        assert_eq!(identified.len(), 1);
        assert_eq!(
            identified[0]["shard"],
            json!([shard, 2]),
            "only its own shard"
        );
        let guild = world.discord.guild_id();
        assert_eq!((guild >> 22) % 2, shard, "the server is on that shard");
    }
    let options = [("topic", json!(TOPIC)), ("questions", json!(2))];
    let (t0, q0) = zero.start_interview(zero.discord.alice(), &options).await;
    let (t1, _q1) = one.start_interview(one.discord.alice(), &options).await;
    let armed = |w: &World| w.bot.as_ref().expect("a bot runs").runtime().armed();
    assert_eq!((armed(&zero), armed(&one)), (1, 1), "each arms its own");

    // Process 1 stops; process 0's interview goes on undisturbed.
    one.stop_bot().await;
    let feedback = zero
        .answer(zero.discord.alice(), &q0, "mutable defaults are shared")
        .await;
    assert!(
        feedback.text().contains("Key points"),
        "{}",
        feedback.text()
    );
    let zero_before = session_in(&zero, t0).await.version;

    // Every deadline is overdue on process 1's clock when it comes back:
    // it closes its own interview's question and asks the next one, and
    // leaves process 0's (whose rating window is as overdue) alone.
    one.advance(Duration::from_secs(600));
    one.start_bot().await;
    one.message_with(t1, "Question 2 of").await;
    assert_eq!(armed(&one), 1);
    assert_eq!(
        session_in(&zero, t0).await.version,
        zero_before,
        "untouched by process 1"
    );
    assert!(
        requests_about(&one, t0).is_empty(),
        "{:?}",
        requests_about(&one, t0)
    );
    assert_eq!(count_in(&zero, t0, "Question 2 of"), 0);

    // Process 0's own clock then closes its rating window, once.
    zero.advance(Duration::from_secs(130));
    zero.message_with(t0, "Question 2 of").await;
    assert!(
        requests_about(&zero, t1).is_empty(),
        "{:?}",
        requests_about(&zero, t1)
    );
    // Let any stray duplicate arrive before counting: both bots answer a
    // command after their timers (each thread's lane keeps order).
    for w in [&zero, &one] {
        let status = w.discord.slash_command(
            w.discord.alice(),
            w.discord.channel_id(),
            "interview status",
            &[],
        );
        status.original_message(T).await;
    }
    for (world, thread) in [(&zero, t0), (&one, t1)] {
        assert_eq!(count_in(world, thread, "Question 1 of"), 1, "asked once");
        assert_eq!(count_in(world, thread, "Question 2 of"), 1, "asked once");
        assert!(count_in(world, thread, "was restarted") <= 1);
        assert_no_pings(&world.discord);
        world.discord.assert_clean();
    }
    assert_eq!(
        count_in(&zero, t0, "was restarted"),
        0,
        "process 0 never restarted"
    );
}

on_both_backends!(two_processes_with_different_shards_each_resume_only_their_own_interviews);
