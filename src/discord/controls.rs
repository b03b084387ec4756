//! The buttons and modals of running sessions, solo and panel alike: each
//! press is turned into a request (who, what, for which question), the
//! runtime decides under the session's lock, and the result becomes a reply.

use super::render;
use super::respond::{respond_in_time, Answer, Target as Reply};
use super::{lobby, modals, privacy, reply, BotError, Data};
use crate::interview::{Actor, Control, Effect, EngineError, Press, Scorecard};
use crate::present::action::{Ctl, Target};
use crate::present::form;
use crate::present::{self, Post, View};
use crate::runtime::{Delivery, RuntimeError};
use crate::store::SessionId;
use poise::serenity_prelude as serenity;
use serenity::{
    ComponentInteraction, CreateEmbed, CreateInteractionResponse, FullEvent, Http, Interaction,
    Member, ModalInteraction, User,
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
            super::leaving::left_server(data, *guild_id, user).await
        }
        FullEvent::ThreadMembersUpdate {
            thread_members_update,
        } if data.config.discord.member_events => {
            super::leaving::left_thread(data, thread_members_update).await
        }
        // Only with serenity's own rate limiter (no `discord.api_base`
        // proxy): a 429 it waited out, or a bucket it had to wait for.
        FullEvent::Ratelimit { data: info } => {
            data.runtime.metrics().rate_limited(info.global);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Who pressed: worked out once per interaction. Only End asks whether
/// they moderate the server (it costs a read of its settings).
async fn actor(
    data: &Data,
    user: &User,
    member: Option<&Member>,
    ctl: Ctl,
) -> Result<Actor, BotError> {
    let store = data.runtime.store();
    let known = store.find_discord_user(user.id.get()).await?;
    let moderator = ctl == Ctl::End && super::permissions::moderates(store, member).await?;
    Ok(Actor::Person {
        user: known,
        moderator,
    })
}

async fn on_component(http: &Http, data: &Data, c: &ComponentInteraction) -> Result<(), BotError> {
    let (session, position, ctl) = match Target::decode(&c.data.custom_id) {
        Some(Target::PrivacyDelete { owner }) => {
            let work = privacy::confirm_delete(data, c.user.id.get(), owner);
            return respond_in_time(http, Reply::Component(c), work).await;
        }
        Some(Target::Lobby(id, press)) => return lobby::on_press(http, data, c, id, press).await,
        Some(Target::Session {
            session,
            position,
            ctl,
        }) => (session, position, ctl),
        None => return Ok(()), // not ours
    };
    let who = actor(data, &c.user, c.member.as_ref(), ctl).await?;
    let look = match ctl {
        Ctl::Answer => Some(Control::OpenAnswer),
        Ctl::Score => Some(Control::OpenScore),
        Ctl::Note => Some(Control::OpenNote),
        _ => None,
    };
    let Some(look) = look else {
        let work = act(data, session, position, ctl, who, c.message.embeds.clone());
        return respond_in_time(http, Reply::Component(c), work).await;
    };
    // A modal must be the first response: one quick check decides.
    let response = match data
        .runtime
        .press(session, who, Press::at(position, look))
        .await
    {
        Err(e) => reply::ephemeral_response(BotError::from(e).shown()),
        Ok(d) => CreateInteractionResponse::Modal(modals::modal(&match (ctl, who.user()) {
            (Ctl::Score, Some(me)) => form::score(&d.session.state, session, position, me),
            (Ctl::Note, _) => form::note(session, position),
            _ => form::answer(session, position),
        })),
    };
    Ok(c.create_response(http, response).await?)
}

/// Hint, Skip, Submit, End, ratings, the interviewer view and follow-ups.
#[tracing::instrument(skip_all, fields(session_id = session, position))]
async fn act(
    data: &Data,
    session: SessionId,
    position: usize,
    ctl: Ctl,
    who: Actor,
    shown: Vec<serenity::Embed>,
) -> Result<Answer, BotError> {
    let control = match ctl {
        Ctl::Hint(shown) => Control::Hint { shown },
        Ctl::Skip => Control::Skip,
        Ctl::Submit => Control::Submit,
        Ctl::Rate(r) => Control::Rate(r),
        Ctl::View => Control::View,
        Ctl::FollowUp(i) => Control::FollowUp(i),
        Ctl::End => Control::End,
        _ => return Ok(Answer::Ephemeral("Nothing to do.".into())),
    };
    let press = match ctl {
        Ctl::End => Press {
            position: None,
            control,
        },
        _ => Press::at(position, control),
    };
    let d = data.runtime.press(session, who, press).await?;
    let bank = data.runtime.bank_for_session(&d.session);
    let view = View {
        bank: &bank,
        session: &d.session,
        message_content: data.config.discord.message_content,
    };
    match ctl {
        // The question is the last embed of its message; the ones above stay.
        Ctl::Hint(_) => Ok(match present::hint_update(&view) {
            Some((card, components)) => {
                let mut embeds: Vec<CreateEmbed> =
                    shown.into_iter().map(CreateEmbed::from).collect();
                embeds.pop();
                embeds.push(render::embed(&card));
                Answer::Update(embeds, render::rows(&components))
            }
            None => Answer::Ephemeral(crate::interview::EngineError::StaleQuestion.to_string()),
        }),
        Ctl::View => {
            let state = &d.session.state;
            let (Some(r), Some(me)) = (state.current(), who.user()) else {
                return Ok(Answer::Ephemeral("That question is already closed.".into()));
            };
            let (card, components) = present::interviewer_view(&bank, session, state, r, me);
            let private = Post {
                cards: vec![card],
                components,
            };
            Ok(Answer::Thread {
                private: Some((private, String::new())),
                posts: Vec::new(),
                archive: None,
            })
        }
        Ctl::FollowUp(i) => {
            let (posts, archive) = thread_posts(data, &d);
            let said = format!("Follow-up {} asked in the thread.", i + 1);
            Ok(Answer::Thread {
                private: Some((Post::default(), said)),
                posts,
                archive,
            })
        }
        _ => Ok(new_posts(data, &d)),
    }
}

async fn on_modal(http: &Http, data: &Data, m: &ModalInteraction) -> Result<(), BotError> {
    let Some(Target::Session {
        session,
        position,
        ctl,
    }) = Target::decode(&m.data.custom_id)
    else {
        return Ok(());
    };
    let who = actor(data, &m.user, m.member.as_ref(), ctl).await?;
    let work = async {
        match ctl {
            Ctl::AnswerModal => {
                let text = modals::value(m, "answer");
                submit_answer(data, session, position, who, text).await
            }
            Ctl::ScoreModal => {
                let values = form::SCORE_INPUTS.map(|id| modals::value(m, id));
                submit_score(data, session, position, who, values).await
            }
            _ => {
                let name = m.user.display_name().to_string();
                let guild = m.guild_id.map(|g| g.get());
                let text = modals::value(m, "note");
                save_note(data, session, m.user.id.get(), name, guild, text).await
            }
        }
    };
    match ctl {
        Ctl::AnswerModal | Ctl::ScoreModal | Ctl::NoteModal => {
            respond_in_time(http, Reply::Modal(m), work).await
        }
        _ => Ok(()),
    }
}

async fn submit_answer(
    data: &Data,
    session: SessionId,
    position: usize,
    who: Actor,
    text: String,
) -> Result<Answer, BotError> {
    if text.trim().is_empty() {
        return Ok(Answer::Ephemeral(
            "Your answer was empty: press Answer and write it, or press Skip.".into(),
        ));
    }
    let press = Press::at(position, Control::Answer(text));
    let d = data.runtime.press(session, who, press).await?;
    Ok(new_posts(data, &d))
}

async fn submit_score(
    data: &Data,
    session: SessionId,
    position: usize,
    who: Actor,
    values: [String; 4],
) -> Result<Answer, BotError> {
    let note_back = Some(values[3].trim())
        .filter(|n| !n.is_empty())
        .map(|n| format!("\nYour note, to keep: {n}"))
        .unwrap_or_default();
    let Some(me) = who.user() else {
        return Ok(Answer::Ephemeral(
            BotError::from(RuntimeError::from(EngineError::NotAParticipant)).shown(),
        ));
    };
    let card = match Scorecard::parse(me, values) {
        Ok(c) => c,
        Err(text) => return Ok(Answer::Ephemeral(text)),
    };
    let press = Press::at(position, Control::Score(card.clone()));
    let d = match data.runtime.press(session, who, press).await {
        Ok(d) => d,
        Err(e) => {
            return Ok(Answer::Ephemeral(format!(
                "{}{note_back}",
                BotError::from(e).shown()
            )))
        }
    };
    let private = present::scorecard_saved(&d.session.state, position, &card, waiting(&d.effects));
    let (posts, archive) = thread_posts(data, &d);
    let private = Post {
        cards: vec![private],
        components: Vec::new(),
    };
    Ok(Answer::Thread {
        private: Some((private, String::new())),
        posts,
        archive,
    })
}

async fn save_note(
    data: &Data,
    session: SessionId,
    presser: u64,
    name: String,
    guild: Option<u64>,
    text: String,
) -> Result<Answer, BotError> {
    let author = data.runtime.store().discord_user(presser, &name).await?;
    let note = data
        .runtime
        .note_on_session(session, author, guild, &text)
        .await?;
    Ok(Answer::Ephemeral(format!(
        "Note #{note} saved. See it with /notes; resolve it with /note resolve id:{note}."
    )))
}

/// A transition's messages for the thread, and the thread to archive when
/// it ended the session (which typed answers then no longer look for).
pub(super) fn thread_posts(data: &Data, d: &Delivery) -> (Vec<Post>, Option<u64>) {
    let bank = data.runtime.bank_for_session(&d.session);
    let posts = present::transition(&bank, data.config.discord.message_content, d);
    let archive = d.session.thread_id.filter(|_| d.ended());
    if let Some(t) = archive {
        data.threads.remove(t);
    }
    (posts, archive)
}

pub(super) fn new_posts(data: &Data, d: &Delivery) -> Answer {
    let (posts, archive) = thread_posts(data, d);
    Answer::posts(posts, archive)
}

/// How many interviewers the panel still waits for, after a scorecard.
fn waiting(effects: &[Effect]) -> Option<usize> {
    effects.iter().find_map(|e| match e {
        Effect::ScoreRecorded { waiting_for, .. } => Some(*waiting_for),
        _ => None,
    })
}
