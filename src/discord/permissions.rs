//! What the bot and the person pressing may do, read from the interaction.
//! Discord computes the bits per channel; ADMINISTRATOR stands for every
//! permission, so a bot or member holding only it must never be refused.

use super::{BotError, Context};
use crate::runtime::moderation::moderator;
use crate::store::Store;
use poise::serenity_prelude as serenity;
use serenity::Permissions;

/// The bits as Discord means them: ADMINISTRATOR implies all the others.
fn effective(p: Permissions) -> Permissions {
    if p.administrator() {
        Permissions::all()
    } else {
        p
    }
}

/// What the bot may do in the interaction's channel (None outside one).
pub(super) fn app_permissions(ctx: Context<'_>) -> Option<Permissions> {
    match ctx {
        poise::Context::Application(a) => a.interaction.app_permissions,
        poise::Context::Prefix(_) => None,
    }
}

/// The interaction says what the bot may do here: asking Discord for a
/// thread it would refuse costs an invalid request (too many bring a ban).
pub(super) fn check_thread_permissions(may: Option<Permissions>) -> Result<(), BotError> {
    let refused = may
        .map(effective)
        .is_some_and(|p| !p.create_public_threads() || !p.send_messages_in_threads());
    if refused {
        return Err(BotError::user(
            "I may not open threads here: ask an admin to give me Create Public Threads and Send Messages in Threads in this channel, or use another channel.",
        ));
    }
    Ok(())
}

/// Whether a private thread may be asked for; unknown bits let Discord decide.
pub(super) fn private_threads_allowed(may: Option<Permissions>) -> bool {
    may.map(effective)
        .map_or(true, |p| p.create_private_threads())
}

/// Discord checks `default_member_permissions`, but a server can override
/// it; interviews' settings stay with Manage Server regardless.
pub(super) fn require_manage_guild(ctx: Context<'_>) -> Result<(), BotError> {
    let allowed = match ctx {
        poise::Context::Application(a) => a
            .interaction
            .member
            .as_ref()
            .and_then(|m| m.permissions)
            .is_some_and(|p| effective(p).manage_guild()),
        poise::Context::Prefix(_) => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(BotError::user(
            "Only members with Manage Server can do this.",
        ))
    }
}

/// The bot's operators: `discord.owners` when set, else the application's
/// owner (or team), which poise fetched at start-up. If that fetch failed,
/// ask again now rather than locking every operator out until a restart.
pub(super) async fn require_operator(ctx: Context<'_>) -> Result<(), BotError> {
    let me = ctx.author().id;
    let configured = &ctx.data().config.discord.owners;
    let allowed = if !configured.is_empty() {
        configured.contains(&me.get())
    } else if !ctx.framework().options().owners.is_empty() {
        ctx.framework().options().owners.contains(&me)
    } else {
        let mut owners = std::collections::HashSet::new();
        poise::insert_owners_from_http(ctx.http(), &mut owners, &None).await?;
        owners.contains(&me)
    };
    if allowed {
        Ok(())
    } else {
        Err(BotError::user(
            "Only the bot's operators can reload the question bank: every server this bot is in shares it. Server admins can change this server's settings with /config.",
        ))
    }
}

/// Whether a member moderates the server's sessions (`Runtime::moderates`);
/// Administrator counts as Manage Server.
pub async fn moderates(store: &Store, member: Option<&serenity::Member>) -> Result<bool, BotError> {
    let Some(m) = member else { return Ok(false) };
    let manages = m.permissions.is_some_and(|p| effective(p).manage_guild());
    let roles: Vec<u64> = m.roles.iter().map(|r| r.get()).collect();
    Ok(moderator(store, m.guild_id.get(), manages, &roles).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrator_alone_allows_threads_public_and_private() {
        let admin = Some(Permissions::ADMINISTRATOR);
        assert!(check_thread_permissions(admin).is_ok());
        assert!(private_threads_allowed(admin));
    }

    #[test]
    fn missing_thread_permissions_are_refused_and_unknown_ones_are_not() {
        let plain = Some(Permissions::SEND_MESSAGES | Permissions::VIEW_CHANNEL);
        assert!(check_thread_permissions(plain).is_err());
        assert!(!private_threads_allowed(plain));
        assert!(check_thread_permissions(None).is_ok());
        assert!(private_threads_allowed(None));
    }
}
