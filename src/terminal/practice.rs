//! `interview-bot practice`: a timed interview in the terminal.
//!
//! Lines from stdin become engine events; timer deliveries (reminders,
//! timeouts) arrive on the runtime's channel. Both are shown as they come.
//! Ctrl-C or the end of input abandons the session, keeping what was answered.

use super::render;
use crate::bank::Bank;
use crate::cli::{default_user, PracticeArgs};
use crate::config::Config;
use crate::interview::limits::{MinutesPerQuestion, QuestionCount, QuestionSeconds};
use crate::interview::{Effect, Event, Phase, Settings, UserId};
use crate::runtime::{Delivery, Runtime, RuntimeError, StartRequest};
use crate::store::{SessionId, Store};
use crate::time::Clock;
use anyhow::Context;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::mpsc;

/// What a practice session reads, writes and tells the time by: the
/// terminal and the system clock, or (in tests) a channel, a buffer and a
/// manual clock.
pub struct Terminal<W: Write> {
    pub clock: Clock,
    /// Typed lines; the session is abandoned when the channel closes.
    pub lines: mpsc::Receiver<String>,
    pub out: W,
}

impl Terminal<std::io::Stdout> {
    /// This terminal: standard input and output, on the system clock.
    pub fn stdio() -> Self {
        Terminal {
            clock: Clock::system(),
            lines: stdin_lines(),
            out: std::io::stdout(),
        }
    }
}

/// The flags with a range, checked; the error names the flag and the range.
struct Limits {
    questions: QuestionCount,
    minutes: Option<MinutesPerQuestion>,
    seconds: Option<QuestionSeconds>,
}

fn limits(
    questions: Option<usize>,
    minutes: Option<f64>,
    seconds: Option<f64>,
    config: &Config,
) -> anyhow::Result<Limits> {
    let questions = questions.unwrap_or(config.interview.default_questions);
    Ok(Limits {
        questions: QuestionCount::new(questions).map_err(|e| anyhow::anyhow!("--questions {e}"))?,
        minutes: minutes
            .map(MinutesPerQuestion::new)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--minutes {e}"))?,
        seconds: seconds
            .map(QuestionSeconds::new)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--seconds {e}"))?,
    })
}

/// The checked flags as session settings and a question count.
pub(super) fn session_settings(
    questions: Option<usize>,
    minutes: Option<f64>,
    seconds: Option<f64>,
    config: &Config,
) -> anyhow::Result<(usize, Settings)> {
    let limits = limits(questions, minutes, seconds, config)?;
    let settings = config.interview.session_settings(
        limits.minutes.map(MinutesPerQuestion::get),
        limits.seconds.map(QuestionSeconds::get),
    );
    Ok((limits.questions.get(), settings))
}

/// `interview-bot practice` in this terminal, on the system clock.
pub async fn run(
    args: PracticeArgs,
    config: &Config,
    bank: Arc<Bank>,
    store: Store,
) -> anyhow::Result<ExitCode> {
    let terminal = Terminal::stdio();
    run_on(args, config, bank, store, terminal).await
}

/// A practice session on any terminal (see [`Terminal`]).
pub async fn run_on<W: Write>(
    args: PracticeArgs,
    config: &Config,
    bank: Arc<Bank>,
    store: Store,
    terminal: Terminal<W>,
) -> anyhow::Result<ExitCode> {
    let (questions, settings) =
        session_settings(args.questions, args.minutes, args.seconds, config)?;
    let difficulty = args
        .difficulty
        .parse::<crate::bank::DifficultyChoice>()
        .map_err(anyhow::Error::msg)?;
    bank.check_topics(&args.topics)?;
    let name = default_user(args.user.as_deref());
    let user = store.local_user(&name).await?;
    let reviewer = reviewer(&args, config, &store)?;
    let (runtime, timer_rx, mut terminal) = open(store, &bank, terminal, user).await?;
    let request = StartRequest {
        seed: args.seed,
        ..StartRequest::solo(
            user,
            &name,
            args.topics.clone(),
            difficulty,
            questions,
            settings,
        )
    };
    let start = runtime.start(request).await.map_err(friendly)?;
    writeln!(
        terminal.out,
        "Mock interview #{} for {name}: {} question(s). Good luck!",
        start.session.id,
        start.session.state.plan.len()
    )?;
    if let Some(r) = &reviewer {
        writeln!(
            terminal.out,
            "AI feedback on: each answer, with its question, key points and model answer, is sent to {} (model {}).",
            r.host(),
            r.model()
        )?;
    }
    run_session(
        &runtime,
        &bank,
        start,
        user,
        terminal,
        timer_rx,
        reviewer.as_ref(),
    )
    .await
}

