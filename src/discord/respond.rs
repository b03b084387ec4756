//! Answering a press within Discord's 3 s: the work races a short timer,
//! and if the database is slow the press is acknowledged first (type 6)
//! and the result follows through the interaction's token.

use super::{reply, BotError};
use crate::present::Post;
use poise::serenity_prelude as serenity;
use serenity::{
    ComponentInteraction, CreateActionRow, CreateEmbed, CreateInteractionResponse,
    EditInteractionResponse, Http, ModalInteraction,
};
use std::future::Future;
use std::time::Duration;

/// How long a press may work before it is acknowledged (Discord allows 3 s).
const ACK_WITHIN: Duration = Duration::from_millis(2000);

pub const NOT_YOURS: &str = "That button is not yours: it belongs to someone else's interview, and nothing was changed. Start your own with /interview start.";

/// What a press results in.
pub enum Answer {
    /// Shown only to the presser.
    Ephemeral(String),
    /// The pressed message is replaced.
    Update(Vec<CreateEmbed>, Vec<CreateActionRow>),
    /// New messages in the thread, the thread then archived if given; first,
    /// when given, a reply only the presser sees (a panel interviewer's
    /// scorecard, or a follow-up they asked).
    Thread {
        private: Option<(Post, String)>,
        posts: Vec<Post>,
        archive: Option<u64>,
    },
}

impl Answer {
    pub fn posts(posts: Vec<Post>, archive: Option<u64>) -> Answer {
        Answer::Thread {
            private: None,
            posts,
            archive,
        }
    }
}

#[derive(Clone, Copy)]
pub enum Target<'a> {
    Component(&'a ComponentInteraction),
    Modal(&'a ModalInteraction),
}

/// Each interaction method, on a press or a form alike.
macro_rules! on_either {
    ($($name:ident($arg:ty) -> $out:ty = $method:ident;)+) => {
        impl Target<'_> {
            $(async fn $name(&self, http: &Http, x: $arg) -> serenity::Result<$out> {
                match self {
                    Target::Component(c) => c.$method(http, x).await,
                    Target::Modal(m) => m.$method(http, x).await,
                }
            })+
        }
    };
}

on_either! {
    respond(CreateInteractionResponse) -> () = create_response;
    followup(serenity::CreateInteractionResponseFollowup) -> serenity::Message = create_followup;
    edit(EditInteractionResponse) -> serenity::Message = edit_response;
}

/// Runs `work` and answers the interaction with its result, acknowledging
/// first if the work is slow.
pub async fn respond_in_time(
    http: &Http,
    target: Target<'_>,
    work: impl Future<Output = Result<Answer, BotError>>,
) -> Result<(), BotError> {
    tokio::pin!(work);
    let (result, deferred) = match tokio::time::timeout(ACK_WITHIN, &mut work).await {
        Ok(r) => (r, false),
        Err(_) => {
            target
                .respond(http, CreateInteractionResponse::Acknowledge)
                .await?;
            (work.await, true)
        }
    };
    let answer = result.unwrap_or_else(|e| Answer::Ephemeral(e.shown()));
    send(http, target, answer, deferred).await
}

/// The answer as the interaction's response, or through its token when the
/// press was acknowledged first (`deferred`).
async fn send(
    http: &Http,
    target: Target<'_>,
    answer: Answer,
    deferred: bool,
) -> Result<(), BotError> {
    match answer {
        Answer::Ephemeral(text) if deferred => {
            target
                .followup(http, reply::ephemeral_followup(text))
                .await?;
        }
        Answer::Ephemeral(text) => {
            target
                .respond(http, reply::ephemeral_response(text))
                .await?
        }
        Answer::Thread {
            private,
            posts,
            archive,
        } => {
            let mut rest = posts.iter();
            let content =
                |c: &str| crate::present::text::truncate(c, crate::present::text::CONTENT);
            match (&private, deferred) {
                (Some((p, c)), true) => {
                    let f = reply::followup(p).content(content(c)).ephemeral(true);
                    target.followup(http, f).await?;
                }
                (Some((p, c)), false) => {
                    let m = reply::response_message(p)
                        .content(content(c))
                        .ephemeral(true);
                    target
                        .respond(http, CreateInteractionResponse::Message(m))
                        .await?;
                }
                (None, false) => {
                    if let Some(first) = rest.next() {
                        let m = reply::response_message(first);
                        target
                            .respond(http, CreateInteractionResponse::Message(m))
                            .await?;
                    }
                }
                (None, true) => {}
            }
            for p in rest {
                target.followup(http, reply::followup(p)).await?;
            }
            if let Some(thread) = archive {
                super::deliver::archive(http, thread).await;
            }
        }
        Answer::Update(embeds, components) if deferred => {
            let e = EditInteractionResponse::new()
                .embeds(embeds)
                .components(components)
                .allowed_mentions(reply::no_mentions());
            target.edit(http, e).await?;
        }
        Answer::Update(embeds, components) => {
            let m = serenity::CreateInteractionResponseMessage::new()
                .embeds(embeds)
                .components(components)
                .allowed_mentions(reply::no_mentions());
            target
                .respond(http, CreateInteractionResponse::UpdateMessage(m))
                .await?
        }
    }
    Ok(())
}
