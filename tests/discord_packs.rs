//! `/pack` end to end against the loopback Discord stand-in: the attached
//! file is served on 127.0.0.1 and fetched by the bot; the pack is used by
//! /topics, autocomplete, /question and interviews, exported as imported,
//! kept over a restart and removed; another server never sees it; every bad
//! input is refused ephemerally with its line, and nothing is stored.

mod support;

use serde_json::{json, Value};
use support::*;

fn acme() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/acme.yaml");
    std::fs::read_to_string(path).expect("fixture")
}

fn file(name: &str, content: &str) -> Value {
    json!({"filename": name, "content": content, "content_type": "application/x-yaml"})
}

/// Runs `/pack <sub>` as `user`; returns the ephemeral reply.
async fn pack(world: &World, user: u64, sub: &str, options: &[(&str, Value)]) -> StoredMessage {
    let d = &world.discord;
    let cmd = d.slash_command(user, d.channel_id(), &format!("pack {sub}"), options);
    let reply = cmd.original_message(T).await;
    assert!(
        reply.is_ephemeral(),
        "/pack {sub} answers ephemerally: {}",
        reply.text()
    );
    reply
}

async fn import(world: &World, name: &str, content: &str) -> StoredMessage {
    let admin = world.discord.admin();
    pack(world, admin, "import", &[("file", file(name, content))]).await
}

async fn command_text(world: &World, command: &str, options: &[(&str, Value)]) -> String {
    let d = &world.discord;
    d.slash_command(d.bob(), d.channel_id(), command, options)
        .original_message(T)
        .await
        .text()
}

