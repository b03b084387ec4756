//! `interview-bot serve`, the binary, as an operator runs it.

mod support;

use std::process::{Command, Stdio};
use support::*;

fn bot() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_interview-bot"));
    c.env_remove("DISCORD_TOKEN")
        .env_remove("DISCORD_API_BASE")
        .env_remove("DISCORD_GUILD_ID")
        .env_remove("RUST_LOG");
    c
}

#[test]
fn serve_without_a_token_says_how_to_set_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = bot()
        .arg("serve")
        .arg("--database")
        .arg(dir.path().join("x.db"))
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("DISCORD_TOKEN"), "{err}");
}

#[test]
fn serve_with_a_broken_bank_stops_and_lists_its_problems() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bank = dir.path().join("bank");
    std::fs::create_dir(&bank).expect("bank dir");
    std::fs::write(bank.join("topics.yaml"), "topics:\n  python: {title: 3}\n").expect("write");
    let out = bot()
        .arg("serve")
        .arg("--bank")
        .arg(&bank)
        .arg("--database")
        .arg(dir.path().join("x.db"))
        .env("DISCORD_TOKEN", "not.a.real.token")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("problem") && err.contains("topics.yaml"),
        "{err}"
    );
    assert!(!err.contains("not.a.real.token"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn serve_connects_through_the_api_base_answers_commands_and_never_logs_the_token() {
    let discord = StandIn::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("stderr.log");
    let mut child = bot()
        .arg("serve")
        .arg("--database")
        .arg(dir.path().join("bot.db"))
        .arg("--bank")
        .arg(bank_dir())
        .env("DISCORD_TOKEN", discord.token())
        .env("DISCORD_API_BASE", discord.api_base())
        .env("DISCORD_GUILD_ID", discord.guild_id().to_string())
        .env("RUST_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("starts");

    discord.wait_for_ready(T).await;
    discord
        .wait_for_request(T, |r| {
            r.method == "PUT" && r.path.contains("/guilds/") && r.path.ends_with("/commands")
        })
        .await;
    let topics = discord.slash_command(discord.alice(), discord.channel_id(), "topics", &[]);
    assert_eq!(topics.response(T).await.kind, 4);

    let _ = child.kill();
    let _ = child.wait();
    let logged = std::fs::read_to_string(&log).expect("log");
    assert!(!logged.is_empty(), "debug logging was on");
    assert!(
        !logged.contains(discord.token()),
        "the token appeared in the log"
    );
    discord.assert_clean();
}

/// Starts `serve` against the stand-in with `env` added; stderr goes to `log`.
fn serve(discord: &StandIn, dir: &std::path::Path, env: &[(&str, String)]) -> std::process::Child {
    let mut c = bot();
    c.arg("serve")
        .arg("--database")
        .arg(dir.join("bot.db"))
        .arg("--bank")
        .arg(bank_dir())
        .env("DISCORD_TOKEN", discord.token())
        .env("DISCORD_API_BASE", discord.api_base())
        .env("DISCORD_GUILD_ID", discord.guild_id().to_string())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.join("stderr.log")).expect("log file"));
    for (k, v) in env {
        c.env(k, v);
    }
    c.spawn().expect("starts")
}

/// Waits until the bot registered its commands (its shard is up).
async fn until_registered(discord: &StandIn) {
    discord.wait_for_ready(T).await;
    discord
        .wait_for_request(T, |r| {
            r.method == "PUT" && r.path.contains("/guilds/") && r.path.ends_with("/commands")
        })
        .await;
}

/// The child's exit status; kills it and fails if it does not exit within `T`.
async fn exit_of(mut child: std::process::Child) -> std::process::ExitStatus {
    let pid = child.id();
    let waited = tokio::task::spawn_blocking(move || child.wait());
    match tokio::time::timeout(T, waited).await {
        Ok(status) => status.expect("join").expect("wait"),
        Err(_) => {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(pid.to_string())
                .status();
            panic!("the bot was still running {T:?} after it was asked to stop");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_disconnects_from_the_gateway_cleanly_and_exits_with_success() {
    let discord = StandIn::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let child = serve(&discord, dir.path(), &[]);
    until_registered(&discord).await;
    assert!(discord.client_close_codes().is_empty());

    let sent = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let status = exit_of(child).await;
    assert!(status.success(), "exit status {status:?}");
    let logged = std::fs::read_to_string(dir.path().join("stderr.log")).expect("log");
    assert!(
        logged.contains("SIGTERM: disconnecting") && logged.contains("disconnected"),
        "{logged}"
    );
    assert_eq!(
        discord.client_close_codes(),
        vec![Some(1000)],
        "the bot logged off with a normal close"
    );
    discord.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn credentials_written_into_the_api_base_never_reach_the_log() {
    const PASSWORD: &str = "hunter2-proxy-secret";
    let discord = StandIn::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let host = discord.api_base().replace("http://", "");
    let base = format!("http://operator:{PASSWORD}@{host}");
    let child = serve(
        &discord,
        dir.path(),
        &[
            ("DISCORD_API_BASE", base),
            ("RUST_LOG", "debug".to_string()),
        ],
    );
    until_registered(&discord).await;
    let topics = discord.slash_command(discord.alice(), discord.channel_id(), "topics", &[]);
    assert_eq!(topics.response(T).await.kind, 4);
    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .expect("kill runs");
    exit_of(child).await;

    let logged = std::fs::read_to_string(dir.path().join("stderr.log")).expect("log");
    assert!(
        logged.contains("starting the Discord bot") && logged.contains(&host),
        "the start-up line says where REST calls go: {logged}"
    );
    let leaks: Vec<&str> = logged.lines().filter(|l| l.contains(PASSWORD)).collect();
    assert!(leaks.is_empty(), "the password was logged: {leaks:#?}");
    assert!(!logged.contains(discord.token()));
    discord.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_the_owners_set_in_the_environment_may_reload_the_bank() {
    let discord = StandIn::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let owners = format!("{}, {}", discord.alice(), discord.dave());
    let child = serve(
        &discord,
        dir.path(),
        &[("INTERVIEW_BOT__DISCORD__OWNERS", owners)],
    );
    until_registered(&discord).await;
    let text = |m: StoredMessage| (m.text(), m.is_ephemeral());

    let by_alice = discord.slash_command(discord.alice(), discord.channel_id(), "bank reload", &[]);
    let (said, ephemeral) = text(by_alice.original_message(T).await);
    assert!(ephemeral && said.contains("Bank reloaded"), "{said}");
    // The application's owner is not on the configured list.
    let by_owner =
        discord.slash_command(discord.owner_id(), discord.channel_id(), "bank reload", &[]);
    let (said, ephemeral) = text(by_owner.original_message(T).await);
    assert!(
        ephemeral && said.contains("Only the bot's operators"),
        "{said}"
    );

    Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .expect("kill runs");
    exit_of(child).await;
    discord.assert_clean();
}
