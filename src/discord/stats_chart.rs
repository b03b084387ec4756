//! The PNG chart under `/stats`: the text embed stays (screen readers, and
//! people who switch images off); the picture goes with it as a file.

use super::{reply, BotError, Context};
use crate::chart::{render_png, ChartData};
use crate::interview::UserId;
use crate::present::Card;
use crate::store::{Scope, UserStats};
use poise::serenity_prelude as serenity;

pub const FILE_NAME: &str = "progress.png";

/// Sends the stats embed with its chart, or with a word on why there is
/// no chart yet. A chart that fails to draw is logged and left out: the
/// embed still says everything.
pub async fn send(
    ctx: Context<'_>,
    card: Card,
    who: UserId,
    name: &str,
    stats: &UserStats,
    scope: Scope,
    panel_only: bool,
) -> Result<(), BotError> {
    let data = ctx.data();
    let bank = data.runtime.bank_for(ctx.guild_id().map(|g| g.get()));
    let weeks = data
        .runtime
        .store()
        .weekly_averages(who, scope, panel_only)
        .await?;
    let chart = ChartData::from_stats(&format!("Progress · {name}"), stats, weeks, |t| {
        bank.topic_title(t).to_string()
    });
    let mut message = poise::CreateReply::default()
        .ephemeral(true)
        .allowed_mentions(reply::no_mentions());
    if chart.is_empty() {
        message = message.content(
            "No chart yet: answer a few questions with /interview start and your progress is drawn here.",
        );
        return send_with(ctx, message, card, None).await;
    }
    match render_png(&chart) {
        Ok(png) => {
            let file = serenity::CreateAttachment::bytes(png, FILE_NAME);
            send_with(ctx, message, card, Some(file)).await
        }
        Err(e) => {
            tracing::error!(error = %e, "could not draw the progress chart");
            send_with(ctx, message, card, None).await
        }
    }
}

async fn send_with(
    ctx: Context<'_>,
    message: poise::CreateReply,
    card: Card,
    file: Option<serenity::CreateAttachment>,
) -> Result<(), BotError> {
    let mut embed = super::render::embed(&card);
    let mut message = message;
    if let Some(file) = file {
        embed = embed.image(format!("attachment://{FILE_NAME}"));
        message = message.attachment(file);
    }
    ctx.send(message.embed(embed)).await?;
    Ok(())
}
