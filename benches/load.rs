//! What a server full of interviews costs. Run: `cargo bench --bench load`
//! (or name some of: bank writers leaderboard timers restart).
//!
//! Every figure is printed beside its target; nothing here fails on a slow
//! machine. The README records the figures of a run.

use interview_bot::bank::{self, Bank, DifficultyChoice};
use interview_bot::interview::{Event, Participant, Role, SessionKind, Settings, UserId};
use interview_bot::runtime::{Runtime, StartRequest};
use interview_bot::store::Store;
use interview_bot::time::{Clock, Timestamp};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "load/leaderboard.rs"]
mod leaderboard;

/// Counts live heap bytes, so memory per interview is measured exactly
/// (resident-size deltas hide freed memory the allocator hands out again).
struct Counting;

static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), std::sync::atomic::Ordering::Relaxed);
        std::alloc::System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        LIVE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        std::alloc::System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live_heap() -> usize {
    LIVE.load(std::sync::atomic::Ordering::Relaxed)
}

fn main() {
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let run = |name: &str| wanted.is_empty() || wanted.iter().any(|w| w == name);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio");
    println!(
        "interview-bot benchmarks ({} cores)",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    if run("bank") {
        bank_load();
    }
    if run("writers") {
        rt.block_on(concurrent_writers(AnswerFlow::Typed));
        rt.block_on(concurrent_writers(AnswerFlow::Modal));
    }
    if run("leaderboard") {
        rt.block_on(leaderboard::leaderboard());
    }
    if run("timers") {
        rt.block_on(timers());
    }
    if run("restart") {
        rt.block_on(restart());
    }
}

fn report(what: &str, value: String, target: &str, ok: bool) {
    println!(
        "  {what:<48} {value:>14}   target {target:<12} {}",
        if ok { "ok" } else { "MISSED" }
    );
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn shipped_bank() -> Arc<Bank> {
    Arc::new(
        bank::load(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/question-bank"
        )))
        .expect("shipped bank"),
    )
}

/// A letters-only word no dictionary has, different for every `n`.
fn made_up_word(mut n: usize) -> String {
    let mut w = String::from("zq");
    loop {
        w.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return w;
        }
    }
}

/// 1. Loading and validating a generated bank of 5,000 questions.
fn bank_load() {
    println!("\n1. bank: load + validate 5,000 questions");
    let dir = tempfile::tempdir().expect("tempdir");
    let topics = 20;
    let mut t = String::from("topics:\n");
    for i in 0..topics {
        t.push_str(&format!(
            "  topic-{i}:\n    title: Topic {i}\n    subtopics:\n      sub-a: A\n      sub-b: B\n"
        ));
    }
    std::fs::write(dir.path().join("topics.yaml"), t).expect("write");
    for i in 0..topics {
        let mut f = String::from("questions:\n");
        for j in 0..5000 / topics {
            let d = ["easy", "medium", "hard"][j % 3];
            // Each question gets words of its own, as real questions do, so
            // the keyword lint finds nothing shared across the bank.
            let n = 3 * (i * 5000 / topics + j);
            let (a, b, c) = (made_up_word(n), made_up_word(n + 1), made_up_word(n + 2));
            f.push_str(&format!(
                "  - id: topic-{i}-q{j}\n    difficulty: {d}\n    tags: [sub-a, sub-b]\n    prompt: |\n      Why does the widget number {j} of topic {i} behave this way when the load doubles?\n      ```python\n      def f(x):\n          return x * {j}\n      ```\n    key_points:\n      - point: It scales linearly with the input size.\n        keywords: [{a} scaling, linear {a}]\n      - point: Caching avoids recomputation.\n        keywords: [{b} cache, memoize {b}]\n      - point: The lock is the bottleneck under contention.\n        keywords: [{c} contention, mutex {c}]\n    model_answer: >-\n      It shows {a} scaling; the {b} cache avoids recomputing; {c} contention on the mutex is the bottleneck.\n    hints: [Think about growth.]\n    follow_ups: [What if the input is sorted?]\n"
            ));
        }
        std::fs::write(dir.path().join(format!("topic-{i}.yaml")), f).expect("write");
    }
    let before = live_heap();
    let mut times = Vec::new();
    let mut kept = None;
    for _ in 0..5 {
        let start = Instant::now();
        let b = bank::load(dir.path()).expect("valid");
        times.push(start.elapsed());
        kept = Some(b);
    }
    let after = live_heap();
    // The first load stems every word; the later ones find the forms the
    // thread remembers, as a `/bank reload` does.
    let first = times[0];
    times.sort();
    let median = times[times.len() / 2];
    report(
        "load + validate 5,000 questions (median of 5)",
        ms(median),
        "< 300 ms",
        median < Duration::from_millis(300),
    );
    report(
        "the first load, with no word's form remembered yet",
        ms(first),
        "(record)",
        true,
    );
    let n = kept.as_ref().map(|b| b.questions.len()).unwrap_or(0);
    println!(
        "  {n} questions; the loaded bank holds {:.1} MB of heap",
        after.saturating_sub(before) as f64 / 1e6
    );
    drop(kept);
}

