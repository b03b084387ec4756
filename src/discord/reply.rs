//! Builders for everything the bot sends, each with mentions switched off,
//! so a question or a note containing @everyone pings no one.

use super::render::Post;
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
        .content(super::text::truncate(&text.into(), super::text::CONTENT))
        .ephemeral(true)
        .allowed_mentions(no_mentions())
}

/// Replies to a command with one embed, mentions off.
pub async fn send_card(
    ctx: super::Context<'_>,
    card: super::render::Card,
    ephemeral: bool,
) -> Result<(), super::BotError> {
    ctx.send(
        poise::CreateReply::default()
            .embed(card.embed())
            .ephemeral(ephemeral)
            .allowed_mentions(no_mentions()),
    )
    .await?;
    Ok(())
}

pub fn channel_message(post: &Post) -> CreateMessage {
    CreateMessage::new()
        .embeds(post.embeds())
        .components(post.components.clone())
        .allowed_mentions(no_mentions())
}

pub fn response_message(post: &Post) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .embeds(post.embeds())
        .components(post.components.clone())
        .allowed_mentions(no_mentions())
}

pub fn followup(post: &Post) -> CreateInteractionResponseFollowup {
    CreateInteractionResponseFollowup::new()
        .embeds(post.embeds())
        .components(post.components.clone())
        .allowed_mentions(no_mentions())
}

pub fn ephemeral_response(text: impl Into<String>) -> CreateInteractionResponse {
    CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new()
            .content(super::text::truncate(&text.into(), super::text::CONTENT))
            .ephemeral(true)
            .allowed_mentions(no_mentions()),
    )
}

pub fn ephemeral_followup(text: impl Into<String>) -> CreateInteractionResponseFollowup {
    CreateInteractionResponseFollowup::new()
        .content(super::text::truncate(&text.into(), super::text::CONTENT))
        .ephemeral(true)
        .allowed_mentions(no_mentions())
}
