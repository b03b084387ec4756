//! The other slash commands: leaderboard, notes, topics, question, privacy, admin.

mod support;

use serde_json::json;
use support::*;

// Choice options are registered by poise as integers with named choices
// (Discord shows the names): difficulty easy=0, period all=2, status resolved=1.

/// The embed text of a command's (possibly deferred) reply.
async fn reply_text(h: &InteractionHandle) -> (String, bool) {
    let m = h.original_message(T).await;
    (m.text(), m.is_ephemeral())
}

/// Runs a whole interview of `n` questions for `user`, answering each with
/// `good` (the model answer) or a short text, rating 3.
async fn interview(world: &World, user: u64, n: usize, good: bool) {
    let (thread, mut q) = world
        .start_interview(user, &[("topic", json!(TOPIC)), ("questions", json!(n))])
        .await;
    let bank = interview_bot::bank::load(&bank_dir()).expect("bank");
    for i in 1..=n {
        let store = world.store().await;
        let me = store.find_discord_user(user).await.unwrap().unwrap();
        let id = store
            .running_solo(me, Some(world.discord.guild_id()))
            .await
            .unwrap()
            .unwrap();
        let s = store.load_session(id).await.unwrap().unwrap();
        let qid = &s.state.current().expect("a current question").question_id;
        let text = if good {
            bank.question(qid).expect("question").model_answer.clone()
        } else {
            "I am not sure.".to_string()
        };
        let feedback = world.answer(user, &q, &text).await;
        let rate = world.press(user, &feedback, "r3");
        assert_eq!(rate.response(T).await.kind, 4);
        if i < n {
            q = world
                .message_with(thread, &format!("Question {} of {n}", i + 1))
                .await;
        }
    }
    world.message_with(thread, "Summary (finished)").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_leaderboard_ranks_this_servers_users_and_leaves_out_the_hidden() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    interview(&world, d.alice(), 3, true).await;
    interview(&world, d.bob(), 3, false).await;
    interview(&world, d.carol(), 3, false).await;

    let board = d.slash_command(d.dave(), d.channel_id(), "leaderboard", &[]);
    let (text, ephemeral) = reply_text(&board).await;
    assert!(!ephemeral);
    let alice_at = text.find("Alice").expect("alice listed");
    let bob_at = text.find("Bob").expect("bob listed");
    assert!(text.contains("Carol"), "{text}");
    assert!(alice_at < bob_at, "the model answers rank first: {text}");
    assert!(text.contains("**1.** Alice"), "{text}");
    assert_eq!(
        text.matches("· 3 answered").count(),
        3,
        "three rows (ties share a rank): {text}"
    );
    assert!(text.contains("Not ranked yet"), "dave has no rank: {text}");

    let mine = d.slash_command(
        d.alice(),
        d.channel_id(),
        "leaderboard",
        &[("period", json!(2))],
    );
    let (text, _) = reply_text(&mine).await;
    assert!(text.contains("#1 ·"), "{text}");

    let hide = d.slash_command(d.carol(), d.channel_id(), "privacy hide", &[]);
    assert!(reply_text(&hide).await.1);
    let board = d.slash_command(
        d.dave(),
        d.channel_id(),
        "leaderboard",
        &[("topic", json!(TOPIC))],
    );
    let (text, _) = reply_text(&board).await;
    assert!(!text.contains("Carol"), "hidden users are left out: {text}");
    assert!(text.contains("Alice"));

    let stats = d.slash_command(
        d.bob(),
        d.channel_id(),
        "stats",
        &[("user", json!(d.alice()))],
    );
    let (text, ephemeral) = reply_text(&stats).await;
    assert!(ephemeral);
    assert!(text.contains("3 questions answered"), "{text}");

    // Solo answers are self-rated: the panel-only views leave them all out.
    let board = d.slash_command(
        d.dave(),
        d.channel_id(),
        "leaderboard",
        &[("panel_only", json!(true))],
    );
    let (text, _) = reply_text(&board).await;
    assert!(text.contains("Leaderboard · panels"), "{text}");
    assert!(text.contains("Nobody is on the board yet"), "{text}");
    let stats = d.slash_command(
        d.alice(),
        d.channel_id(),
        "stats",
        &[("panel_only", json!(true))],
    );
    let (text, _) = reply_text(&stats).await;
    assert!(text.contains("Panel stats"), "{text}");
    assert!(text.contains("0 questions answered"), "{text}");
    assert_no_pings(d);
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn notes_are_added_listed_resolved_and_never_ping() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (alice, bob) = (d.alice(), d.bob());

    let add = d.slash_command(
        alice,
        d.channel_id(),
        "note add",
        &[("text", json!("@everyone read about the GIL"))],
    );
    let (text, ephemeral) = reply_text(&add).await;
    assert!(ephemeral && text.contains("Note #1 saved"), "{text}");

    let list = d.slash_command(alice, d.channel_id(), "notes", &[]);
    let (text, _) = reply_text(&list).await;
    assert!(
        text.contains("#1") && text.contains("@everyone read about the GIL"),
        "{text}"
    );

    // Someone else's notes are for interviewers only.
    let peek = d.slash_command(bob, d.channel_id(), "notes", &[("user", json!(alice))]);
    assert!(reply_text(&peek).await.0.contains("Only interviewers"));
    let about = d.slash_command(
        bob,
        d.channel_id(),
        "note add",
        &[("text", json!("x")), ("user", json!(alice))],
    );
    assert!(reply_text(&about).await.0.contains("Only interviewers"));
    let admin = d.slash_command(
        d.admin(),
        d.channel_id(),
        "note add",
        &[("text", json!("practise asyncio")), ("user", json!(alice))],
    );
    assert!(reply_text(&admin).await.0.contains("Note #2 saved"));

    let steal = d.slash_command(bob, d.channel_id(), "note resolve", &[("id", json!(1))]);
    assert!(reply_text(&steal).await.0.contains("no note #1"));
    let resolve = d.slash_command(alice, d.channel_id(), "note resolve", &[("id", json!(1))]);
    assert!(reply_text(&resolve).await.0.contains("resolved"));
    let open = d.slash_command(alice, d.channel_id(), "notes", &[]);
    let (text, _) = reply_text(&open).await;
    assert!(!text.contains("GIL") && text.contains("asyncio"), "{text}");
    let resolved = d.slash_command(alice, d.channel_id(), "notes", &[("status", json!(1))]);
    assert!(reply_text(&resolved).await.0.contains("GIL"));

    // The Add note button in an interview thread opens a modal.
    let (_thread, q1) = world
        .start_interview(alice, &[("topic", json!(TOPIC))])
        .await;
    let press = world.press(alice, &q1, "note");
    press.modal(T).await;
    let submit = d.submit_modal(&press, &[("note", "revisit @here mutability")]);
    let cb = submit.response(T).await;
    assert_eq!(cb.data["flags"], 64);
    assert!(cb.data["content"]
        .as_str()
        .unwrap_or("")
        .contains("Note #3 saved"));

    assert_no_pings(d);
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn topics_question_and_autocomplete_come_from_the_bank() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let topics = d.slash_command(d.alice(), d.channel_id(), "topics", &[]);
    let cb = topics.response(T).await;
    let text = cb.data.to_string();
    assert!(
        text.contains("core-python") && text.contains("easy"),
        "{text}"
    );

    let q = d.slash_command(
        d.alice(),
        d.channel_id(),
        "question",
        &[("topic", json!(TOPIC)), ("difficulty", json!(0))],
    );
    let cb = q.response(T).await;
    assert_eq!(cb.kind, 4);
    let text = cb.data.to_string();
    assert!(
        text.contains("Model answer (spoiler)") && text.contains("||"),
        "{text}"
    );

    let typing = d.autocomplete(
        d.bob(),
        d.channel_id(),
        "interview start",
        &[],
        ("topic", "pyth"),
    );
    let cb = typing.response(T).await;
    assert_eq!(cb.kind, 8);
    let choices = cb.data["choices"].as_array().expect("choices");
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert!(choices.iter().any(|c| c["value"] == TOPIC), "{choices:?}");
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn privacy_delete_asks_first_and_then_removes_the_callers_data() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let alice = d.alice();
    let add = d.slash_command(
        alice,
        d.channel_id(),
        "note add",
        &[("text", json!("mine"))],
    );
    reply_text(&add).await;

    let ask = d.slash_command(alice, d.channel_id(), "privacy delete", &[]);
    let prompt = ask.original_message(T).await;
    assert!(prompt.is_ephemeral());
    let store = world.store().await;
    assert!(
        store.find_discord_user(alice).await.unwrap().is_some(),
        "nothing deleted before the confirm"
    );

    let confirm = d.press_button(alice, prompt.id, &prompt.custom_ids()[0]);
    assert_eq!(confirm.response(T).await.kind, 7);
    assert!(store.find_discord_user(alice).await.unwrap().is_none());
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn admin_commands_need_manage_server_and_save_settings() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let commands = d.registered_commands();
    for name in ["bank", "config"] {
        let c = commands.iter().find(|c| c["name"] == name).expect(name);
        assert_eq!(
            c["default_member_permissions"], "32",
            "{name}: Manage Server"
        );
    }

    // Reloading the shared bank is for the bot's operators (here the
    // application's owner), not for every server's admins.
    let reload = d.slash_command(d.owner_id(), d.channel_id(), "bank reload", &[]);
    let (text, _) = reply_text(&reload).await;
    assert!(text.contains("Bank reloaded"), "{text}");

    let set = d.slash_command(
        d.admin(),
        d.channel_id(),
        "config",
        &[
            ("default_minutes", json!(7)),
            ("channel", json!(d.second_channel_id())),
            ("interviewer_role", json!(d.admin_role_id())),
        ],
    );
    let (text, _) = reply_text(&set).await;
    assert!(text.contains("Settings saved"), "{text}");
    let store = world.store().await;
    let s = store.guild_settings(d.guild_id()).await.unwrap();
    assert_eq!(s.default_minutes, Some(7));
    assert_eq!(s.interview_channel_id, Some(d.second_channel_id()));
    assert_eq!(s.interviewer_role_id, Some(d.admin_role_id()));

    // Interviews now start only in that channel.
    let wrong = d.slash_command(
        d.alice(),
        d.channel_id(),
        "interview start",
        &[("topic", json!(TOPIC))],
    );
    let (text, _) = reply_text(&wrong).await;
    assert!(text.contains("Interviews start in"), "{text}");
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_bank_reload_with_errors_keeps_the_old_bank_and_shows_the_first_problems() {
    let dir = bank_copy();
    let world = World::start(BotKnobs {
        bank_dir: Some(dir.path().to_path_buf()),
        ..BotKnobs::default()
    })
    .await;
    let d = &world.discord;
    let good = std::fs::read_to_string(dir.path().join("topics.yaml")).expect("read");
    std::fs::write(dir.path().join("topics.yaml"), "topics: [not, a, map]\n").expect("break");

    let reload = d.slash_command(d.owner_id(), d.channel_id(), "bank reload", &[]);
    let (text, ephemeral) = reply_text(&reload).await;
    assert!(ephemeral);
    assert!(
        text.contains("old bank stays") && text.contains("topics.yaml"),
        "{text}"
    );
    let (_thread, _q) = world
        .start_interview(d.alice(), &[("topic", json!(TOPIC))])
        .await;

    std::fs::write(dir.path().join("topics.yaml"), good).expect("fix");
    let reload = d.slash_command(d.owner_id(), d.channel_id(), "bank reload", &[]);
    assert!(reply_text(&reload).await.0.contains("Bank reloaded"));

    let refused = d.slash_command(d.alice(), d.channel_id(), "bank reload", &[]);
    assert!(reply_text(&refused)
        .await
        .0
        .contains("Only the bot's operators"));
    d.assert_clean();
}
