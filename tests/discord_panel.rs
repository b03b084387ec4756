//! Group panels (issue 5): the lobby of `/panel create`, its buttons and
//! who may press them, its limits, and expiry across a restart.

mod support;

use serde_json::json;
use support::*;

/// The custom_id of the lobby button for `action` (`cand`, `intv`, `leave`, `start`, `cancel`).
fn lobby_cid(message: &StoredMessage, action: &str) -> String {
    message
        .custom_ids()
        .into_iter()
        .find(|c| c.starts_with("pl:") && c.split(':').nth(2) == Some(action))
        .unwrap_or_else(|| panic!("no {action} button: {:?}", message.custom_ids()))
}

async fn create_lobby(world: &World, user: u64) -> StoredMessage {
    let d = &world.discord;
    let create = d.slash_command(
        user,
        d.channel_id(),
        "panel create",
        &[("topic", json!(TOPIC)), ("questions", json!(2))],
    );
    let reply = create.original_message(T).await;
    assert!(reply.text().contains("Lobby posted"), "{}", reply.text());
    world.message_with(d.channel_id(), "Panel lobby").await
}

/// Presses a lobby button; returns the response's kind and its text.
async fn press(world: &World, user: u64, lobby: &StoredMessage, action: &str) -> (u8, String) {
    let d = &world.discord;
    let press = d.press_button(user, lobby.id, &lobby_cid(lobby, action));
    let r = press.response(T).await;
    (r.kind, r.data.to_string())
}