async fn stored_pack(world: &World) -> Option<interview_bot::store::StoredPack> {
    let guild = world.discord.guild_id();
    world.store().await.pack(guild).await.expect("reads")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pack_is_imported_used_exported_kept_over_a_restart_and_removed() {
    let mut world = World::start(BotKnobs::default()).await;
    let reply = import(&world, "acme.yaml", &acme()).await;
    assert!(
        reply.text().contains("Imported `acme.yaml`: 3 questions"),
        "{}",
        reply.text()
    );
    assert!(
        reply.text().contains("`acme-orm` 2 (new)"),
        "{}",
        reply.text()
    );

    let topics = command_text(&world, "topics", &[]).await;
    assert!(topics.contains("**Acme ORM** (`acme-orm`)"), "{topics}");
    let d = &world.discord;
    let typing = d.autocomplete(d.bob(), d.channel_id(), "question", &[], ("topic", "acme"));
    let choices = typing.response(T).await.data["choices"].clone();
    assert_eq!(choices[0]["value"], "acme-orm", "{choices}");
    let q = command_text(
        &world,
        "question",
        &[("topic", json!("acme-orm")), ("difficulty", json!(0))],
    )
    .await;
    assert!(
        q.contains("Acme ORM · easy") && q.contains("quarkmigrate"),
        "{q}"
    );

    // An interview on the pack's topic asks and grades its question.
    let (thread, question) = world
        .start_interview(
            d.alice(),
            &[
                ("topic", json!("acme-orm")),
                ("difficulty", json!(1)),
                ("questions", json!(1)),
            ],
        )
        .await;
    assert!(
        question
            .text()
            .contains("pending change reach the database"),
        "{}",
        question.text()
    );
    let feedback = world
        .answer(
            d.alice(),
            &question,
            "The session autoflush writes them; nothing is durable until commit.",
        )
        .await;
    assert!(
        feedback.text().contains("Key points covered: 2/2 (100%)"),
        "{}",
        feedback.text()
    );
    assert_ne!(thread, 0);

    // Exported exactly as imported, from a URL the stand-in serves.
    let export = pack(&world, d.admin(), "export", &[]).await;
    let files = export.json["attachments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(files.len(), 1, "{:?}", export.json);
    assert_eq!(files[0]["filename"], "acme.yaml");
    let url = files[0]["url"].as_str().expect("url");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let body = reqwest::get(url)
        .await
        .expect("served")
        .text()
        .await
        .expect("text");
    assert_eq!(body, acme());

    let list = pack(&world, d.admin(), "list", &[]).await.text();
    assert!(
        list.contains("`acme.yaml`: 3 questions, imported by <@"),
        "{list}"
    );
    assert!(
        list.contains("**Acme ORM** (`acme-orm` (this server's own)): 2"),
        "{list}"
    );

    // A restart rebuilds the server's bank from the database.
    world.stop_bot().await;
    world.start_bot().await;
    world.discord.wait_for_ready(T).await;
    let topics = command_text(&world, "topics", &[]).await;
    assert!(topics.contains("Acme ORM"), "kept over a restart: {topics}");

    let removed = pack(&world, world.discord.admin(), "remove", &[])
        .await
        .text();
    assert!(
        removed.contains("Removed `acme.yaml` (3 questions)"),
        "{removed}"
    );
    let q = command_text(&world, "question", &[("topic", json!("acme-orm"))]).await;
    assert!(q.contains("nknown topic `acme-orm`"), "{q}");
    assert!(stored_pack(&world).await.is_none());
    assert_no_pings(&world.discord);
    world.discord.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_second_server_never_sees_the_first_servers_pack() {
    let world = World::start(BotKnobs::default()).await;
    import(&world, "acme.yaml", &acme()).await;
    let other = world.second_server().await;
    assert_ne!(other.discord.guild_id(), world.discord.guild_id());
    let topics = command_text(&other, "topics", &[]).await;
    assert!(
        !topics.contains("Acme ORM") && topics.contains("604 questions"),
        "{topics}"
    );
    let q = command_text(&other, "question", &[("topic", json!("acme-orm"))]).await;
    assert!(q.contains("nknown topic `acme-orm`"), "{q}");
    let list = pack(&other, other.discord.admin(), "list", &[])
        .await
        .text();
    assert!(list.contains("has no question pack"), "{list}");
    // The first server still has it.
    assert!(command_text(&world, "topics", &[])
        .await
        .contains("Acme ORM"));
    other.discord.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_broken_pack_keeps_the_old_one_and_lists_its_problems_with_lines() {
    let world = World::start(BotKnobs::default()).await;
    import(&world, "acme.yaml", &acme()).await;
    let broken = acme()
        .replace(
            "    difficulty: medium\n",
            "    difficulty: medium\n    colour: red\n",
        )
        .replace("tags: [migrations]", "tags: [migrationz]");
    let reply = import(&world, "acme-v2.yaml", &broken).await.text();
    assert!(
        reply.contains("`acme-v2.yaml` has 2 problems, so nothing was imported"),
        "{reply}"
    );
    assert!(
        reply.contains("acme-v2.yaml:13: unknown field `colour`"),
        "{reply}"
    );
    assert!(
        reply.contains("acme-v2.yaml:30: unknown tag `migrationz`"),
        "{reply}"
    );
    let kept = stored_pack(&world).await.expect("the old pack stays");
    assert_eq!((kept.file_name.as_str(), kept.yaml), ("acme.yaml", acme()));
    assert!(command_text(&world, "topics", &[])
        .await
        .contains("Acme ORM"));

    // A long list comes whole in problems.txt.
    let mut many = String::from("questions:\n");
    for i in 0..12 {
        many.push_str(&format!(
            "  - id: q-{i}\n    topic: acme-orm\n    colour: red\n"
        ));
    }
    let reply = import(&world, "many.yaml", &many).await;
    assert!(
        reply.text().contains("all 12 are in problems.txt"),
        "{}",
        reply.text()
    );
    let files = reply.json["attachments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        files.first().map(|f| f["filename"].clone()),
        Some(json!("problems.txt")),
        "{:?}",
        reply.json
    );
    let url = files[0]["url"].as_str().expect("url");
    let all = reqwest::get(url)
        .await
        .expect("served")
        .text()
        .await
        .expect("text");
    assert!(
        all.contains("many.yaml:37: unknown field `colour`"),
        "{all}"
    );
    assert_eq!(
        stored_pack(&world).await.map(|p| p.file_name),
        Some("acme.yaml".into())
    );
    assert_no_pings(&world.discord);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_bad_input_is_refused_ephemerally_and_nothing_is_stored() {
    let world = World::start(BotKnobs::default()).await;
    let one = |extra: &str, kw: &str| {
        format!("questions:\n  - id: zorblax-flag\n    topic: core-python\n    difficulty: easy\n    tags: [mutability]\n{extra}    prompt: What does the zorblax flag do?\n    key_points:\n      - point: It freezes quux frames.\n        keywords: [{kw}]\n      - point: It thaws them at exit.\n        keywords: [thaws at exit]\n    model_answer: It freezes quux frames and thaws at exit.\n")
    };
    let dup = format!(
        "{}{}",
        one("", "freezes quux"),
        one("", "freezes quux").replacen("questions:\n", "", 1)
    );
    let mut too_many = String::from("questions:\n");
    for i in 0..201 {
        too_many.push_str(
            &one("", "freezes quux")
                .replacen("questions:\n", "", 1)
                .replace("zorblax-flag", &format!("q-{i}")),
        );
    }
    let cases: Vec<(&str, Value, &str)> = vec![
        ("not YAML", file("p.yaml", "questions:\n  - id: a\n    prompt: [unclosed\n"), "p.yaml:4:"),
        ("wrong shape", file("p.yaml", "questions: hello\n"), "p.yaml:1: questions: invalid type"),
        ("unknown field", file("p.yaml", &one("    colour: red\n", "freezes quux")), "p.yaml:6: unknown field `colour`"),
        ("duplicate id", file("p.yaml", &dup), "p.yaml:13: duplicate id `zorblax-flag`"),
        ("keyword lint", file("p.yaml", &one("", "zorblax flag")), "p.yaml:9: question `zorblax-flag`: keyword `zorblax flag` of key point 1 appears in the prompt"),
        ("too large", file("p.yaml", &format!("questions: []\n# {}\n", "x".repeat(300 * 1024))), "`p.yaml`: the file is 301 KiB; a pack may be at most 256 KiB"),
        ("too many questions", file("p.yaml", &too_many), "p.yaml:1: the pack has 201 questions; a server may have at most 200"),
        ("not text", json!({"filename": "p.png", "bytes": [137, 80, 78, 71, 13, 10, 26, 10, 0, 0], "content_type": "image/png"}), "`p.png`: the file is not text"),
        ("not text, untyped", json!({"filename": "p.yaml", "bytes": [255, 254, 0, 113, 0]}), "p.yaml:1: the file is not text"),
    ];
    for (what, attachment, needle) in cases {
        let reply = pack(
            &world,
            world.discord.admin(),
            "import",
            &[("file", attachment)],
        )
        .await
        .text();
        assert!(reply.contains(needle), "{what}: {reply}");
        assert!(
            reply.contains("nothing was imported") || reply.contains("Nothing was imported"),
            "{what}: {reply}"
        );
        assert!(
            stored_pack(&world).await.is_none(),
            "{what}: nothing stored"
        );
    }
    assert_no_pings(&world.discord);
    world.discord.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn only_moderators_manage_packs_and_pack_text_never_pings() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let refused = pack(
        &world,
        d.alice(),
        "import",
        &[("file", file("acme.yaml", &acme()))],
    )
    .await
    .text();
    assert!(
        refused.contains("Only members with Manage Server or this server's interviewer role"),
        "{refused}"
    );
    assert!(pack(&world, d.alice(), "export", &[])
        .await
        .text()
        .contains("Only members"));
    assert!(stored_pack(&world).await.is_none());

    let loud = acme().replace(
        "How do you undo the last quarkmigrate step?",
        &format!(
            "\"@everyone <@{}> **how** do you undo the last quarkmigrate step?\"",
            d.alice()
        ),
    );
    assert!(import(&world, "loud.yaml", &loud)
        .await
        .text()
        .contains("Imported"));
    let shown = d
        .slash_command(
            d.bob(),
            d.channel_id(),
            "question",
            &[("topic", json!("acme-orm")), ("difficulty", json!(0))],
        )
        .original_message(T)
        .await;
    assert!(
        shown.text().contains("@everyone"),
        "shown as text: {}",
        shown.text()
    );
    assert_no_pings(d);
    d.assert_clean();
}
