//! `/panel create`: a group mock interview's lobby, where people join as
//! candidates or interviewers before its creator starts it.
//!
//! `lobby` holds the rules; this module turns presses into them and draws
//! the lobby message. Lobbies are stored, so their buttons keep working
//! across a restart; at start-up, lobbies past their 30 minutes are closed.

pub mod cards;
mod controls;
pub mod lobby;
mod start;
pub mod thread;

pub use controls::PanelId;

use super::interview::{autocomplete_topic, DifficultyOption};
use super::render::{Card, BLUE, GREY};
use super::text::{channel_link, relative, truncate};
use super::{reply, BotError, Context, Data};
use crate::bank::DifficultyChoice;
use crate::store::{Lobby, LobbyId, LobbyRole, LobbyStatus, NewLobby, Store};
use lobby::{Outcome, Press, Presser};
use poise::serenity_prelude as serenity;
use serenity::{
    ButtonStyle, ChannelId, ComponentInteraction, CreateActionRow, CreateButton,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage,
    EditInteractionResponse, EditMessage, Http, MessageId,
};

pub const MAX_QUESTIONS: u8 = 10;

/// How often lobbies past their 30 minutes are closed (also once at start-up).
pub const EXPIRY_SWEEP: std::time::Duration = std::time::Duration::from_secs(60);

/// Group mock interviews: candidates answer, interviewers score
#[poise::command(slash_command, guild_only, subcommands("create"), subcommand_required)]
pub async fn panel(_ctx: Context<'_>) -> Result<(), BotError> {
    Ok(())
}

/// Post a lobby for a group mock interview that others can join
#[poise::command(slash_command, guild_only)]
#[tracing::instrument(skip_all, fields(user = ctx.author().id.get()))]
pub async fn create(
    ctx: Context<'_>,
    #[description = "Topic of the panel"]
    #[autocomplete = "autocomplete_topic"]
    topic: String,
    #[description = "easy, medium, hard or mixed (default mixed)"] difficulty: Option<
        DifficultyOption,
    >,
    #[description = "Questions per candidate (1-10, default 3)"]
    #[min = 1]
    #[max = 10]
    questions: Option<u8>,
    #[description = "Minutes per question for questions without a limit of their own (1-60)"]
    #[min = 1]
    #[max = 60]
    minutes: Option<u8>,
) -> Result<(), BotError> {
    ctx.defer_ephemeral().await?;
    let data = ctx.data();
    let guild = ctx
        .guild_id()
        .ok_or_else(|| BotError::user("Panels run in a server, not in direct messages."))?;
    let topic = topic.trim().to_lowercase();
    data.runtime
        .bank()
        .check_topics(std::slice::from_ref(&topic))
        .map_err(|e| {
            BotError::user(format!(
                "{}. Pick one from the list as you type.",
                super::errors::capitalise(&e.to_string())
            ))
        })?;
    let questions = questions.unwrap_or(3);
    if !(1..=MAX_QUESTIONS).contains(&questions) {
        return Err(BotError::user(
            "Choose between 1 and 10 questions per candidate.",
        ));
    }
    if minutes.is_some_and(|m| !(1..=60).contains(&m)) {
        return Err(BotError::user(
            "Choose between 1 and 60 minutes per question.",
        ));
    }
    if super::interview::in_thread(ctx) {
        return Err(BotError::user(
            "Run /panel create in a text channel: the panel gets a thread of its own there.",
        ));
    }
    let store = data.runtime.store();
    if let Some(required) = store
        .guild_settings(guild.get())
        .await?
        .interview_channel_id
    {
        if required != ctx.channel_id().get() {
            return Err(BotError::user(format!(
                "Interviews start in {} on this server: run the command there.",
                super::text::channel_link(required)
            )));
        }
    }
    let difficulty = difficulty.unwrap_or(DifficultyOption::Mixed);
    let new = NewLobby {
        guild: guild.get(),
        channel: ctx.channel_id().get(),
        creator: ctx.author().id.get(),
        topic,
        difficulty: DifficultyChoice::from(difficulty).as_str().to_string(),
        questions,
        minutes,
        created: data.runtime.now(),
    };
    let id = store.create_lobby(&new).await?;
    let Some(lobby) = store.lobby(id).await? else {
        return Err(BotError::user("The lobby vanished: try again."));
    };
    let message = ctx
        .channel_id()
        .send_message(
            ctx.http(),
            CreateMessage::new()
                .embed(lobby_card(data, &lobby).embed())
                .components(lobby_buttons(&lobby))
                .allowed_mentions(reply::no_mentions()),
        )
        .await?;
    store.set_lobby_message(id, message.id.get()).await?;
    ctx.send(reply::ephemeral(
        "Lobby posted: people join with its buttons, and you start it when everyone is in.",
    ))
    .await?;
    Ok(())
}

