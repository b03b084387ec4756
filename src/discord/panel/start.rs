//! Start on a lobby: a thread for the panel, its members added, and the
//! engine's panel session (round-robin turns, scorecards) started in it.

use crate::bank::DifficultyChoice;
use crate::discord::interview::{archive_after, create_thread, start_in_thread};
use crate::discord::permissions::check_thread_permissions;
use crate::discord::render::{pack, Card, Post, BLUE};
use crate::discord::text::truncate;
use crate::discord::{reply, BotError, Data};
use crate::interview::{Participant, Role, SessionKind, SessionState};
use crate::runtime::StartRequest;
use crate::store::{Lobby, LobbyRole};
use poise::serenity_prelude as serenity;
use serenity::{ChannelId, ComponentInteraction, Http, UserId as DiscordUser};

/// Opens the thread and starts the panel; returns the thread's id. On any
/// failure nothing is left running and the lobby stays open.
#[tracing::instrument(skip_all, fields(lobby = lobby.id))]
pub async fn start(
    http: &Http,
    data: &Data,
    c: &ComponentInteraction,
    lobby: &Lobby,
) -> Result<u64, BotError> {
    check_thread_permissions(c.app_permissions)?;
    let runtime = &data.runtime;
    let store = runtime.store();
    let mut participants = Vec::with_capacity(lobby.members.len());
    // Candidates first, in the order they joined: that is the turn order.
    for role in [LobbyRole::Candidate, LobbyRole::Interviewer] {
        for m in lobby.members.iter().filter(|m| m.role == role) {
            participants.push(Participant {
                user: store.discord_user(m.discord_id, &m.name).await?,
                name: m.name.clone(),
                role: match role {
                    LobbyRole::Candidate => Role::Candidate,
                    LobbyRole::Interviewer => Role::Interviewer,
                },
                left: false,
            });
        }
    }
    let owner = match store.find_discord_user(lobby.creator).await? {
        Some(u) => u,
        None => store.discord_user(lobby.creator, "panel creator").await?,
    };
    let guild_minutes = store.guild_settings(lobby.guild).await?.default_minutes;
    let minutes = lobby
        .minutes
        .map(f64::from)
        .or(guild_minutes.map(f64::from))
        .or(data.config.interview.default_minutes);
    let difficulty: DifficultyChoice = lobby.difficulty.parse().unwrap_or(DifficultyChoice::Mixed);
    let candidates = participants
        .iter()
        .filter(|p| p.role == Role::Candidate)
        .count();

    let title = runtime.bank().topic_title(&lobby.topic).to_string();
    let thread_name = truncate(&format!("Panel · {title}"), 100);
    let archive = archive_after(candidates * usize::from(lobby.questions), minutes);
    let parent = ChannelId::new(lobby.channel);
    let (thread, _) = create_thread(http, parent, &thread_name, archive, false).await?;
    for m in &lobby.members {
        if let Err(e) = thread
            .add_thread_member(http, DiscordUser::new(m.discord_id))
            .await
        {
            tracing::warn!(error = ?e, "could not add a panel member to the thread");
        }
    }
    let request = StartRequest {
        kind: SessionKind::Panel,
        owner,
        participants,
        topics: vec![lobby.topic.clone()],
        difficulty,
        questions: usize::from(lobby.questions),
        seed: None,
        settings: data
            .config
            .interview
            .session_settings(minutes, data.question_seconds),
        guild_id: Some(lobby.guild),
        channel_id: Some(lobby.channel),
        thread_id: Some(thread.get()),
    };
    let (delivery, posts) = start_in_thread(http, data, thread, request).await?;
    let posts = with_intro(&title, &delivery.session.state, posts);
    for p in &posts {
        thread.send_message(http, reply::channel_message(p)).await?;
    }
    Ok(thread.get())
}

/// Who is in the panel and how it runs, above the first question.
fn with_intro(title: &str, state: &SessionState, posts: Vec<Post>) -> Vec<Post> {
    let names = |role| {
        state
            .participants
            .iter()
            .filter(|p| p.role == role)
            .map(|p| truncate(&p.name, 64))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let candidates = state
        .participants
        .iter()
        .filter(|p| p.role == Role::Candidate)
        .count();
    let each = state.plan.len() / candidates.max(1);
    let intro = Card::new(
        &format!("Panel · {title}"),
        &format!(
            "**Candidates**, in turn: {}\n**Interviewers**: {}\n{each} question(s) each. Interviewers score every answer privately; the scores and notes are shown to everyone in the summary at the end.",
            names(Role::Candidate),
            names(Role::Interviewer)
        ),
        BLUE,
    );
    let components = posts
        .last()
        .map(|p| p.components.clone())
        .unwrap_or_default();
    let cards = std::iter::once(intro)
        .chain(posts.into_iter().flat_map(|p| p.cards))
        .collect();
    pack(cards, components)
}
