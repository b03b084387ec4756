//! The report subcommands: notes, history, stats and the leaderboard.

use super::{load_bank, open_store};
use crate::bank::Difficulty;
use crate::cli::{default_user, LeaderboardArgs, NotesArgs, StatsArgs, UserArgs};
use crate::config::Config;
use crate::store::{LeaderboardQuery, NoteFilter, Period, Scope};
use crate::terminal;
use crate::time::Timestamp;
use std::process::ExitCode;

/// `interview-bot notes [--status S] [--resolve ID]`.
pub async fn notes(args: NotesArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let store = open_store(&config.database).await?;
    let user = store
        .local_user(&default_user(args.user.as_deref()))
        .await?;
    if let Some(id) = args.resolve {
        if store
            .resolve_note(id, user, Timestamp::system_now())
            .await?
        {
            println!("Note {id} resolved.");
            return Ok(ExitCode::SUCCESS);
        }
        anyhow::bail!("no note {id} of yours: list them with `interview-bot notes --status all`");
    }
    let filter: NoteFilter = args.status.parse().map_err(anyhow::Error::msg)?;
    let notes = store.notes(user, None, filter, 100).await?;
    print!("{}", terminal::reports::notes(&notes, filter));
    Ok(ExitCode::SUCCESS)
}

/// `interview-bot history`.
pub async fn history(args: UserArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let store = open_store(&config.database).await?;
    let user = store
        .local_user(&default_user(args.user.as_deref()))
        .await?;
    print!(
        "{}",
        terminal::reports::history(&store.history(user, 20).await?)
    );
    Ok(ExitCode::SUCCESS)
}

/// `interview-bot stats [--chart FILE]`.
pub async fn stats(args: StatsArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let store = open_store(&config.database).await?;
    let name = default_user(args.user.as_deref());
    let user = store.local_user(&name).await?;
    let stats = store
        .user_stats(user, Scope::All, Timestamp::system_now())
        .await?;
    print!("{}", terminal::reports::stats(&stats));
    if let Some(path) = &args.chart {
        let bank = load_bank(&config.bank_dir)?;
        match terminal::export::chart_file(&store, &bank, &name, path).await? {
                true => println!("Chart written to {}.", path.display()),
                false => println!("No chart yet: answer a few questions with `interview-bot practice` first, then your progress is drawn here."),
            }
    }
    Ok(ExitCode::SUCCESS)
}

/// `interview-bot leaderboard`.
pub async fn leaderboard(args: LeaderboardArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let store = open_store(&config.database).await?;
    let bank = load_bank(&config.bank_dir)?;
    if let Some(t) = &args.topic {
        bank.check_topics(std::slice::from_ref(t))?;
    }
    let difficulty = args
        .difficulty
        .as_deref()
        .map(str::parse::<Difficulty>)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let period: Period = args.period.parse().map_err(anyhow::Error::msg)?;
    let me = store
        .local_user(&default_user(args.user.as_deref()))
        .await?;
    let query = LeaderboardQuery {
        scope: args.guild.map(Scope::Guild).unwrap_or(Scope::All),
        topic: args.topic,
        difficulty,
        period,
        panel_only: args.panel_only,
        now: Timestamp::system_now(),
        me: Some(me),
    };
    print!(
        "{}",
        terminal::reports::leaderboard(&store.leaderboard(&query).await?, &query)
    );
    Ok(ExitCode::SUCCESS)
}