fn names(l: &Lobby, role: LobbyRole) -> String {
    let list: Vec<String> = l
        .members
        .iter()
        .filter(|m| m.role == role)
        .map(|m| format!("• {}", truncate(&m.name, 64)))
        .collect();
    if list.is_empty() {
        "nobody yet".into()
    } else {
        list.join("\n")
    }
}

fn lobby_card(data: &Data, l: &Lobby) -> Card {
    let title = data.runtime.bank().topic_title(&l.topic).to_string();
    let minutes = l
        .minutes
        .map(|m| format!(" · {m} min per question"))
        .unwrap_or_default();
    let (state, colour) = match l.status {
        LobbyStatus::Open => (
            format!(
                "Join with the buttons below. The creator starts the panel; the lobby expires {}.",
                relative(lobby::expires_at(l))
            ),
            BLUE,
        ),
        LobbyStatus::Started => (
            "This panel has started: it runs in its thread.".to_string(),
            GREY,
        ),
        LobbyStatus::Cancelled => ("This panel was cancelled.".to_string(), GREY),
        LobbyStatus::Expired => (
            "This lobby expired: nobody started it within 30 minutes.".to_string(),
            GREY,
        ),
    };
    Card::new(
        &format!("Panel lobby · {title}"),
        &format!(
            "{} · {} question(s) per candidate{minutes}\n{state}",
            l.difficulty, l.questions
        ),
        colour,
    )
    .field(
        &format!(
            "Candidates ({}/{})",
            lobby::count(l, LobbyRole::Candidate),
            lobby::MAX_CANDIDATES
        ),
        &names(l, LobbyRole::Candidate),
    )
    .field(
        &format!(
            "Interviewers ({}/{})",
            lobby::count(l, LobbyRole::Interviewer),
            lobby::MAX_INTERVIEWERS
        ),
        &names(l, LobbyRole::Interviewer),
    )
}

const PREFIX: &str = "pl";

fn press_code(p: Press) -> &'static str {
    match p {
        Press::JoinCandidate => "cand",
        Press::JoinInterviewer => "intv",
        Press::Leave => "leave",
        Press::Start => "start",
        Press::Cancel => "cancel",
    }
}

pub fn encode(id: LobbyId, p: Press) -> String {
    format!("{PREFIX}:{id}:{}", press_code(p))
}

/// None for ids that are not a lobby's.
pub fn decode(s: &str) -> Option<(LobbyId, Press)> {
    let mut parts = s.split(':');
    if parts.next()? != PREFIX {
        return None;
    }
    let id = parts.next()?.parse().ok()?;
    let press = match parts.next()? {
        "cand" => Press::JoinCandidate,
        "intv" => Press::JoinInterviewer,
        "leave" => Press::Leave,
        "start" => Press::Start,
        "cancel" => Press::Cancel,
        _ => return None,
    };
    parts.next().is_none().then_some((id, press))
}

/// The lobby's buttons while it is open; none once it is closed.
fn lobby_buttons(l: &Lobby) -> Vec<CreateActionRow> {
    if l.status != LobbyStatus::Open {
        return Vec::new();
    }
    let b = |p, label: &str, style| CreateButton::new(encode(l.id, p)).label(label).style(style);
    vec![CreateActionRow::Buttons(vec![
        b(
            Press::JoinCandidate,
            "Join as candidate",
            ButtonStyle::Primary,
        ),
        b(
            Press::JoinInterviewer,
            "Join as interviewer",
            ButtonStyle::Primary,
        ),
        b(Press::Leave, "Leave", ButtonStyle::Secondary),
        b(Press::Start, "Start", ButtonStyle::Success),
        b(Press::Cancel, "Cancel", ButtonStyle::Danger),
    ])]
}

async fn elevated(store: &Store, c: &ComponentInteraction) -> Result<bool, BotError> {
    let Some(member) = &c.member else {
        return Ok(false);
    };
    if member
        .permissions
        .is_some_and(|p| p.manage_guild() || p.administrator())
    {
        return Ok(true);
    }
    let Some(guild) = c.guild_id else {
        return Ok(false);
    };
    let settings = store.guild_settings(guild.get()).await?;
    Ok(settings
        .interviewer_role_id
        .is_some_and(|role| member.roles.iter().any(|r| r.get() == role)))
}

