//! The command line: what each subcommand takes.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "interview-bot",
    version,
    about = "Mock Python backend interviews, on Discord or in a terminal"
)]
pub struct Cli {
    /// Settings file (default: config/default.yaml if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// SQLite database file (overrides the `database` setting).
    #[arg(long, global = true, value_name = "FILE")]
    pub database: Option<PathBuf>,
    /// Question bank folder (overrides the `bank_dir` setting).
    #[arg(long, global = true, value_name = "DIR")]
    pub bank: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a timed mock interview in this terminal.
    Practice(PracticeArgs),
    /// Check or count the question bank.
    #[command(subcommand)]
    Bank(BankCommand),
    /// Follow-up notes saved for a person.
    Notes(NotesArgs),
    /// Past sessions of a person.
    History(UserArgs),
    /// A person's practice statistics.
    Stats(StatsArgs),
    /// A timed interview of the questions due for spaced review.
    Review(ReviewArgs),
    /// Write a finished session as Markdown or CSV.
    Export(ExportArgs),
    /// Top 10 by points.
    Leaderboard(LeaderboardArgs),
    /// Run the Discord bot (token from DISCORD_TOKEN).
    Serve(ServeArgs),
    /// Grade an answer read from standard input against one question.
    Grade(GradeArgs),
}

#[derive(Debug, Args)]
pub struct PracticeArgs {
    /// Topic slug; repeat for several (default: any topic).
    #[arg(long = "topic", value_name = "TOPIC")]
    pub topics: Vec<String>,
    /// easy, medium, hard or mixed.
    #[arg(long, default_value = "mixed")]
    pub difficulty: String,
    /// Number of questions (1-20; default: the `interview.default_questions` setting).
    #[arg(long)]
    pub questions: Option<usize>,
    /// Minutes per question when the question sets none (1-60, fractions allowed).
    #[arg(long)]
    pub minutes: Option<f64>,
    /// Seconds per question for every question, overriding their own limits
    /// (quick drills and scripts; 0.1-3600, fractions allowed).
    #[arg(long)]
    pub seconds: Option<f64>,
    /// Seed for the question order, to repeat a session.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Your name on the leaderboard (default: $USER).
    #[arg(long)]
    pub user: Option<String>,
    /// Ask the model at `ai.base_url` for a second opinion on each answer.
    #[arg(long)]
    pub ai: bool,
}

#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// The shards this process connects: FIRST-LAST (inclusive) or one
    /// number, out of --total-shards (overrides `discord.shards`).
    #[arg(long, value_name = "FIRST-LAST")]
    pub shards: Option<String>,
    /// The bot's total number of shards over every process (overrides
    /// `discord.total_shards`).
    #[arg(long, value_name = "N")]
    pub total_shards: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum BankCommand {
    /// Validate every file; list every problem with file and line. Given a
    /// file, check it as a server's question pack (what /pack import takes).
    Check {
        /// Bank folder (default: the configured one), or a pack file.
        dir: Option<PathBuf>,
    },
    /// Question counts by topic and subtopic, per difficulty.
    Stats {
        #[arg(long)]
        json: bool,
        /// Bank folder (default: the configured one).
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// The question's id (as in the bank, e.g. core-python-float-money).
    #[arg(long, value_name = "ID")]
    pub question: String,
    /// Print the verdict as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Questions at most (1-20; default: the `interview.default_questions` setting).
    #[arg(long)]
    pub questions: Option<usize>,
    /// Minutes per question when the question sets none (1-60, fractions allowed).
    #[arg(long)]
    pub minutes: Option<f64>,
    /// Seconds per question for every question (0.1-3600).
    #[arg(long)]
    pub seconds: Option<f64>,
    /// Whose review (default: $USER).
    #[arg(long)]
    pub user: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The session's id (as `history` lists them).
    pub id: i64,
    /// md (Markdown) or csv.
    #[arg(long, default_value = "md")]
    pub format: String,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Whose session (default: $USER); only your own can be exported.
    #[arg(long)]
    pub user: Option<String>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Whose (default: $USER).
    #[arg(long)]
    pub user: Option<String>,
    /// Also draw the progress chart into this PNG file.
    #[arg(long, value_name = "FILE.png")]
    pub chart: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct UserArgs {
    /// Whose (default: $USER).
    #[arg(long)]
    pub user: Option<String>,
}

#[derive(Debug, Args)]
pub struct NotesArgs {
    /// Whose notes (default: $USER).
    #[arg(long)]
    pub user: Option<String>,
    /// open, resolved or all.
    #[arg(long, default_value = "open")]
    pub status: String,
    /// Mark this note resolved instead of listing.
    #[arg(long, value_name = "ID")]
    pub resolve: Option<i64>,
}

#[derive(Debug, Args)]
pub struct LeaderboardArgs {
    #[arg(long)]
    pub topic: Option<String>,
    /// easy, medium or hard.
    #[arg(long)]
    pub difficulty: Option<String>,
    /// week, month or all.
    #[arg(long, default_value = "month")]
    pub period: String,
    /// Only one Discord server (default: everyone, terminal included).
    #[arg(long)]
    pub guild: Option<u64>,
    /// Only interviewer-scored panel answers.
    #[arg(long)]
    pub panel_only: bool,
    /// Whose rank to show beside the top 10 (default: $USER).
    #[arg(long)]
    pub user: Option<String>,
}

/// The terminal user's default name.
pub fn default_user(explicit: Option<&str>) -> String {
    explicit
        .map(str::to_string)
        .or_else(|| std::env::var("USER").ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "practice".to_string())
}
