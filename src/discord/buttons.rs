//! Buttons and modals of interview threads (and the privacy confirm):
//! each press is checked (whose, which question) and turned into an event.

use super::custom_id::{self, Action, InterviewId};
use super::deliver::{ended, render_delivery};
use super::render::{self, View};
use super::respond::{respond_in_time, Answer, Target, NOT_YOURS};
use super::{privacy, reply, BotError, Data};
use crate::interview::{Event, Phase, UserId};
use crate::runtime::Delivery;
use crate::store::StoredSession;
use poise::serenity_prelude as serenity;
use serenity::{
    ActionRowComponent, ComponentInteraction, CreateActionRow, CreateEmbed, CreateInputText,
    CreateInteractionResponse, CreateModal, FullEvent, Http, InputTextStyle, Interaction,
    ModalInteraction,
};

pub async fn on_event(
    fw: poise::FrameworkContext<'_, Data, BotError>,
    event: &FullEvent,
) -> Result<(), BotError> {
    let (ctx, data) = (fw.serenity_context, fw.user_data);
    match event {
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(c),
        } => on_component(&ctx.http, data, c).await,
        FullEvent::InteractionCreate {
            interaction: Interaction::Modal(m),
        } => on_modal(&ctx.http, data, m).await,
        FullEvent::Message { new_message } if data.config.discord.message_content => {
            super::typed::on_message(data, new_message).await
        }
        FullEvent::GuildMemberRemoval { guild_id, user, .. }
            if data.config.discord.member_events =>
        {
            super::leaving::left_server(&ctx.http, data, *guild_id, user).await
        }
        FullEvent::ThreadMembersUpdate {
            thread_members_update,
        } if data.config.discord.member_events => {
            super::leaving::left_thread(&ctx.http, data, thread_members_update).await
        }
        _ => Ok(()),
    }
}

async fn on_component(http: &Http, data: &Data, c: &ComponentInteraction) -> Result<(), BotError> {
    if let Some(owner) = custom_id::decode_privacy_delete(&c.data.custom_id) {
        let work = privacy::confirm_delete(data, c.user.id.get(), owner);
        return respond_in_time(http, Target::Component(c), work).await;
    }
    if let Some((lobby, press)) = super::panel::decode(&c.data.custom_id) {
        return super::panel::on_press(http, data, c, lobby, press).await;
    }
    if let Some(id) = super::panel::PanelId::decode(&c.data.custom_id) {
        return super::panel::thread::on_component(http, data, c, id).await;
    }
    let Some(id) = InterviewId::decode(&c.data.custom_id) else {
        return Ok(()); // not ours
    };
    let presser = c.user.id.get();
    match id.action {
        _ if presser != id.owner => {
            return Ok(c
                .create_response(http, reply::ephemeral_response(NOT_YOURS))
                .await?)
        }
        Action::Answer => return open_answer_modal(http, data, c, id).await,
        Action::Note => return open_note_modal(http, c, id).await,
        _ => {}
    }
    let work = press(data, id, presser, c.message.embeds.clone());
    respond_in_time(http, Target::Component(c), work).await
}

async fn on_modal(http: &Http, data: &Data, m: &ModalInteraction) -> Result<(), BotError> {
    if let Some(id) = super::panel::PanelId::decode(&m.data.custom_id) {
        return super::panel::thread::on_modal(http, data, m, id).await;
    }
    let Some(id) = InterviewId::decode(&m.data.custom_id) else {
        return Ok(());
    };
    let text = match id.action {
        Action::NoteModal => modal_value(m, "note"),
        _ => modal_value(m, "answer"),
    };
    let presser = m.user.id.get();
    match id.action {
        Action::AnswerModal if presser != id.owner => Ok(m
            .create_response(http, reply::ephemeral_response(NOT_YOURS))
            .await?),
        Action::AnswerModal => {
            let work = submit_answer(data, id, presser, text);
            respond_in_time(http, Target::Modal(m), work).await
        }
        Action::NoteModal if presser != id.owner => Ok(m
            .create_response(http, reply::ephemeral_response(NOT_YOURS))
            .await?),
        Action::NoteModal => {
            let name = m
                .user
                .global_name
                .clone()
                .unwrap_or_else(|| m.user.name.clone());
            let guild = m.guild_id.map(|g| g.get());
            let work = save_note(data, id, presser, name, guild, text);
            respond_in_time(http, Target::Modal(m), work).await
        }
        _ => Ok(()),
    }
}

