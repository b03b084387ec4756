//! Group panels (issue 5): the lobby of `/panel create`, its buttons and
//! who may press them, its limits, and expiry across a restart.

mod support;

use serde_json::json;
use support::discord_standin::perms;
use support::*;

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

    assert_eq!(press_lobby(&world, d.bob(), &lobby, "cand").await.0, 7);
    assert_eq!(press_lobby(&world, d.carol(), &lobby, "cand").await.0, 7);
    assert_eq!(press_lobby(&world, d.dave(), &lobby, "intv").await.0, 7);
    let text = lobby_now(&world, &lobby).text();
    assert!(text.contains("Candidates (2/8)"), "{text}");
    assert!(text.contains("Interviewers (1/5)"), "{text}");
    assert!(text.contains("Bob") && text.contains("Dave"), "{text}");

    // One or the other: Carol switching to interviewer leaves the candidates.
    assert_eq!(press_lobby(&world, d.carol(), &lobby, "intv").await.0, 7);
    let text = lobby_now(&world, &lobby).text();
    assert!(
        text.contains("Candidates (1/8)") && text.contains("Interviewers (2/5)"),
        "{text}"
    );

    // A second join as the same role, and leaving a lobby one is not in, are refused privately.
    let (kind, body) = press_lobby(&world, d.bob(), &lobby, "cand").await;
    assert_eq!(kind, 4);
    assert!(
        body.contains("already joined as a candidate") && body.contains("64"),
        "{body}"
    );
    assert_eq!(press_lobby(&world, d.carol(), &lobby, "leave").await.0, 7);
    let (kind, body) = press_lobby(&world, d.carol(), &lobby, "leave").await;
    assert_eq!(kind, 4);
    assert!(body.contains("not in this lobby"), "{body}");

    // Members who did not create it may neither start nor cancel.
    for action in ["start", "cancel"] {
        let (kind, body) = press_lobby(&world, d.bob(), &lobby, action).await;
        assert_eq!(kind, 4, "{action}");
        assert!(
            body.contains("Only the person who created this panel"),
            "{body}"
        );
    }
    assert!(lobby_now(&world, &lobby)
        .text()
        .contains("Candidates (1/8)"));

    let (kind, _) = press_lobby(&world, d.alice(), &lobby, "cancel").await;
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
    let (kind, _) = press_lobby(&world, d.admin(), &lobby, "cancel").await;
    assert_eq!(kind, 7);
    assert!(lobby_now(&world, &lobby).text().contains("cancelled"));
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lobby_survives_a_restart_and_expires_thirty_minutes_after_creation() {
    let mut world = World::start(BotKnobs::default()).await;
    let lobby = create_lobby(&world, world.discord.alice()).await;
    let bob = world.discord.bob();
    assert_eq!(press_lobby(&world, bob, &lobby, "cand").await.0, 7);

    world.stop_bot().await;
    world.start_bot().await;
    let carol = world.discord.carol();
    assert_eq!(press_lobby(&world, carol, &lobby, "intv").await.0, 7);
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

/// A lobby created by `creator` with `questions` per candidate, joined by
/// `candidates` and `interviewers` in that order, then started by the
/// creator. Returns the panel's thread and its first question.
/// Scores the question on `message` through its Score modal; returns the
/// interaction (its response is the private confirmation).
async fn score(
    world: &World,
    interviewer: u64,
    message: &StoredMessage,
    ratings: [&str; 3],
    note: &str,
) -> InteractionHandle {
    let d = &world.discord;
    let open = world.press(interviewer, message, "score");
    let modal = open.modal(T).await;
    assert!(modal["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("Score question")));
    let submit = d.submit_modal(
        &open,
        &[
            ("technical", ratings[0]),
            ("communication", ratings[1]),
            ("problem_solving", ratings[2]),
            ("note", note),
        ],
    );
    submit.response(T).await;
    submit
}

fn thread_text_for_everyone(world: &World, thread: u64) -> String {
    world
        .discord
        .messages_in(thread)
        .iter()
        .filter(|m| !m.is_ephemeral())
        .map(|m| m.text())
        .collect::<Vec<_>>()
        .join("\n---\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_panel_runs_from_lobby_to_summary_with_turns_private_scores_and_notes() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let (alice, bob, carol, dave, admin) = (d.alice(), d.bob(), d.carol(), d.dave(), d.admin());
    let (thread, q1) = run_panel(&world, alice, 2, &[bob, carol], &[dave, alice]).await;
    assert!(
        q1.text().contains("Question 1 of 4 · for Bob"),
        "{}",
        q1.text()
    );
    assert!(
        q1.text().contains("in turn: Bob, Carol")
            && q1.text().contains("Interviewers**: Dave, Alice"),
        "{}",
        q1.text()
    );
    let members = d.channel(thread).expect("thread").members;
    for u in [bob, carol, dave, alice] {
        assert!(members.contains(&u), "{u} was added to the thread");
    }

    // Wrong roles are told privately what they can do; nothing changes.
    assert!(refused(&world, carol, &q1, "ans")
        .await
        .contains("It is Bob's turn"));
    assert!(refused(&world, dave, &q1, "ans")
        .await
        .contains("Interviewers don't answer"));
    assert!(refused(&world, admin, &q1, "ans")
        .await
        .contains("not in this panel"));
    assert!(refused(&world, bob, &q1, "score")
        .await
        .contains("Candidates don't score"));
    assert!(refused(&world, bob, &q1, "view")
        .await
        .contains("Candidates don't score"));
    assert!(refused(&world, admin, &q1, "score")
        .await
        .contains("not in this panel"));
    assert!(refused(&world, dave, &q1, "skip")
        .await
        .contains("Interviewers don't answer"));
    assert!(refused(&world, bob, &q1, "end")
        .await
        .contains("Only the person who created"));

    // The interviewer view: model answer, key points and follow-ups, privately.
    let view = world.press(dave, &q1, "view");
    let shown = view.original_message(T).await;
    assert!(shown.is_ephemeral());
    let text = shown.text();
    for part in [
        "Key points to listen for",
        "Model answer",
        "Follow-up questions",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    let ask = d.press_button(dave, shown.id, &cid(&shown, "fu0"));
    let told = ask.original_message(T).await;
    assert!(told.is_ephemeral() && told.text().contains("Follow-up 1 asked"));
    let follow_up = ask.wait_for_followups(1, T).await;
    assert!(!follow_up[0].is_ephemeral());
    assert!(follow_up[0]
        .text()
        .contains("Follow-up from the interviewers"));
    let again = d.press_button(dave, shown.id, &cid(&shown, "fu0"));
    assert!(again
        .original_message(T)
        .await
        .text()
        .contains("already asked"));

    // Bob answers in writing; both interviewers score; only they see scores.
    let answer = world
        .answer(
            bob,
            &q1,
            "Lists are mutable and tuples are immutable, so tuples can be dict keys.",
        )
        .await;
    assert!(
        answer.text().contains("Bob's answer is in"),
        "{}",
        answer.text()
    );
    assert!(answer.text().contains("tuples can be dict keys"));
    let first = score(&world, dave, &answer, ["4", "4", "4"], "Good structure").await;
    let mine = first.original_message(T).await;
    assert!(mine.is_ephemeral());
    assert!(
        mine.text().contains("Nobody else has scored yet"),
        "{}",
        mine.text()
    );
    assert!(
        mine.text().contains("Waiting for 1 more"),
        "{}",
        mine.text()
    );
    let second = score(&world, alice, &answer, ["2", "4", "5"], "").await;
    let theirs = second.original_message(T).await;
    assert!(theirs.is_ephemeral());
    assert!(
        theirs.text().contains("Dave: technical 4") && theirs.text().contains("Good structure"),
        "after scoring, the others' cards show: {}",
        theirs.text()
    );
    let next = second.wait_for_followups(1, T).await;
    let q2 = next.last().expect("the next question").clone();
    assert!(
        q2.text()
            .contains("Question 1 for Bob is closed: 2 scorecard(s)"),
        "{}",
        q2.text()
    );
    assert!(
        q2.text().contains("Question 2 of 4 · for Carol"),
        "{}",
        q2.text()
    );

    // Carol answers out loud: interviewers score before her deadline.
    assert!(refused(&world, bob, &q2, "ans")
        .await
        .contains("It is Carol's turn"));
    score(&world, dave, &q2, ["3", "3", "3"], "").await;
    let closing = score(&world, alice, &q2, ["3", "4", "3"], "Speak to trade-offs").await;
    let q3 = closing
        .wait_for_followups(1, T)
        .await
        .last()
        .cloned()
        .expect("q3");
    assert!(
        q3.text().contains("Question 3 of 4 · for Bob"),
        "{}",
        q3.text()
    );

    let public = thread_text_for_everyone(&world, thread);
    for secret in [
        "Good structure",
        "Speak to trade-offs",
        "technical 4",
        "/100",
    ] {
        assert!(
            !public.contains(secret),
            "{secret} was shown to everyone:\n{public}"
        );
    }

    // A stale press on a closed question changes nothing.
    assert!(refused(&world, dave, &answer, "score")
        .await
        .contains("already closed"));

    // The creator ends it: a summary per candidate, then the thread is archived.
    let end = world.press(alice, &q3, "end");
    let summary = end.original_message(T).await;
    let mut text = summary.text();
    for m in end.wait_for_followups(0, T).await {
        text.push_str(&m.text());
    }
    assert!(text.contains("Panel summary (finished)"), "{text}");
    assert!(
        text.contains("Bob · summary") && text.contains("Carol · summary"),
        "{text}"
    );
    assert!(
        text.contains("interviewers disagreed on technical: 2 to 4"),
        "{text}"
    );
    assert!(text.contains("Dave: Good structure"), "{text}");
    assert!(text.contains("Alice: Speak to trade-offs"), "{text}");
    d.wait_until(T, "the thread is archived", |st| {
        st.channels
            .iter()
            .find(|c| c.id == thread && c.archived)
            .map(|_| ())
    })
    .await;

    // The database holds the panel's questions, scorecards and notes.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", world.db.display()))
        .await
        .expect("db");
    let rows: Vec<(i64, Option<i64>, i64)> =
        sqlx::query_as("SELECT position, score, panel FROM asked_questions ORDER BY position")
            .fetch_all(&pool)
            .await
            .expect("rows");
    let expected_q1 = interview_bot::interview::scoring::panel_score(&[4, 4, 4, 2, 4, 5], 0, 10);
    let expected_q2 = interview_bot::interview::scoring::panel_score(&[3, 3, 3, 3, 4, 3], 0, 10);
    assert_eq!(rows.len(), 3, "{rows:?}");
    let windows: Vec<i64> =
        sqlx::query_scalar("SELECT deadline_ms - asked_ms FROM asked_questions ORDER BY position")
            .fetch_all(&pool)
            .await
            .expect("deadlines");
    assert_eq!(windows, [120_000; 3], "each question has its own deadline");
    assert_eq!(rows[0], (0, expected_q1.map(i64::from), 1));
    assert_eq!(rows[1], (1, expected_q2.map(i64::from), 1));
    let cards: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ratings WHERE role = 'interviewer'")
        .fetch_one(&pool)
        .await
        .expect("ratings");
    assert_eq!(cards, 4);
    let notes: Vec<String> = sqlx::query_scalar(
        "SELECT n.text FROM notes n JOIN users u ON u.id = n.subject_id
         WHERE u.discord_id = $1 AND n.author_id IS NOT NULL",
    )
    .bind(bob as i64)
    .fetch_all(&pool)
    .await
    .expect("notes");
    assert_eq!(notes, ["Good structure"]);
    let status: String = sqlx::query_scalar("SELECT status FROM panel_lobbies")
        .fetch_one(&pool)
        .await
        .expect("lobby");
    assert_eq!(status, "started");

    // Bob sees the interviewer's note in /notes.
    let listed = d.slash_command(bob, d.channel_id(), "notes", &[]);
    let listed = listed.original_message(T).await;
    assert!(
        listed.text().contains("Good structure"),
        "{}",
        listed.text()
    );
    assert_no_pings(d);
    d.assert_clean();
}

async fn db(world: &World) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!("sqlite://{}", world.db.display()))
        .await
        .expect("db")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn people_who_leave_the_thread_or_the_server_are_passed_over_and_the_panel_goes_on() {
    let world = World::start(BotKnobs {
        member_events: true,
        ..BotKnobs::default()
    })
    .await;
    let d = &world.discord;
    let (alice, bob, carol, dave) = (d.alice(), d.bob(), d.carol(), d.dave());
    let (thread, q1) = run_panel(&world, alice, 2, &[bob, carol], &[dave, alice]).await;
    assert!(q1.text().contains("for Bob"), "{}", q1.text());

    // Bob leaves the thread during his question: it closes and Carol is next.
    d.user_leaves_thread(bob, thread);
    let left = world.message_with(thread, "Bob left the panel").await;
    assert!(
        left.text().contains("remaining questions are dropped"),
        "{}",
        left.text()
    );
    assert!(
        left.text().contains("Question 2 of 4 · for Carol"),
        "{}",
        left.text()
    );

    // Dave leaves the server: Alice's scorecard alone now closes Carol's question.
    d.member_leaves_guild(dave);
    world.message_with(thread, "Dave left the panel").await;
    let done = score(&world, alice, &left, ["4", "4", "4"], "").await;
    let next = done.wait_for_followups(1, T).await;
    let q4 = next.last().expect("next question");
    assert!(
        q4.text().contains("Question 4 of 4 · for Carol"),
        "Bob's second turn is dropped: {}",
        q4.text()
    );
    let end = world.press(alice, q4, "end");
    let summary = end.original_message(T).await;
    let text = summary.text();
    assert!(
        text.contains("Bob · summary") && text.contains("Carol · summary"),
        "{text}"
    );
    assert!(
        text.contains("1. Core Python"),
        "Bob's closed question stays: {text}"
    );

    let pool = db(&world).await;
    let left: Vec<i64> = sqlx::query_scalar(
        "SELECT u.discord_id FROM participants p JOIN users u ON u.id = p.user_id
         WHERE p.left_ms IS NOT NULL ORDER BY u.discord_id",
    )
    .fetch_all(&pool)
    .await
    .expect("participants");
    let mut expected = vec![bob as i64, dave as i64];
    expected.sort();
    assert_eq!(left, expected);
    let positions: Vec<i64> =
        sqlx::query_scalar("SELECT position FROM asked_questions ORDER BY position")
            .fetch_all(&pool)
            .await
            .expect("asked");
    assert_eq!(
        positions,
        [0, 1, 3],
        "Bob's second question was never asked"
    );
    assert_no_pings(d);
    d.assert_clean();
}

/// Stops the bot and starts it again as if it had been away past the
/// running panel's current deadline (the JSON `paths` of its stored state,
/// moved a second into the past), after checking the panel is in `phase`.
async fn away_past(world: &mut World, phase: &str, paths: &[&str]) {
    world.stop_bot().await;
    let pool = db(world).await;
    let stored: String =
        sqlx::query_scalar("SELECT json_extract(state, '$.phase.phase') FROM sessions")
            .fetch_one(&pool)
            .await
            .expect("phase");
    assert_eq!(stored, phase);
    let past = world.clock.now().millis() - 1_000;
    for path in paths {
        sqlx::query("UPDATE sessions SET state = json_set(state, $1, $2), next_wakeup_ms = $2")
            .bind(path)
            .bind(past)
            .execute(&pool)
            .await
            .expect("age the stored deadline");
    }
    pool.close().await;
    world.start_bot().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_restart_mid_panel_resumes_it_and_silent_people_do_not_stall_it() {
    let mut world = World::start(BotKnobs::default()).await;
    let (alice, bob, dave) = (
        world.discord.alice(),
        world.discord.bob(),
        world.discord.dave(),
    );
    let (thread, q1) = run_panel(&world, alice, 2, &[bob], &[dave, alice]).await;
    let answer = world
        .answer(bob, &q1, "A decorator wraps a function.")
        .await;
    score(&world, dave, &answer, ["5", "4", "3"], "Clear").await;

    // The bot goes away while Alice has not scored, and stays away past the
    // two-minute scoring window: at start-up the question closes with
    // Dave's card, and the panel goes on.
    away_past(&mut world, "scoring", &["$.phase.until"]).await;
    let q2 = world
        .message_with(thread, "Question 2 of 2 · for Bob")
        .await;
    assert!(
        q2.text()
            .contains("Question 1 for Bob is closed: 1 scorecard(s)"),
        "{}",
        q2.text()
    );
    // The closed question and the next one say it all: no restart notice.
    let notices = world
        .discord
        .messages_in(thread)
        .iter()
        .filter(|m| m.text().contains("The bot was restarted"))
        .count();
    assert_eq!(notices, 0);

    // Bob says nothing and writes nothing; the bot is away past his deadline.
    away_past(
        &mut world,
        "answering",
        &[
            "$.phase.remind_at",
            "$.phase.deadline",
            "$.results[#-1].deadline",
        ],
    )
    .await;
    let timed_out = world.message_with(thread, "Time is up for Bob").await;
    assert!(
        timed_out.text().contains("Nothing written"),
        "{}",
        timed_out.text()
    );

    // The resumed panel's buttons work: both score, and it ends.
    score(&world, dave, &timed_out, ["3", "3", "3"], "").await;
    let last = score(&world, alice, &timed_out, ["3", "3", "3"], "").await;
    let posts = last.wait_for_followups(1, T).await;
    let text: String = posts.iter().map(|m| m.text()).collect();
    assert!(text.contains("Panel summary (finished)"), "{text}");
    assert!(text.contains("2. Core Python"), "{text}");
    assert!(text.contains("nothing written · 50/100"), "{text}");
    let expected_q1 =
        interview_bot::interview::scoring::panel_score(&[5, 4, 3], 0, 10).expect("scored");
    assert!(text.contains(&format!("{expected_q1}/100")), "{text}");
    let pool = db(&world).await;
    let rows: Vec<(Option<i64>, String)> =
        sqlx::query_as("SELECT score, outcome FROM asked_questions ORDER BY position")
            .fetch_all(&pool)
            .await
            .expect("scores");
    assert_eq!(
        rows,
        [
            (Some(i64::from(expected_q1)), "answered".to_string()),
            (Some(50), "unanswered".to_string())
        ],
        "all 3s map to 50"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM sessions")
        .fetch_one(&pool)
        .await
        .expect("status");
    assert_eq!(status, "finished");
    let d = &world.discord;
    assert_no_pings(d);
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_start_that_cannot_open_a_thread_says_why_and_keeps_the_lobby_open() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let lobby = create_lobby(&world, d.alice()).await;
    assert_eq!(press_lobby(&world, d.bob(), &lobby, "cand").await.0, 7);
    assert_eq!(press_lobby(&world, d.carol(), &lobby, "intv").await.0, 7);
    d.set_bot_permissions(perms::BOT_DEFAULT & !perms::CREATE_PUBLIC_THREADS);
    let start = d.press_button(d.alice(), lobby.id, &lobby_cid(&lobby, "start"));
    assert_eq!(start.response(T).await.kind, 6);
    let told = start.wait_for_followups(1, T).await;
    assert!(told[0].is_ephemeral());
    assert!(
        told[0].text().contains("may not open threads"),
        "{}",
        told[0].text()
    );
    assert!(d.threads().is_empty(), "no thread was left behind");
    let after = lobby_now(&world, &lobby);
    assert_eq!(after.custom_ids().len(), 5, "the lobby is still open");
    assert!(after.text().contains("Bob") && after.text().contains("Carol"));

    // With the permission back, the same lobby starts.
    d.set_bot_permissions(perms::BOT_DEFAULT);
    let start = d.press_button(d.alice(), lobby.id, &lobby_cid(&lobby, "start"));
    assert_eq!(start.response(T).await.kind, 6);
    let thread = d.wait_for_thread(T, |t| t.name.starts_with("Panel")).await;
    world.message_with(thread.id, "Question 1 of").await;
    let lobby_id = lobby.id;
    d.wait_until(T, "the lobby says the panel started", |st| {
        st.messages
            .iter()
            .find(|m| m.id == lobby_id && m.text().contains("has started"))
            .map(|_| ())
    })
    .await;
    d.assert_clean();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_panel_whose_first_post_fails_still_runs_once_and_its_lobby_stays_started() {
    let world = World::start(BotKnobs::default()).await;
    let d = &world.discord;
    let lobby = create_lobby(&world, d.alice()).await;
    assert_eq!(press_lobby(&world, d.bob(), &lobby, "cand").await.0, 7);
    assert_eq!(press_lobby(&world, d.carol(), &lobby, "intv").await.0, 7);
    d.refuse_thread_posts(true);
    let start = d.press_button(d.alice(), lobby.id, &lobby_cid(&lobby, "start"));
    assert_eq!(start.response(T).await.kind, 6);
    let started = lobby_started(&world, lobby.id).await;
    assert!(
        started.custom_ids().is_empty(),
        "no Start button to run it a second time"
    );
    let pool = db(&world).await;
    let (sessions, lobby_status): (i64, String) = (
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE status = 'running'")
            .fetch_one(&pool)
            .await
            .expect("count"),
        sqlx::query_scalar("SELECT status FROM panel_lobbies")
            .fetch_one(&pool)
            .await
            .expect("status"),
    );
    assert_eq!(sessions, 1, "one panel runs");
    assert_eq!(lobby_status, "started", "the lobby is not reopened");
}
