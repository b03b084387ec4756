//! `interview-bot review`: a timed interview of the questions that are due
//! for spaced review, run like `practice`.

use super::practice::{friendly, open, run_session, session_settings, Terminal};
use crate::bank::{Bank, DifficultyChoice};
use crate::cli::{default_user, ReviewArgs};
use crate::config::Config;
use crate::review::{DueItem, DueReason};
use crate::runtime::{ReviewPlan, StartRequest};
use crate::store::Store;
use crate::time::Timestamp;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

/// `interview-bot review` in this terminal, on the system clock.
pub async fn run(
    args: ReviewArgs,
    config: &Config,
    bank: Arc<Bank>,
    store: Store,
) -> anyhow::Result<ExitCode> {
    let terminal = Terminal::stdio();
    run_on(args, config, bank, store, terminal).await
}

/// A review on any terminal (see [`Terminal`]).
pub async fn run_on<W: Write>(
    args: ReviewArgs,
    config: &Config,
    bank: Arc<Bank>,
    store: Store,
    terminal: Terminal<W>,
) -> anyhow::Result<ExitCode> {
    let (questions, settings) =
        session_settings(args.questions, args.minutes, args.seconds, config)?;
    let name = default_user(args.user.as_deref());
    let user = store.local_user(&name).await?;
    let (runtime, timer_rx, mut terminal) = open(store, &bank, terminal, user).await?;
    let request = StartRequest::solo(
        user,
        &name,
        Vec::new(),
        DifficultyChoice::Mixed,
        questions,
        settings,
    );
    let (planned, items) = match runtime.plan_review(request).await.map_err(friendly)? {
        ReviewPlan::Ready { planned, items } => (*planned, items),
        ReviewPlan::NothingDue { next_due } => {
            writeln!(
                terminal.out,
                "{}",
                nothing_due(next_due, runtime.now(), "`interview-bot practice`")
            )?;
            runtime.store().close().await;
            return Ok(ExitCode::SUCCESS);
        }
    };
    let start = runtime.begin(planned, None).await.map_err(friendly)?;
    writeln!(
        terminal.out,
        "Review #{} for {name}: {} question(s) due.",
        start.session.id,
        items.len()
    )?;
    for (i, item) in items.iter().enumerate() {
        writeln!(terminal.out, "  {}. {}", i + 1, why(&bank, item))?;
    }
    run_session(&runtime, &bank, start, user, terminal, timer_rx, None).await
}

/// Why a question is in the review, in words.
pub fn why(bank: &Bank, item: &DueItem) -> String {
    let topic = bank
        .question(&item.question_id)
        .map(|q| bank.topic_title(&q.topic).to_string())
        .unwrap_or_default();
    let reason = match &item.reason {
        DueReason::OpenNotes(1) => "1 open note".to_string(),
        DueReason::OpenNotes(n) => format!("{n} open notes"),
        DueReason::Scheduled { last_score } => format!("due again; last score {last_score}/100"),
        DueReason::WeakTopic(_) => "new, from one of your weakest topics".to_string(),
    };
    format!("{topic}: {reason}")
}

/// "Nothing is due ..." with when the next question is, and what to do.
pub fn nothing_due(next: Option<Timestamp>, now: Timestamp, start_with: &str) -> String {
    let when = next.map(|at| format!("in {}", in_words(now.until(at))));
    crate::present::review::nothing_due(when, start_with)
}

fn in_words(d: std::time::Duration) -> String {
    let minutes = d.as_secs().div_ceil(60);
    match minutes {
        0..=1 => "a minute".to_string(),
        2..=89 => format!("{minutes} minutes"),
        90..=2159 => format!("{} hours", (minutes + 30) / 60),
        _ => format!("{} days", (minutes + 720) / 1440),
    }
}