/// Whether `s` is answering the question at `position`. A friendly early
/// answer only: the runtime's `handle_at` is what guarantees a press never
/// lands on a later question.
pub(super) fn answering_at(s: &StoredSession, position: usize) -> bool {
    matches!(s.state.phase, Phase::Answering { .. })
        && s.state.current().is_some_and(|c| c.position == position)
}

fn scoring_at(s: &StoredSession, position: usize) -> bool {
    matches!(s.state.phase, Phase::Scoring { .. })
        && s.state.current().is_some_and(|c| c.position == position)
}

async fn open_answer_modal(
    http: &Http,
    data: &Data,
    c: &ComponentInteraction,
    id: InterviewId,
) -> Result<(), BotError> {
    // The modal must be the first response, so only a quick read decides
    // whether the question is still open.
    let s = data.runtime.session(id.session).await?;
    if !s.state.is_running() || !answering_at(&s, id.position) {
        c.create_response(
            http,
            reply::ephemeral_response("That question is already closed; answer the current one."),
        )
        .await?;
        return Ok(());
    }
    let modal = answer_modal(
        InterviewId::new(id.session, id.position, Action::AnswerModal, id.owner).encode(),
        id.position,
    );
    c.create_response(http, CreateInteractionResponse::Modal(modal))
        .await?;
    Ok(())
}

/// The text box an answer is written in (solo and panel).
pub(super) fn answer_modal(custom_id: String, position: usize) -> CreateModal {
    let input = CreateInputText::new(InputTextStyle::Paragraph, "Your answer", "answer")
        .placeholder("Explain as you would out loud: what, why, trade-offs, an example.")
        .min_length(1)
        .max_length(4000)
        .required(true);
    CreateModal::new(custom_id, format!("Answer question {}", position + 1))
        .components(vec![CreateActionRow::InputText(input)])
}

/// The value of the modal's text input `custom_id` (empty when left empty).
pub(super) fn modal_value(m: &ModalInteraction, custom_id: &str) -> String {
    m.data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|c| match c {
            ActionRowComponent::InputText(t) if t.custom_id == custom_id => t.value.clone(),
            _ => None,
        })
        .unwrap_or_default()
}

async fn open_note_modal(
    http: &Http,
    c: &ComponentInteraction,
    id: InterviewId,
) -> Result<(), BotError> {
    let input = CreateInputText::new(InputTextStyle::Paragraph, "Note", "note")
        .placeholder("Something to revisit later, e.g. \"read about the GIL and asyncio\".")
        .min_length(1)
        .max_length(1000)
        .required(true);
    let modal = CreateModal::new(
        InterviewId::new(id.session, id.position, Action::NoteModal, id.owner).encode(),
        "Add a note",
    )
    .components(vec![CreateActionRow::InputText(input)]);
    c.create_response(http, CreateInteractionResponse::Modal(modal))
        .await?;
    Ok(())
}

async fn user_of(data: &Data, discord_id: u64) -> Result<UserId, BotError> {
    data.runtime
        .store()
        .find_discord_user(discord_id)
        .await?
        .ok_or_else(|| BotError::user(NOT_YOURS))
}

/// A transition's messages for the thread, and the thread to archive when
/// it ended the session (which is then forgotten here).
pub(super) async fn thread_posts(
    data: &Data,
    d: &Delivery,
) -> Result<(Vec<super::render::Post>, Option<u64>), BotError> {
    let posts = render_delivery(
        &data.runtime,
        data.config.discord.message_content,
        &d.session,
        &d.effects,
    )
    .await?;
    let archive = if ended(&d.effects) {
        if let Some(t) = d.session.thread_id {
            data.threads.remove(t);
        }
        data.locks.forget(d.session.id);
        d.session.thread_id
    } else {
        None
    };
    Ok((posts, archive))
}

pub(super) async fn new_posts(data: &Data, d: &Delivery) -> Result<Answer, BotError> {
    let (posts, archive) = thread_posts(data, d).await?;
    Ok(Answer::New { posts, archive })
}