/// A runtime on `store`, after closing a terminal session left running.
pub(super) async fn open<W: Write>(
    store: Store,
    bank: &Arc<Bank>,
    terminal: Terminal<W>,
    user: UserId,
) -> anyhow::Result<(Runtime, mpsc::UnboundedReceiver<Delivery>, Terminal<W>)> {
    let mut terminal = terminal;
    let (runtime, timer_rx) = Runtime::new(store.clone(), Arc::clone(bank), terminal.clock.clone());
    // A terminal session left running by a crash cannot be resumed here (its
    // terminal is gone); close it so its answers count and a new one can start.
    if let Some(stale) = store.running_solo(user, None).await? {
        runtime.handle(stale, Event::Abandon).await?;
        writeln!(terminal.out, "(Session #{stale}, left running earlier, is now closed as abandoned; its answers are kept.)")?;
    }
    Ok((runtime, timer_rx, terminal))
}

/// Shows a started session and runs it to its end (or abandon), with the
/// model's opinion of each answer when there is a reviewer.
pub(super) async fn run_session<W: Write>(
    runtime: &Runtime,
    bank: &Bank,
    start: Delivery,
    user: UserId,
    terminal: Terminal<W>,
    timer_rx: mpsc::UnboundedReceiver<Delivery>,
    reviewer: Option<&crate::ai::Reviewer>,
) -> anyhow::Result<ExitCode> {
    let Terminal { lines, mut out, .. } = terminal;
    let id = start.session.id;
    show(bank, runtime, &start, &mut out)?;
    let session = Session {
        runtime,
        bank,
        id,
        user,
        reviewer,
    };
    let ended = drive(&session, lines, timer_rx, &mut out).await?;
    if !ended {
        let d = runtime.handle(id, Event::Abandon).await?;
        writeln!(out, "\nSession abandoned; the answers you gave are kept.")?;
        show(bank, runtime, &d, &mut out)?;
    }
    runtime.store().close().await;
    Ok(ExitCode::SUCCESS)
}

/// `--ai`: the reviewer `ai.*` describes, or why there is none.
fn reviewer(
    args: &PracticeArgs,
    config: &Config,
    store: &Store,
) -> anyhow::Result<Option<crate::ai::Reviewer>> {
    if !args.ai {
        return Ok(None);
    }
    match crate::ai::Reviewer::from_config(&config.ai, store.clone())? {
        Some(r) => Ok(Some(r)),
        None => anyhow::bail!(
            "--ai needs a model endpoint: set ai.base_url (or INTERVIEW_BOT__AI__BASE_URL), e.g. http://127.0.0.1:11434/v1 for a local Ollama"
        ),
    }
}

/// What the session loop works on.
struct Session<'a> {
    runtime: &'a Runtime,
    bank: &'a Bank,
    id: SessionId,
    user: UserId,
    reviewer: Option<&'a crate::ai::Reviewer>,
}

/// With `--ai`, the model's opinion of each written answer the delivery
/// closed, shown after the rubric's feedback and before the rating is read
/// (typed lines wait in their channel meanwhile), so it can count.
async fn review(s: &Session<'_>, d: &Delivery, out: &mut impl Write) -> anyhow::Result<()> {
    let Some(reviewer) = s.reviewer else {
        return Ok(());
    };
    for e in &d.effects {
        if let Effect::Feedback(f) = e {
            if f.outcome.has_answer() {
                writeln!(out, "(Asking the model for its opinion…)")?;
                out.flush()?;
                if let Some(r) = s.runtime.review_with(reviewer, s.id, f.position).await? {
                    show(s.bank, s.runtime, &r, out)?;
                }
            }
        }
    }
    Ok(())
}