async fn fresh_store(dir: &Path) -> Store {
    Store::open(&dir.join("bench.db")).await.expect("store")
}

fn solo_request(user: UserId, guild: u64, questions: usize, seconds: Option<f64>) -> StartRequest {
    StartRequest {
        kind: SessionKind::Solo,
        owner: user,
        participants: vec![Participant {
            user,
            name: format!("user{}", user.0),
            role: Role::Candidate,
            left: false,
        }],
        topics: vec![],
        difficulty: DifficultyChoice::Mixed,
        questions,
        seed: Some(user.0 as u64),
        settings: Settings {
            seconds_override: seconds,
            ..Settings::default()
        },
        guild_id: Some(guild),
        channel_id: None,
        thread_id: None,
    }
}

async fn drop_board_triggers(store: &Store) {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", store.path().display()))
        .await
        .expect("pool");
    for t in ["aq_board_insert", "aq_board_update", "aq_board_delete"] {
        sqlx::query(&format!("DROP TRIGGER {t}"))
            .execute(&pool)
            .await
            .expect("dropped");
    }
    pool.close().await;
}

/// How an answer reaches the engine.
#[derive(Clone, Copy, PartialEq)]
enum AnswerFlow {
    /// As the terminal sends it: the text, then a submit, then the rating
    /// (three transitions).
    Typed,
    /// As Discord sends it: the answer modal's submit carries the text,
    /// then the rating (two transitions).
    Modal,
}