fn lobby_now(world: &World, lobby: &StoredMessage) -> StoredMessage {
    world.discord.message(lobby.id).expect("lobby message")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn people_join_a_lobby_as_candidates_or_interviewers_and_only_the_creator_cancels() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let lobby = create_lobby(&world, d.alice()).await;
    assert!(
        lobby.text().contains("Candidates (0/8)"),
        "{}",
        lobby.text()
    );
    assert_eq!(lobby.custom_ids().len(), 5, "join x2, leave, start, cancel");

    assert_eq!(press(&world, d.bob(), &lobby, "cand").await.0, 7);
    assert_eq!(press(&world, d.carol(), &lobby, "cand").await.0, 7);
    assert_eq!(press(&world, d.dave(), &lobby, "intv").await.0, 7);
    let text = lobby_now(&world, &lobby).text();
    assert!(text.contains("Candidates (2/8)"), "{text}");
    assert!(text.contains("Interviewers (1/5)"), "{text}");
    assert!(text.contains("Bob") && text.contains("Dave"), "{text}");

    // One or the other: Carol switching to interviewer leaves the candidates.
    assert_eq!(press(&world, d.carol(), &lobby, "intv").await.0, 7);
    let text = lobby_now(&world, &lobby).text();
    assert!(
        text.contains("Candidates (1/8)") && text.contains("Interviewers (2/5)"),
        "{text}"
    );

    // A second join as the same role, and leaving a lobby one is not in, are refused privately.
    let (kind, body) = press(&world, d.bob(), &lobby, "cand").await;
    assert_eq!(kind, 4);
    assert!(
        body.contains("already joined as a candidate") && body.contains("64"),
        "{body}"
    );
    assert_eq!(press(&world, d.carol(), &lobby, "leave").await.0, 7);
    let (kind, body) = press(&world, d.carol(), &lobby, "leave").await;
    assert_eq!(kind, 4);
    assert!(body.contains("not in this lobby"), "{body}");

    // Members who did not create it may neither start nor cancel.
    for action in ["start", "cancel"] {
        let (kind, body) = press(&world, d.bob(), &lobby, action).await;
        assert_eq!(kind, 4, "{action}");
        assert!(
            body.contains("Only the person who created this panel"),
            "{body}"
        );
    }
    assert!(lobby_now(&world, &lobby)
        .text()
        .contains("Candidates (1/8)"));

    let (kind, _) = press(&world, d.alice(), &lobby, "cancel").await;
    assert_eq!(kind, 7);
    let after = lobby_now(&world, &lobby);
    assert!(after.text().contains("cancelled"), "{}", after.text());
    assert!(
        after.custom_ids().is_empty(),
        "no buttons on a closed lobby"
    );
    assert_no_pings(d);
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_manager_may_cancel_someone_elses_lobby() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let lobby = create_lobby(&world, d.alice()).await;
    let (kind, _) = press(&world, d.admin(), &lobby, "cancel").await;
    assert_eq!(kind, 7);
    assert!(lobby_now(&world, &lobby).text().contains("cancelled"));
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lobby_survives_a_restart_and_expires_thirty_minutes_after_creation() {
    let mut world = World::start(BotKnobs::default()).await;
    let lobby = create_lobby(&world, world.discord.alice()).await;
    let bob = world.discord.bob();
    assert_eq!(press(&world, bob, &lobby, "cand").await.0, 7);

    world.stop_bot().await;
    world.start_bot().await;
    let carol = world.discord.carol();
    assert_eq!(press(&world, carol, &lobby, "intv").await.0, 7);
    let text = lobby_now(&world, &lobby).text();
    assert!(text.contains("Bob") && text.contains("Carol"), "{text}");

    // A lobby past its 30 minutes answers a press by closing itself.
    age_lobbies(&world).await;
    let d = &world.discord;
    let press_late = d.press_button(d.dave(), lobby.id, &lobby_cid(&lobby, "cand"));
    assert_eq!(press_late.response(T).await.kind, 7);
    let told = press_late.wait_for_followups(1, T).await;
    assert!(told[0].text().contains("expired"), "{}", told[0].text());
    let after = lobby_now(&world, &lobby);
    assert!(after.text().contains("expired") && after.custom_ids().is_empty());
    assert!(!after.text().contains("Dave"), "{}", after.text());

    // One that expires while the bot is away is closed at start-up.
    let second = create_lobby_after(&world, d.alice(), lobby.id).await;
    world.stop_bot().await;
    age_lobbies(&world).await;
    world.start_bot().await;
    let d = &world.discord;
    let second_id = second.id;
    d.wait_until(T, "the second lobby says it expired", |st| {
        st.messages
            .iter()
            .find(|m| m.id == second_id && m.text().contains("expired"))
            .cloned()
    })
    .await;
    assert!(lobby_now(&world, &second).custom_ids().is_empty());
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", world.db.display()))
        .await
        .expect("db");
    let statuses: Vec<String> = sqlx::query_scalar("SELECT status FROM panel_lobbies ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("statuses");
    assert_eq!(statuses, ["expired", "expired"]);
    d.assert_clean();
}

/// Moves every lobby's creation 31 minutes into the past.
async fn age_lobbies(world: &World) {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", world.db.display()))
        .await
        .expect("db");
    sqlx::query("UPDATE panel_lobbies SET created_ms = created_ms - 31 * 60 * 1000")
        .execute(&pool)
        .await
        .expect("age the lobbies");
    pool.close().await;
}

/// A second lobby in the same channel (the first lobby message is older).
async fn create_lobby_after(world: &World, user: u64, first: u64) -> StoredMessage {
    let d = &world.discord;
    let create = d.slash_command(
        user,
        d.channel_id(),
        "panel create",
        &[("topic", json!(TOPIC))],
    );
    create.original_message(T).await;
    d.wait_for_message(d.channel_id(), T, |m| {
        m.id != first && m.text().contains("Panel lobby")
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lobby_is_refused_inside_a_thread_or_for_an_unknown_topic_with_what_to_do() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (thread, _) = world
        .start_interview(d.bob(), &[("topic", json!(TOPIC))])
        .await;
    let inside = d.slash_command(
        d.carol(),
        thread,
        "panel create",
        &[("topic", json!(TOPIC))],
    );
    let reply = inside.original_message(T).await;
    assert!(reply.is_ephemeral());
    assert!(
        reply.content().contains("in a text channel"),
        "{}",
        reply.content()
    );
    let unknown = d.slash_command(
        d.carol(),
        d.channel_id(),
        "panel create",
        &[("topic", json!("no-such-topic"))],
    );
    let reply = unknown.original_message(T).await;
    assert!(reply.is_ephemeral());
    assert!(
        reply.content().contains("Pick one from the list"),
        "{}",
        reply.content()
    );
    assert!(
        !d.messages_in(d.channel_id())
            .iter()
            .any(|m| m.text().contains("Panel lobby")),
        "no lobby was posted"
    );
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn quick_presses_by_several_people_all_land_on_the_lobby_message() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let lobby = create_lobby(&world, d.alice()).await;
    let presses = [
        d.press_button(d.bob(), lobby.id, &lobby_cid(&lobby, "cand")),
        d.press_button(d.carol(), lobby.id, &lobby_cid(&lobby, "cand")),
        d.press_button(d.dave(), lobby.id, &lobby_cid(&lobby, "intv")),
    ];
    for p in &presses {
        assert_eq!(p.response(T).await.kind, 7);
    }
    let text = lobby_now(&world, &lobby).text();
    assert!(text.contains("Candidates (2/8)"), "{text}");
    assert!(text.contains("Interviewers (1/5)"), "{text}");
    d.assert_clean();
}
