//! End to end through the loopback Discord stand-in (real sockets, the real
//! serenity/poise client): how fast the bot first answers interactions under
//! load, and how many REST requests a solo question costs.
//! Run: `cargo bench --bench discord`.

#[path = "../tests/support/mod.rs"]
#[allow(unused_imports)]
mod support;

use std::time::{Duration, Instant};
use support::{rest_requests_since, BotKnobs, World, T};

const RATE: u64 = 200;
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

    // First responses at RATE interactions a second, for SECONDS seconds:
    // alternating /topics (bank only) and /leaderboard (a database query).
    let users = [d.alice(), d.bob(), d.carol(), d.dave()];
    let mut handles = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / RATE));
    let start = Instant::now();
    for i in 0..RATE * SECONDS {
        tick.tick().await;
        let cmd = if i % 2 == 0 { "topics" } else { "leaderboard" };
        handles.push(d.slash_command(users[i as usize % users.len()], d.channel_id(), cmd, &[]));
    }
    let sent_in = start.elapsed();
    let mut firsts = Vec::with_capacity(handles.len());
    for h in handles {
        firsts.push(h.response(T).await.after);
    }
    firsts.sort();
    let p = |q: f64| firsts[((firsts.len() - 1) as f64 * q).round() as usize];
    println!(
        "  sent {} interactions in {:.1} s",
        firsts.len(),
        sent_in.as_secs_f64()
    );
    report("first response p50", ms(p(0.5)), "(record)", true);
    report(
        "first response p99",
        ms(p(0.99)),
        "< 50 ms",
        p(0.99) < Duration::from_millis(50),
    );
    report(
        "first response max",
        ms(p(1.0)),
        "< 3 s",
        p(1.0) < Duration::from_secs(3),
    );
}
