//! Builders for everything the bot sends, each with mentions switched off,
//! so a question or a note containing @everyone pings no one.

use super::render;
use crate::present::Post;
use poise::serenity_prelude as serenity;
use serenity::{
    CreateAllowedMentions, CreateInteractionResponse, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage,
};

pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

/// An ephemeral poise reply.
pub fn ephemeral(text: impl Into<String>) -> poise::CreateReply {
    poise::CreateReply::default()
        .content(crate::present::text::truncate(
            &text.into(),
            crate::present::text::CONTENT,
        ))
        .ephemeral(true)
        .allowed_mentions(no_mentions())
}

/// Replies to a command with one embed, mentions off.
pub async fn send_card(
    ctx: super::Context<'_>,
    card: crate::present::Card,
    ephemeral: bool,
) -> Result<(), super::BotError> {
    ctx.send(
        poise::CreateReply::default()
            .embed(render::embed(&card))
            .ephemeral(ephemeral)
            .allowed_mentions(no_mentions()),
    )
    .await?;
    Ok(())
}

/// A post as each of serenity's message builders: its embeds and buttons,
/// with mentions off.
macro_rules! post_as {
    ($($name:ident -> $builder:ty),+ $(,)?) => {$(
        pub fn $name(post: &Post) -> $builder {
            <$builder>::new()
                .embeds(render::embeds(post))
                .components(render::rows(&post.components))
                .allowed_mentions(no_mentions())
        }
    )+};
}

post_as!(
    channel_message -> CreateMessage,
    response_message -> CreateInteractionResponseMessage,
    followup -> CreateInteractionResponseFollowup,
);

pub fn ephemeral_response(text: impl Into<String>) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(crate::present::text::truncate(
                &text.into(),
                crate::present::text::CONTENT,
            ))
            .ephemeral(true)
            .allowed_mentions(no_mentions()),
    )
}

pub fn ephemeral_followup(text: impl Into<String>) -> CreateInteractionResponseFollowup {
    CreateInteractionResponseFollowup::new()
        .content(crate::present::text::truncate(
            &text.into(),
            crate::present::text::CONTENT,
        ))
        .ephemeral(true)
        .allowed_mentions(no_mentions())
}