/// 2. Answered questions written per second with 8 concurrent writers.
async fn concurrent_writers(flow: AnswerFlow) {
    println!(
        "\n2. engine + store: 8 concurrent writers on one SQLite file (10 s), {}",
        match flow {
            AnswerFlow::Typed => "answers typed, submitted and rated (3 transitions)",
            AnswerFlow::Modal => "answers sent from a modal and rated (2 transitions)",
        }
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let store = fresh_store(dir.path()).await;
    // What the leaderboard triggers (migration 0008) cost a writer: the same
    // run without them.
    if std::env::var_os("BENCH_WITHOUT_BOARD_TRIGGERS").is_some() {
        println!("  (without the leaderboard triggers)");
        drop_board_triggers(&store).await;
    }
    let bank = shipped_bank();
    let (runtime, _rx) = Runtime::new(store.clone(), Arc::clone(&bank), Clock::system());
    let until = Instant::now() + Duration::from_secs(10);
    let mut tasks = Vec::new();
    for w in 0..8u64 {
        let runtime = runtime.clone();
        let store = store.clone();
        let bank = Arc::clone(&bank);
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut answered, mut locked, mut other) = (Vec::new(), 0u64, 0u64, 0u64);
            let mut round = 0;
            while Instant::now() < until {
                let user = store
                    .local_user(&format!("writer{w}-{round}"))
                    .await
                    .expect("user");
                round += 1;
                let Ok(d) = runtime.start(solo_request(user, w, 5, None)).await else {
                    other += 1;
                    continue;
                };
                // Followed from what each step returns, as the front ends
                // do (they render the delivery; nothing reads it back).
                let id = d.session.id;
                let mut state = d.session.state;
                'session: while let Some(cur) = state.current() {
                    let answer = bank
                        .question(&cur.question_id)
                        .map(|q| q.model_answer.clone())
                        .unwrap_or_default();
                    let rate = Event::Rate {
                        by: user,
                        rating: Some(4),
                    };
                    let events = match flow {
                        AnswerFlow::Typed => vec![
                            Event::Answer {
                                by: user,
                                text: answer,
                            },
                            Event::Submit { by: user },
                            rate,
                        ],
                        AnswerFlow::Modal => vec![
                            Event::SubmitWith {
                                by: user,
                                text: answer,
                            },
                            rate,
                        ],
                    };
                    for event in events {
                        let start = Instant::now();
                        match runtime.handle(id, event).await {
                            Ok(d) => {
                                lat.push(start.elapsed());
                                state = d.session.state;
                            }
                            Err(e) => {
                                if format!("{e:?}").contains("locked") {
                                    locked += 1;
                                } else {
                                    other += 1;
                                }
                                break 'session;
                            }
                        }
                    }
                    answered += 1;
                }
            }
            (lat, answered, locked, other)
        }));
    }
    let (mut lat, mut answered, mut locked, mut other) = (Vec::new(), 0, 0, 0);
    for t in tasks {
        let (l, a, k, o) = t.await.expect("writer");
        lat.extend(l);
        answered += a;
        locked += k;
        other += o;
    }
    lat.sort();
    let rate = answered as f64 / 10.0;
    report(
        "answered questions per second",
        format!("{rate:.0}/s"),
        ">= 2,000/s",
        rate >= 2000.0,
    );
    report(
        "transition p50 (load, apply, store in 1 txn)",
        ms(percentile(&lat, 0.5)),
        "(record)",
        true,
    );
    let p99 = percentile(&lat, 0.99);
    report(
        "transition p99",
        ms(p99),
        "< 20 ms",
        p99 < Duration::from_millis(20),
    );
    report(
        "\"database is locked\" errors",
        locked.to_string(),
        "0",
        locked == 0,
    );
    if other > 0 {
        println!("  other errors: {other}");
    }
    // How full the group commits were: eight writers each waiting for its
    // own commit can fill a batch with eight at most.
    let w = store.write_stats();
    println!(
        "  {} writes in {} transactions ({:.1} a transaction)",
        w.writes,
        w.batches,
        w.writes as f64 / w.batches.max(1) as f64
    );
}

/// Starts `n` solo interviews whose first deadline is `seconds(i)` away.
async fn start_many(
    runtime: &Runtime,
    store: &Store,
    prefix: &str,
    n: usize,
    seconds: impl Fn(usize) -> f64,
) -> Vec<i64> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let user = store
            .local_user(&format!("{prefix}{i}"))
            .await
            .expect("user");
        let d = runtime
            .start(solo_request(user, (i % 100) as u64, 1, Some(seconds(i))))
            .await
            .expect("start");
        ids.push(d.session.id);
    }
    ids
}

