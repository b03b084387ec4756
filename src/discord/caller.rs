//! Who ran a command, worked out once: their user row, and the name shown
//! for them (their server nickname when they have one).

use super::{BotError, Context};
use crate::interview::UserId;

pub async fn caller(ctx: Context<'_>) -> Result<(UserId, String), BotError> {
    let author = ctx.author();
    let name = match ctx.author_member().await {
        Some(m) => m.display_name().to_string(),
        None => author.display_name().to_string(),
    };
    let user = ctx
        .data()
        .runtime
        .store()
        .discord_user(author.id.get(), &name)
        .await?;
    Ok((user, name))
}
