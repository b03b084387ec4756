//! `/panel create` and its lobby: people join as candidates or interviewers
//! before its creator starts it. The rules are `runtime::lobby`'s; this
//! module turns presses into them and draws the lobby message. Lobbies are
//! stored, so their buttons keep working across a restart; lobbies past
//! their 30 minutes are closed at start-up and every minute.

use super::options::{
    autocomplete_topic, check_minutes, check_where, checked_topic, limited, DifficultyOption,
};
use super::permissions::{check_thread_permissions, moderates};
use super::render::{embed, rows};
use super::start::{archive_after, open, thread_name, Thread};
use super::{reply, BotError, Context, Data};
use crate::bank::DifficultyChoice;
use crate::interview::limits::PanelQuestionCount;
use crate::present::text::channel_link;
use crate::present::{self, Card};
use crate::runtime::lobby::{self, Press, Presser};
use crate::store::{Lobby, LobbyId, NewLobby};
use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, ComponentInteraction, CreateInteractionResponse, CreateInteractionResponseMessage,
    CreateMessage, EditInteractionResponse, EditMessage, Http, MessageId,
};

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
    let topic = checked_topic(ctx, &topic)?;
    let questions = questions.unwrap_or(3);
    limited("questions per candidate", questions, |n| {
        PanelQuestionCount::new(n as usize)
    })?;
    check_minutes(minutes)?;
    check_where(ctx, "/panel create", "the panel").await?;
    let store = data.runtime.store();
    let new = NewLobby {
        guild: ctx.guild_id().map_or(0, |g| g.get()),
        channel: ctx.channel_id().get(),
        creator: ctx.author().id.get(),
        topic,
        difficulty: DifficultyChoice::from(difficulty.unwrap_or(DifficultyOption::Mixed))
            .as_str()
            .to_string(),
        questions,
        minutes,
        created: data.runtime.now(),
    };
    // All or nothing: a lobby whose message cannot be posted is removed.
    let lobby = store.create_lobby(&new).await?;
    let message = CreateMessage::new()
        .embed(embed(&lobby_card(data, &lobby)))
        .components(rows(&present::lobby::buttons(&lobby)))
        .allowed_mentions(reply::no_mentions());
    let posted = match ctx.channel_id().send_message(ctx.http(), message).await {
        Ok(m) => m,
        Err(e) => {
            store.delete_lobby(lobby.id).await?;
            return Err(e.into());
        }
    };
    if let Err(e) = store.set_lobby_message(lobby.id, posted.id.get()).await {
        let _ = posted.delete(ctx.http()).await;
        store.delete_lobby(lobby.id).await?;
        return Err(e.into());
    }
    ctx.send(reply::ephemeral(
        "Lobby posted: people join with its buttons, and you start it when everyone is in.",
    ))
    .await?;
    Ok(())
}

fn lobby_card(data: &Data, l: &Lobby) -> Card {
    let bank = data.runtime.bank_for(Some(l.guild));
    present::lobby::card(bank.topic_title(&l.topic), l)
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
        .unwrap_or_else(|| c.user.display_name().to_string());
    let who = Presser {
        discord_id: c.user.id.get(),
        name,
        elevated: moderates(store, c.member.as_ref()).await?,
    };
    let Some(pressed) = data.runtime.press_lobby(id, press, &who).await? else {
        return Ok(c
            .create_response(http, reply::ephemeral_response(lobby::NOT_OPEN))
            .await?);
    };
    if pressed.outcome.start {
        if let Some(l) = pressed.release().0 {
            // Stored as started, so a second Start (or a join) is refused at
            // once: the lock need not be held while the thread is set up.
            return start_lobby(http, data, c, l).await;
        }
        return Ok(());
    }
    let (lobby, out) = (&pressed.lobby, &pressed.outcome);
    match lobby {
        Some(l) => {
            c.create_response(
                http,
                CreateInteractionResponse::UpdateMessage(
                    CreateInteractionResponseMessage::new()
                        .embed(embed(&lobby_card(data, l)))
                        .components(rows(&present::lobby::buttons(l)))
                        .allowed_mentions(reply::no_mentions()),
                ),
            )
            .await?;
            if let Some(text) = &out.reply {
                c.create_followup(http, reply::ephemeral_followup(text))
                    .await?;
            }
        }
        None => {
            let text = out.reply.as_deref().unwrap_or(lobby::NOT_OPEN);
            c.create_response(http, reply::ephemeral_response(text))
                .await?;
        }
    }
    Ok(())
}

/// Start: acknowledged at once (a thread, its members and the first
/// question take more than Discord's 3 s), then the lobby message says where
/// the panel runs, or the presser is told why it did not start. A panel
/// that could not start leaves the lobby open for another try; one that is
/// stored never does, so a second Start cannot run it twice.
async fn start_lobby(
    http: &Http,
    data: &Data,
    c: &ComponentInteraction,
    lobby: Lobby,
) -> Result<(), BotError> {
    c.create_response(http, CreateInteractionResponse::Acknowledge)
        .await?;
    let thread = match start_panel(http, data, c, &lobby).await {
        Ok(t) => t,
        Err(e) => {
            if let Err(e) = data.runtime.reopen_lobby(lobby.id).await {
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
            .embed(embed(&card))
            .components(Vec::new())
            .allowed_mentions(reply::no_mentions()),
    )
    .await?;
    Ok(())
}

/// Plans the panel (refusals cost no REST call), then opens its thread.
#[tracing::instrument(skip_all, fields(lobby = lobby.id))]
async fn start_panel(
    http: &Http,
    data: &Data,
    c: &ComponentInteraction,
    lobby: &Lobby,
) -> Result<u64, BotError> {
    check_thread_permissions(c.app_permissions)?;
    let runtime = &data.runtime;
    let server = runtime.store().guild_settings(lobby.guild).await?;
    let (minutes, settings) = (data.config.interview).settings_for(
        lobby.minutes,
        server.default_minutes,
        data.question_seconds,
    );
    let request = runtime.panel_request(lobby, settings).await?;
    let planned = runtime.plan(request).await?;
    let title = runtime
        .bank_for(Some(lobby.guild))
        .topic_title(&lobby.topic)
        .to_string();
    let intro = present::lobby::intro(&title, &planned);
    let name = thread_name(&format!("Panel · {title}"));
    let thread = Thread {
        parent: ChannelId::new(lobby.channel),
        name: &name,
        archive: archive_after(planned.questions(), minutes),
        private: false,
        members: lobby.members.iter().map(|m| m.discord_id).collect(),
        intro: Some(intro),
    };
    Ok(open(http, data, planned, thread).await?.thread.get())
}

/// Closes lobbies past their 30 minutes (at start-up: those that expired
/// while the bot was away; then every minute) and says so on their messages.
pub async fn expire_stale(http: &Http, runtime: &crate::runtime::Runtime) {
    let expired = match runtime.expire_lobbies().await {
        Ok(e) => e,
        Err(e) => {
            tracing::error!(error = ?e, "could not expire old panel lobbies");
            return;
        }
    };
    for l in expired {
        let Some(message) = l.message else { continue };
        let title = runtime
            .bank_for(Some(l.guild))
            .topic_title(&l.topic)
            .to_string();
        let card = present::lobby::expired(&title);
        let edit = EditMessage::new()
            .embed(embed(&card))
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
