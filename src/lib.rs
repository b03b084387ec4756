//! interview-bot: mock Python backend interviews, on Discord or in a terminal.
//!
//! `bank` loads the YAML questions, `interview` is the pure engine, `store`
//! keeps everything in SQLite, `runtime` drives sessions and their deadlines,
//! `terminal` is the front end for practice in a shell and `discord` the bot;
//! `app` wires them to the command line.

pub mod ai;
pub mod app;
pub mod bank;
pub mod chart;
pub mod cli;
pub mod config;
pub mod discord;
pub mod evaluation;
pub mod export;
pub mod grading;
pub mod interview;
pub mod metrics;
pub mod present;
pub mod redact;
pub mod review;
pub mod runtime;
pub mod secret;
pub mod signals;
pub mod store;
pub mod terminal;
pub mod time;