/// Hint, Skip, Submit, End and the ratings.
#[tracing::instrument(skip_all, fields(session_id = id.session, position = id.position))]
async fn press(
    data: &Data,
    id: InterviewId,
    presser: u64,
    shown: Vec<serenity::Embed>,
) -> Result<Answer, BotError> {
    let lock = data.locks.get(id.session);
    let _guard = lock.lock().await;
    let s = data.runtime.session(id.session).await?;
    if !s.state.is_running() {
        return Ok(Answer::Ephemeral("This interview has ended.".into()));
    }
    let by = user_of(data, presser).await?;
    let event = match id.action {
        Action::Hint(shown_hints) => {
            if !answering_at(&s, id.position) {
                return Ok(Answer::Ephemeral("That question is already closed.".into()));
            }
            if s.state.current().map(|c| c.hints_used) != Some(shown_hints) {
                return Ok(Answer::Ephemeral(
                    "That hint is already shown above.".into(),
                ));
            }
            let d = data
                .runtime
                .handle_at(id.session, id.position, Event::Hint { by })
                .await?;
            return hint_update(data, &d, id.owner, shown);
        }
        Action::Skip | Action::Submit if !answering_at(&s, id.position) => {
            return Ok(Answer::Ephemeral("That question is already closed.".into()));
        }
        Action::Skip => Event::Skip { by },
        Action::Submit => Event::Submit { by },
        Action::Rate(_) if !scoring_at(&s, id.position) => {
            return Ok(Answer::Ephemeral(
                "That answer is already rated, or its rating time is over.".into(),
            ));
        }
        Action::Rate(r) => Event::Rate {
            by,
            rating: Some(r),
        },
        Action::End => Event::End { by: Some(by) },
        Action::Answer | Action::Note | Action::AnswerModal | Action::NoteModal => {
            return Ok(Answer::Ephemeral("Nothing to do.".into()))
        }
    };
    let d = match event {
        Event::End { .. } => data.runtime.handle(id.session, event).await?,
        _ => {
            data.runtime
                .handle_at(id.session, id.position, event)
                .await?
        }
    };
    new_posts(data, &d).await
}

/// The question message again, with the hints shown so far and a Hint
/// button that knows how many there are (so a double press shows one).
fn hint_update(
    data: &Data,
    d: &Delivery,
    owner: u64,
    shown: Vec<serenity::Embed>,
) -> Result<Answer, BotError> {
    let bank = data.runtime.bank();
    let state = &d.session.state;
    let (Some(cur), Some(q)) = (
        state.current(),
        state.current().and_then(|c| bank.question(&c.question_id)),
    ) else {
        return Ok(Answer::Ephemeral("That question is already closed.".into()));
    };
    let hints: Vec<String> = q
        .hints
        .iter()
        .take(cur.hints_used as usize)
        .cloned()
        .collect();
    let card = render::question_card(
        &bank,
        q,
        cur.position + 1,
        state.plan.len(),
        cur.deadline,
        &hints,
        cur.hints_used * state.settings.hint_penalty,
    );
    let view = View {
        bank: &bank,
        session: d.session.id,
        owner,
        message_content: data.config.discord.message_content,
        phase: &state.phase,
    };
    // The question is the last embed of its message; keep the ones above it.
    let mut embeds: Vec<CreateEmbed> = shown.into_iter().map(CreateEmbed::from).collect();
    embeds.pop();
    embeds.push(card.embed());
    let components = render::question_buttons(&view, cur.position, cur.hints_used);
    Ok(Answer::Update(embeds, components))
}

#[tracing::instrument(skip_all, fields(session_id = id.session, position = id.position))]
async fn submit_answer(
    data: &Data,
    id: InterviewId,
    presser: u64,
    text: String,
) -> Result<Answer, BotError> {
    if text.trim().is_empty() {
        return Ok(Answer::Ephemeral(
            "Your answer was empty: press Answer and write it, or press Skip.".into(),
        ));
    }
    let lock = data.locks.get(id.session);
    let _guard = lock.lock().await;
    let by = user_of(data, presser).await?;
    // Checked right before the event for a clear message; `handle_at` enforces it.
    let s = data.runtime.session(id.session).await?;
    if !s.state.is_running() || !answering_at(&s, id.position) {
        return Ok(Answer::Ephemeral(
            "That question closed before your answer arrived (or it was already submitted).".into(),
        ));
    }
    let d = data
        .runtime
        .handle_at(id.session, id.position, Event::SubmitWith { by, text })
        .await?;
    new_posts(data, &d).await
}

async fn save_note(
    data: &Data,
    id: InterviewId,
    presser: u64,
    name: String,
    guild: Option<u64>,
    text: String,
) -> Result<Answer, BotError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Answer::Ephemeral(
            "The note was empty, so nothing was saved.".into(),
        ));
    }
    let store = data.runtime.store();
    let s = data.runtime.session(id.session).await?;
    let author = store.discord_user(presser, &name).await?;
    let note = store
        .add_note(guild, s.state.owner, Some(author), text, data.runtime.now())
        .await?;
    Ok(Answer::Ephemeral(format!(
        "Note #{note} saved. See it with /notes; resolve it with /note resolve id:{note}."
    )))
}
