//! End to end through the loopback Discord stand-in (real sockets, the real
//! serenity/poise client): how fast the bot first answers interactions under
//! load, and how many REST requests a solo question costs.
//! Run: `cargo bench --bench discord`.

#[path = "../tests/support/mod.rs"]
#[allow(unused_imports)]
mod support;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{rest_requests_since, BotKnobs, InteractionHandle, StoredMessage, World, T};

const RATE: u64 = 1000;
const SECONDS: u64 = 30;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio");
    rt.block_on(run());
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn report(what: &str, value: String, target: &str, ok: bool) {
    println!(
        "  {what:<48} {value:>14}   target {target:<12} {}",
        if ok { "ok" } else { "MISSED" }
    );
}

async fn run() {
    println!("6. end to end through the loopback Discord stand-in");
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;

    // REST requests per question of a 5-question solo interview, outside
    // interaction responses (the global 50/s budget).
    let from = d.requests().len();
    let (thread, mut question) = world
        .start_interview(
            d.alice(),
            &[("topic", "core-python".into()), ("questions", 5.into())],
        )
        .await;
    for n in 1..=5 {
        let feedback = world
            .answer(
                d.alice(),
                &question,
                "An answer that mentions a few things.",
            )
            .await;
        world.press(d.alice(), &feedback, "r4").response(T).await;
        question = if n < 5 {
            world
                .message_with(thread, &format!("Question {} of 5", n + 1))
                .await
        } else {
            world.message_with(thread, "Summary").await
        };
    }
    let spent = rest_requests_since(d, from).len();
    let per = spent as f64 / 5.0;
    report(
        "REST requests per solo question (5 questions)",
        format!("{per:.1}"),
        "<= 4",
        per <= 4.0,
    );

    first_responses(&world).await;
}

/// What an interaction of the mix was, for the per-kind figures.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Topics,
    Leaderboard,
    Start,
    Press,
}

const KINDS: [Kind; 4] = [Kind::Topics, Kind::Leaderboard, Kind::Start, Kind::Press];

/// The mix, per 10 interactions: 3 /topics (bank only), 2 /leaderboard (a
/// database read), 1 /interview start (a new person: the reply is deferred
/// at once, then questions are chosen, the session stored and a thread
/// made) and 4 Skip presses on running interviews (a stored transition
/// before the response, which carries the feedback and the next question).
fn kind_of(i: u64) -> Kind {
    match i % 10 {
        0 | 3 | 6 => Kind::Topics,
        1 | 7 => Kind::Leaderboard,
        5 => Kind::Start,
        _ => Kind::Press,
    }
}

/// A running interview and the message whose Skip button is next.
type Ready = Arc<Mutex<VecDeque<(u64, StoredMessage)>>>;

/// Presses Skip on `question`; when the response is in, queues the next
/// question of the same interview (unless that was the last).
fn press_skip(
    world: &World,
    ready: &Ready,
    user: u64,
    question: &StoredMessage,
) -> InteractionHandle {
    let h = world.press(user, question, "skip");
    let (ready, h2) = (Arc::clone(ready), h.clone());
    tokio::spawn(async move {
        let next = h2.original_message(T).await;
        if next
            .custom_ids()
            .iter()
            .any(|c| c.split(':').nth(3) == Some("skip"))
        {
            ready.lock().unwrap().push_back((user, next));
        }
    });
    h
}

/// First responses at RATE interactions a second for SECONDS seconds.
async fn first_responses(world: &World) {
    let d = &world.discord;
    let ready: Ready = Arc::new(Mutex::new(VecDeque::new()));
    // Interviews to press on: each of 20 questions, so one lasts 20 presses.
    let presses = RATE * SECONDS * 4 / 10;
    let prepared = (presses / 20 + 20).min(800);
    print!("  preparing {prepared} interviews...");
    for i in 0..prepared {
        let user = d.add_member(&format!("bench-prep-{i}"));
        let (_, q) = world
            .start_interview(
                user,
                &[("topic", "core-python".into()), ("questions", 20.into())],
            )
            .await;
        ready.lock().unwrap().push_back((user, q));
    }
    let starters: Vec<u64> = (0..RATE * SECONDS / 10 + 1)
        .map(|i| d.add_member(&format!("bench-start-{i}")))
        .collect();
    println!(" done");

    let users = [d.alice(), d.bob(), d.carol(), d.dave()];
    let mut handles: Vec<(Kind, InteractionHandle)> = Vec::new();
    let mut substituted = 0;
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / RATE));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let start = Instant::now();
    for i in 0..RATE * SECONDS {
        tick.tick().await;
        let who = users[i as usize % users.len()];
        let mut kind = kind_of(i);
        let next = if kind == Kind::Press {
            ready.lock().unwrap().pop_front()
        } else {
            None
        };
        if kind == Kind::Press && next.is_none() {
            substituted += 1;
            kind = Kind::Topics;
        }
        let h = match kind {
            Kind::Topics => d.slash_command(who, d.channel_id(), "topics", &[]),
            Kind::Leaderboard => d.slash_command(who, d.channel_id(), "leaderboard", &[]),
            Kind::Start => d.slash_command(
                starters[(i / 10) as usize],
                d.channel_id(),
                "interview start",
                &[("topic", "core-python".into()), ("questions", 3.into())],
            ),
            Kind::Press => {
                let (user, q) = next.expect("checked above");
                press_skip(world, &ready, user, &q)
            }
        };
        handles.push((kind, h));
    }
    let sent_in = start.elapsed();
    let mut all = Vec::with_capacity(handles.len());
    let mut by_kind: Vec<Vec<Duration>> = vec![Vec::new(); KINDS.len()];
    for (kind, h) in &handles {
        let after = h.response(T).await.after;
        all.push(after);
        by_kind[KINDS.iter().position(|k| k == kind).unwrap_or(0)].push(after);
    }
    println!(
        "  sent {} interactions in {:.1} s ({} presses replaced by /topics: no interview was ready)",
        all.len(),
        sent_in.as_secs_f64(),
        substituted
    );
    let p = |v: &mut Vec<Duration>, q: f64| {
        v.sort();
        v.get(((v.len().max(1) - 1) as f64 * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    for (k, v) in KINDS.iter().zip(by_kind.iter_mut()) {
        let n = v.len();
        report(
            &format!("  {k:?} ({n}) first response p99"),
            ms(p(v, 0.99)),
            "(record)",
            true,
        );
    }
    report("first response p50", ms(p(&mut all, 0.5)), "(record)", true);
    let p99 = p(&mut all, 0.99);
    report(
        "first response p99",
        ms(p99),
        "< 50 ms",
        p99 < Duration::from_millis(50),
    );
    let max = p(&mut all, 1.0);
    report(
        "first response max",
        ms(max),
        "< 3 s",
        max < Duration::from_secs(3),
    );
}