/// A press on a lobby button: the rules decide, the stored lobby changes in
/// one transaction, and the lobby message is redrawn in the response itself.
pub async fn on_press(
    http: &Http,
    data: &Data,
    c: &ComponentInteraction,
    id: LobbyId,
    press: Press,
) -> Result<(), BotError> {
    let store = data.runtime.store();
    let name = c
        .member
        .as_ref()
        .map(|m| m.display_name().to_string())
        .unwrap_or_else(|| {
            c.user
                .global_name
                .clone()
                .unwrap_or_else(|| c.user.name.clone())
        });
    let who = Presser {
        discord_id: c.user.id.get(),
        name,
        elevated: elevated(store, c).await?,
    };
    let lock = data.lobby_locks.get(id);
    let _guard = lock.lock().await;
    let now = data.runtime.now();
    let updated = store
        .update_lobby(id, |l| {
            let out = lobby::apply(l, press, &who, now);
            // Unchanged lobbies are not written back.
            if out.changed {
                Ok(out)
            } else {
                Err(out)
            }
        })
        .await?;
    let (lobby, out): (Option<Lobby>, Outcome) = match updated {
        None => {
            return Ok(c
                .create_response(http, reply::ephemeral_response(lobby::NOT_OPEN))
                .await?)
        }
        Some(Ok((l, out))) => (Some(l), out),
        Some(Err(out)) => (None, out),
    };
    if let (true, Some(l)) = (out.start, &lobby) {
        // Stored as started, so a second Start (or a join) is refused at
        // once: the lock need not be held while the thread is set up.
        drop(_guard);
        return start_lobby(http, data, c, l.clone()).await;
    }
    match lobby {
        Some(l) => {
            c.create_response(
                http,
                CreateInteractionResponse::UpdateMessage(
                    CreateInteractionResponseMessage::new()
                        .embed(lobby_card(data, &l).embed())
                        .components(lobby_buttons(&l))
                        .allowed_mentions(reply::no_mentions()),
                ),
            )
            .await?;
            if let Some(text) = out.reply {
                c.create_followup(http, reply::ephemeral_followup(text))
                    .await?;
            }
        }
        None => {
            let text = out.reply.unwrap_or_else(|| lobby::NOT_OPEN.to_string());
            c.create_response(http, reply::ephemeral_response(text))
                .await?;
        }
    }
    Ok(())
}

/// Start: acknowledged at once (a thread, its members and the first
/// question take more than Discord's 3 s), then the lobby message says where
/// the panel runs, or the presser is told why it did not start.
async fn start_lobby(
    http: &Http,
    data: &Data,
    c: &ComponentInteraction,
    lobby: Lobby,
) -> Result<(), BotError> {
    c.create_response(http, CreateInteractionResponse::Acknowledge)
        .await?;
    let thread = match start::start(http, data, c, &lobby).await {
        Ok(t) => t,
        Err(e) => {
            // Nothing runs: the lobby is open again for another try.
            let reopened = data
                .runtime
                .store()
                .update_lobby(lobby.id, |l| {
                    l.status = LobbyStatus::Open;
                    Ok::<_, ()>(())
                })
                .await;
            if let Err(e) = reopened {
                tracing::error!(error = ?e, lobby = lobby.id, "could not reopen a lobby that failed to start");
            }
            c.create_followup(http, reply::ephemeral_followup(e.shown()))
                .await?;
            return Ok(());
        }
    };
    let card = lobby_card(data, &lobby).field("Thread", &channel_link(thread));
    c.edit_response(
        http,
        EditInteractionResponse::new()
            .embed(card.embed())
            .components(Vec::new())
            .allowed_mentions(reply::no_mentions()),
    )
    .await?;
    Ok(())
}

/// Closes lobbies past their 30 minutes (at start-up: those that expired
/// while the bot was away; then every minute) and says so on their messages.
pub async fn expire_stale(
    http: &Http,
    data_store: &Store,
    now: crate::time::Timestamp,
    bank: &crate::bank::Bank,
) {
    let expired = match data_store.expire_lobbies(now.minus(lobby::LIFETIME)).await {
        Ok(e) => e,
        Err(e) => {
            tracing::error!(error = ?e, "could not expire old panel lobbies");
            return;
        }
    };
    for l in expired {
        let Some(message) = l.message else { continue };
        let title = bank.topic_title(&l.topic).to_string();
        let card = Card::new(
            &format!("Panel lobby · {title}"),
            "This lobby expired: nobody started it within 30 minutes.",
            GREY,
        );
        let edit = EditMessage::new()
            .embed(card.embed())
            .components(Vec::new())
            .allowed_mentions(reply::no_mentions());
        if let Err(e) = ChannelId::new(l.channel)
            .edit_message(http, MessageId::new(message), edit)
            .await
        {
            tracing::warn!(error = ?e, lobby = l.id, "could not mark an expired lobby");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lobby_ids_round_trip_and_foreign_ids_do_not() {
        for p in [
            Press::JoinCandidate,
            Press::JoinInterviewer,
            Press::Leave,
            Press::Start,
            Press::Cancel,
        ] {
            let s = encode(i64::MAX, p);
            assert!(s.len() <= 100);
            assert_eq!(decode(&s), Some((i64::MAX, p)));
        }
        for s in [
            "",
            "pl",
            "pl:x:cand",
            "pl:1:nope",
            "pl:1:cand:2",
            "iv:1:2:skip:3",
        ] {
            assert_eq!(decode(s), None, "{s}");
        }
    }
}