/// Runs the session until it ends (true) or the person leaves (false).
async fn drive(
    s: &Session<'_>,
    mut lines: mpsc::Receiver<String>,
    mut timers: mpsc::UnboundedReceiver<Delivery>,
    out: &mut impl Write,
) -> anyhow::Result<bool> {
    let (runtime, bank, id, user) = (s.runtime, s.bank, s.id, s.user);
    // Listened for once for the whole session: a `ctrl_c()` future made anew
    // each turn misses a Ctrl-C that comes while a message is being printed.
    let mut stop = crate::signals::StopSignals::install()?;
    loop {
        let delivery = tokio::select! {
            line = lines.recv() => {
                let Some(line) = line else { return Ok(false) };
                let session = runtime.session(id).await?;
                let Some(event) = event_for(&line, &session.state.phase, session.state.current().map(|c| c.answer.as_str()), user, out)? else {
                    continue;
                };
                if matches!(event, Event::Abandon) {
                    return Ok(false);
                }
                match runtime.handle(id, event).await {
                    Ok(d) => d,
                    Err(e) => match e.user_message() {
                        Some(msg) => {
                            writeln!(out, "⚠ {msg}")?;
                            continue;
                        }
                        None => return Err(e).context("the session could not be updated"),
                    },
                }
            }
            Some(d) = timers.recv() => d,
            _ = stop.next() => return Ok(false),
        };
        show(bank, runtime, &delivery, out)?;
        if !delivery.session.state.is_running() {
            return Ok(true);
        }
        review(s, &delivery, out).await?;
    }
}

/// What a typed line means in the current phase; None when it needs nothing.
fn event_for(
    line: &str,
    phase: &Phase,
    draft: Option<&str>,
    user: UserId,
    out: &mut impl Write,
) -> anyhow::Result<Option<Event>> {
    let trimmed = line.trim();
    let by = user;
    Ok(match phase {
        Phase::Answering { .. } => match trimmed {
            "/quit" => Some(Event::Abandon),
            "/hint" => Some(Event::Hint { by }),
            "/skip" => Some(Event::Skip { by }),
            "/done" => Some(Event::Submit { by }),
            "" if !draft.is_some_and(|d| !d.trim().is_empty()) => {
                writeln!(out, "(Type your answer first, or /skip.)")?;
                None
            }
            "" => Some(Event::Submit { by }),
            _ => Some(Event::Answer {
                by,
                text: line.trim_end().to_string(),
            }),
        },
        Phase::Scoring { .. } => match trimmed {
            "/quit" => Some(Event::Abandon),
            "" | "/skip" => Some(Event::Rate { by, rating: None }),
            r => match r.parse::<u8>() {
                Ok(n) if (1..=5).contains(&n) => Some(Event::Rate {
                    by,
                    rating: Some(n),
                }),
                _ => {
                    writeln!(
                        out,
                        "(Rate with a number from 1 to 5, or press Enter to skip.)"
                    )?;
                    None
                }
            },
        },
        Phase::Done => None,
    })
}

fn show(bank: &Bank, runtime: &Runtime, d: &Delivery, out: &mut impl Write) -> std::io::Result<()> {
    let now = runtime.now();
    for e in &d.effects {
        if let Effect::Ended(_) = e {
            writeln!(out, "{}", render::effect(bank, e, now).trim_end())?;
            writeln!(
                out,
                "Saved to {}. See `interview-bot notes` and `interview-bot history`.",
                runtime.store().path().display()
            )?;
        } else {
            write!(out, "{}", render::effect(bank, e, now))?;
        }
    }
    for n in &d.resolved_notes {
        writeln!(
            out,
            "✓ Note #{} is resolved: this answer covered it ({}).",
            n.id, n.text
        )?;
    }
    out.flush()
}

/// Stdin lines on a channel, so reading never blocks the timers; the channel
/// closes at end of input.
fn stdin_lines() -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel(64);
    tokio::spawn(async move {
        let mut lines = BufReader::new(tokio::io::stdin()).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if tx.send(line).await.is_err() {
                break;
            }
        }
    });
    rx
}

pub(super) fn friendly(e: RuntimeError) -> anyhow::Error {
    match e.user_message() {
        Some(m) => anyhow::anyhow!(m),
        None => anyhow::Error::new(e),
    }
}
