//! End to end through the loopback Discord stand-in (real sockets, the real
//! serenity/poise client): how fast the bot first answers interactions under
//! load, and how many REST requests a solo question costs.
//! Run: `cargo bench --bench discord`.

#[path = "../tests/support/mod.rs"]
#[allow(unused_imports)]
mod support;

use std::time::Duration;
use support::{rest_requests_since, BotKnobs, World, T};

#[path = "discord/mix.rs"]
mod mix;

/// Interactions a second (`DISCORD_BENCH_RATE` overrides), for SECONDS
/// seconds (`DISCORD_BENCH_SECONDS`).
const RATE: u64 = 1000;
const SECONDS: u64 = 30;
/// Interviews started before the timed run, for its presses.
const PREPARED: usize = 300;

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
    install_tracing(&world.metrics);
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
    // The archive goes out after the summary: counted once it has.
    let archive = format!("/channels/{thread}");
    d.wait_for_request(T, |r| r.method == "PATCH" && r.path.ends_with(&archive))
        .await;
    let requests = rest_requests_since(d, from);
    let per = requests.len() as f64 / 5.0;
    for r in &requests {
        println!("    {r}");
    }
    report(
        "REST requests per solo question (5 questions)",
        format!("{per:.1}"),
        "<= 4",
        per <= 4.0,
    );

    first_responses(world).await;
}

/// The process's log layers as `serve` installs them (the log itself
/// formatted into a sink), so their cost per request is in the figures.
fn install_tracing(metrics: &interview_bot::metrics::Metrics) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    let log = tracing_subscriber::fmt::layer()
        .fmt_fields(interview_bot::redact::ScrubbedFields)
        .with_writer(std::io::sink)
        .with_filter(tracing_subscriber::EnvFilter::new(
            "info,serenity=warn,poise=warn",
        ));
    let _ = tracing_subscriber::registry()
        .with(log)
        .with(interview_bot::metrics::rest::layer(metrics.clone()))
        .try_init();
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// First responses at RATE interactions a second for SECONDS seconds, in
/// the mix `mix.rs` describes, on PREPARED interviews started beforehand
/// plus those the run starts.
async fn first_responses(world: World) {
    let world = std::sync::Arc::new(world);
    let rate = std::env::var("DISCORD_BENCH_RATE")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(RATE);
    let seconds = std::env::var("DISCORD_BENCH_SECONDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(SECONDS);
    let starts = (rate * seconds / 20) as usize;
    let mut users: Vec<u64> = (0..PREPARED + starts)
        .map(|n| world.discord.add_member(&format!("candidate{n}")))
        .collect();
    let pool = mix::prepare(&world, &mut users, PREPARED).await;
    let out = mix::run(std::sync::Arc::clone(&world), pool, users, rate, seconds).await;
    let mut all: Vec<Duration> = out.firsts.iter().map(|(_, _, d)| *d).collect();
    all.sort();
    println!(
        "  sent {} interactions in {:.1} s ({} press slots found no idle interview and sent /topics); {} unanswered after 10 s",
        all.len() + out.unanswered,
        out.sent_in.as_secs_f64(),
        out.no_idle,
        out.unanswered
    );
    // Each 5 s of the run: does it hold up as the database grows?
    let windows: Vec<String> = (0..seconds.div_ceil(5))
        .map(|w| {
            let mut of: Vec<Duration> = out
                .firsts
                .iter()
                .filter(|(_, at, _)| at.as_secs() / 5 == w)
                .map(|(_, _, d)| *d)
                .collect();
            of.sort();
            format!("{:.0}", quantile(&of, 0.99).as_secs_f64() * 1000.0)
        })
        .collect();
    println!("  p99 (ms) of each 5 s: {}", windows.join(" "));
    let mut kinds: Vec<mix::Kind> = out.firsts.iter().map(|(k, _, _)| *k).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let mut of: Vec<Duration> = out
            .firsts
            .iter()
            .filter(|(k, _, _)| *k == kind)
            .map(|(_, _, d)| *d)
            .collect();
        of.sort();
        let callbacks: Vec<String> = out
            .callback_kinds
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|((_, cb), n)| format!("type {cb}: {n}"))
            .collect();
        println!(
            "    {:<12} {:>6}  p50 {}  p99 {}  max {}  ({})",
            format!("{kind:?}"),
            of.len(),
            ms(quantile(&of, 0.5)),
            ms(quantile(&of, 0.99)),
            ms(quantile(&of, 1.0)),
            callbacks.join(", ")
        );
    }
    report(
        "first response p50",
        ms(quantile(&all, 0.5)),
        "(record)",
        true,
    );
    report(
        "first response p99",
        ms(quantile(&all, 0.99)),
        "< 50 ms",
        quantile(&all, 0.99) < Duration::from_millis(50),
    );
    report(
        "first response max",
        ms(quantile(&all, 1.0)),
        "< 3 s",
        quantile(&all, 1.0) < Duration::from_secs(3),
    );
    let broken = world.discord.violations();
    report(
        "Discord rules broken (e.g. answers after 3 s)",
        broken.len().to_string(),
        "0",
        broken.is_empty(),
    );
    for v in broken.iter().take(3) {
        println!("    {}", v.rule);
    }
}