/// 4. 10,000 concurrent interviews with short deadlines.
async fn timers() {
    println!("\n4. timers: 10,000 concurrent interviews with short deadlines");
    let dir = tempfile::tempdir().expect("tempdir");
    let store = fresh_store(dir.path()).await;
    let (runtime, mut rx) = Runtime::new(store.clone(), shipped_bank(), Clock::system());
    let n = 10_000;
    // A warm-up interview first, so one-off caches are not counted per interview.
    start_many(&runtime, &store, "warm-up", 1, |_| 3600.0).await;
    let before = live_heap();
    let setup = Instant::now();
    // Deadlines 30-40 s after each start: all are running (idle) at once.
    let mut rng = StdRng::seed_from_u64(4);
    let offsets: Vec<f64> = (0..n).map(|_| rng.gen_range(30.0..40.0)).collect();
    start_many(&runtime, &store, "timer", n, |i| offsets[i]).await;
    let idle = live_heap();
    println!(
        "  started {n} in {:.1} s; {} deadlines armed",
        setup.elapsed().as_secs_f64(),
        runtime.armed()
    );
    let per = idle.saturating_sub(before) as f64 / n as f64;
    report(
        "heap per idle running interview (live bytes)",
        format!("{:.0} B", per),
        "< 2 KB",
        per < 2048.0,
    );
    // Lateness of the timer itself (deadline to firing), and of the whole
    // step a person sees (firing, storing the transition, delivering it).
    let (mut fired, mut delivered) = (Vec::with_capacity(n), Vec::with_capacity(n));
    while delivered.len() < n {
        let Ok(Some(d)) = tokio::time::timeout(Duration::from_secs(120), rx.recv()).await else {
            break;
        };
        let now = runtime.now();
        for e in &d.effects {
            if let interview_bot::interview::Effect::Feedback(f) = e {
                let deadline = d.session.state.results[f.position].deadline;
                fired.push(deadline.until(d.fired_at.unwrap_or(now)));
                delivered.push(deadline.until(now));
            }
        }
    }
    fired.sort();
    delivered.sort();
    report(
        "timer lateness p50 (deadline to firing)",
        ms(percentile(&fired, 0.5)),
        "(record)",
        true,
    );
    report(
        "timer lateness p99",
        ms(percentile(&fired, 0.99)),
        "< 50 ms",
        percentile(&fired, 0.99) < Duration::from_millis(50),
    );
    report(
        "timer lateness max",
        ms(fired.last().copied().unwrap_or_default()),
        "(record)",
        true,
    );
    report(
        "delivered lateness p50 (+ store + deliver)",
        ms(percentile(&delivered, 0.5)),
        "(record)",
        true,
    );
    let delivered_p99 = percentile(&delivered, 0.99);
    report(
        "delivered lateness p99",
        ms(delivered_p99),
        "< 50 ms",
        delivered_p99 < Duration::from_millis(50),
    );
}

/// 5. Time from start to every one of 10,000 running interviews re-armed.
async fn restart() {
    println!("\n5. restart: re-arm 10,000 running interviews (10% overdue)");
    let dir = tempfile::tempdir().expect("tempdir");
    let store = fresh_store(dir.path()).await;
    {
        let (runtime, _rx) = Runtime::new(store.clone(), shipped_bank(), Clock::system());
        // 1,000 due in 30 s (overdue by the restart), 9,000 due in an hour.
        start_many(&runtime, &store, "restart", 10_000, |i| {
            if i % 10 == 0 {
                30.0
            } else {
                3600.0
            }
        })
        .await;
    }
    // The restart happens two minutes later by the clock (no real wait), so
    // the first 1,000 are overdue.
    let start = Instant::now();
    let (runtime, _rx) = Runtime::new(
        store.clone(),
        shipped_bank(),
        Clock::manual(Timestamp::system_now().plus(Duration::from_secs(120))),
    );
    let report_ = runtime.recover().await.expect("recover");
    let took = start.elapsed();
    println!(
        "  advanced {} overdue, re-armed {}, failed {}",
        report_.advanced, report_.rearmed, report_.failed
    );
    report(
        "start to all 10,000 re-armed",
        ms(took),
        "< 1 s",
        took < Duration::from_secs(1),
    );
}
