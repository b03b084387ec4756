//! Who may run what: the bot's own permissions (ADMINISTRATOR alone is
//! enough), `/bank reload` for the bot's operators only, `/config` changes
//! that never overwrite each other, and options the bot cannot use.

mod support;

use serde_json::json;
use support::discord_standin::perms;
use support::*;

async fn reply_text(h: &InteractionHandle) -> (String, bool) {
    let m = h.original_message(T).await;
    (m.text(), m.is_ephemeral())
}

/// topics.yaml without the entry of `slug` (a line `  slug:` and the more
/// indented lines under it).
fn without_topic(topics: &str, slug: &str) -> String {
    let head = format!("  {slug}:");
    let mut skipping = false;
    let mut out = String::new();
    for line in topics.lines() {
        let topic_line = line.starts_with("  ") && !line.starts_with("   ");
        if topic_line {
            skipping = line == head;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    assert_ne!(out.len(), topics.len(), "topic {slug} not found");
    out
}

fn questions_in_use(world: &World) -> usize {
    let bot = world.bot.as_ref().expect("bot running");
    bot.runtime().bank().questions.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_bot_whose_only_permission_is_administrator_opens_interview_threads() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    d.set_bot_permissions(perms::ADMINISTRATOR);
    let (thread, question) = world
        .start_interview(
            d.alice(),
            &[("topic", json!(TOPIC)), ("private", json!(true))],
        )
        .await;
    assert!(question.text().contains("Question 1 of"));
    let t = d.channel(thread).expect("thread");
    assert_eq!(t.kind, 12, "ADMINISTRATOR allows private threads too");

    // A panel's Start checks the same permissions.
    let create = d.slash_command(
        d.bob(),
        d.channel_id(),
        "panel create",
        &[("topic", json!(TOPIC)), ("questions", json!(1))],
    );
    assert!(reply_text(&create).await.0.contains("Lobby posted"));
    let lobby = world.message_with(d.channel_id(), "Panel lobby").await;
    let button = |action: &str| {
        lobby
            .custom_ids()
            .into_iter()
            .find(|c| c.starts_with("pl:") && c.split(':').nth(2) == Some(action))
            .unwrap_or_else(|| panic!("no {action} button: {:?}", lobby.custom_ids()))
    };
    for (who, action) in [(d.carol(), "cand"), (d.dave(), "intv"), (d.bob(), "start")] {
        let press = d.press_button(who, lobby.id, &button(action));
        press.response(T).await;
    }
    let panel = d.wait_for_thread(T, |t| t.name.starts_with("Panel")).await;
    world.message_with(panel.id, "Question 1 of").await;
    assert_no_pings(d);
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_admin_who_is_not_an_operator_may_not_reload_the_bank_and_an_owner_may() {
    let bank = bank_copy();
    let world = World::start(BotKnobs {
        bank_dir: Some(bank.path().to_path_buf()),
        ..BotKnobs::default()
    })
    .await;
    let d = &world.discord;
    let before = questions_in_use(&world);
    // A valid change on disk that a reload would pick up: one topic fewer.
    let topics = std::fs::read_to_string(bank.path().join("topics.yaml")).expect("read");
    std::fs::write(
        bank.path().join("topics.yaml"),
        without_topic(&topics, "oop"),
    )
    .expect("write");
    std::fs::remove_file(bank.path().join("oop.yaml")).expect("remove");

    let refused = d.slash_command(d.admin(), d.channel_id(), "bank reload", &[]);
    let (text, ephemeral) = reply_text(&refused).await;
    assert!(ephemeral);
    assert!(text.contains("Only the bot's operators"), "{text}");
    assert_eq!(questions_in_use(&world), before, "nothing reloaded");

    let reload = d.slash_command(d.owner_id(), d.channel_id(), "bank reload", &[]);
    let (text, ephemeral) = reply_text(&reload).await;
    assert!(ephemeral);
    assert!(text.contains("Bank reloaded"), "{text}");
    let after = questions_in_use(&world);
    assert!(after < before, "the owner's reload took effect");
    assert!(text.contains(&format!("{after} questions")), "{text}");
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bank_problems_shown_on_discord_name_files_inside_the_bank_folder_only() {
    let bank = bank_copy();
    let world = World::start(BotKnobs {
        bank_dir: Some(bank.path().to_path_buf()),
        ..BotKnobs::default()
    })
    .await;
    let d = &world.discord;
    // Two questions with one id: the message quotes where the first one is.
    let core = std::fs::read_to_string(bank.path().join("core-python.yaml")).expect("read");
    let id = core
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("- id:")
                .or(l.trim().strip_prefix("id:"))
        })
        .expect("a question id")
        .trim()
        .to_string();
    let oop = std::fs::read_to_string(bank.path().join("oop.yaml")).expect("read");
    let oop_id = oop
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("- id:")
                .or(l.trim().strip_prefix("id:"))
        })
        .expect("a question id")
        .trim()
        .to_string();
    std::fs::write(bank.path().join("oop.yaml"), oop.replacen(&oop_id, &id, 1)).expect("write");

    let reload = d.slash_command(d.owner_id(), d.channel_id(), "bank reload", &[]);
    let (text, _) = reply_text(&reload).await;
    assert!(text.contains("old bank stays"), "{text}");
    assert!(
        text.contains("core-python.yaml") || text.contains("oop.yaml"),
        "{text}"
    );
    let host = bank.path().display().to_string();
    assert!(!text.contains(&host), "a host path was shown: {text}");
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_admins_changing_different_settings_at_once_both_keep_their_change() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let store = world.store().await;
    for minutes in [7, 9, 11] {
        let a = d.slash_command(
            d.admin(),
            d.channel_id(),
            "config",
            &[("default_minutes", json!(minutes))],
        );
        let b = d.slash_command(
            d.owner_id(),
            d.channel_id(),
            "config",
            &[("interviewer_role", json!(d.admin_role_id()))],
        );
        assert!(reply_text(&a).await.0.contains("Settings saved"));
        assert!(reply_text(&b).await.0.contains("Settings saved"));
        let s = store.guild_settings(d.guild_id()).await.expect("settings");
        assert_eq!(s.default_minutes, Some(minutes));
        assert_eq!(s.interviewer_role_id, Some(d.admin_role_id()));
        store
            .set_guild_settings(d.guild_id(), &Default::default())
            .await
            .expect("reset");
    }
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_option_the_bot_cannot_use_is_named_with_what_it_takes_in_our_own_words() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let cases: [(&str, u64, serde_json::Value); 2] = [
        // Out of range for the option's type (more than 255 questions).
        ("questions", 4, json!(300)),
        // The wrong type: text where a number goes.
        ("questions", 3, json!("five")),
    ];
    for (name, kind, value) in cases {
        let cmd = d.slash_command_unchecked(
            d.alice(),
            d.channel_id(),
            "interview start",
            &[("topic", 3, json!(TOPIC)), (name, kind, value.clone())],
            json!({}),
        );
        let (text, ephemeral) = reply_text(&cmd).await;
        assert!(ephemeral, "{value}");
        assert_eq!(
            text,
            "The `questions` option takes a whole number from 1 to 20. Fix it and run /interview start again.",
            "{value}"
        );
    }
    assert!(d.threads().is_empty(), "no interview started");
    let store = world.store().await;
    assert!(store
        .find_discord_user(d.alice())
        .await
        .expect("query")
        .is_none());

    // A channel the bot cannot look up: poise's text quoted Discord's error.
    let gone = 4_242_424_242_u64;
    let cmd = d.slash_command_unchecked(
        d.admin(),
        d.channel_id(),
        "config",
        &[("channel", 7, json!(gone.to_string()))],
        json!({"channels": {gone.to_string(): {
            "id": gone.to_string(), "name": "gone", "type": 0, "permissions": "0"
        }}}),
    );
    let (text, ephemeral) = reply_text(&cmd).await;
    assert!(ephemeral);
    assert_eq!(
        text,
        "The `channel` option takes a text channel of this server. Fix it and run /config again."
    );
    assert!(!text.contains("Unknown") && !text.contains("Cannot parse"));
    let s = store.guild_settings(d.guild_id()).await.expect("settings");
    assert_eq!(s.interview_channel_id, None, "nothing was saved");
}
