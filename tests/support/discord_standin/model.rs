//! Discord objects as JSON, with the fields serenity 0.12.5 requires (see `strict.rs`, which
//! proves each one parses). Ids are strings, as Discord sends them.

use serde_json::{json, Value};

use super::state::{perms, ChannelState, Ids, State, TestUser};

/// Now, in Discord's timestamp format (RFC 3339, UTC).
pub fn now_timestamp() -> String {
    serenity::model::Timestamp::now().to_string()
}

pub fn user_json(user: &TestUser) -> Value {
    json!({
        "id": user.id.to_string(),
        "username": user.name,
        "discriminator": "0",
        "global_name": if user.bot { Value::Null } else { Value::String(capitalise(&user.name)) },
        "avatar": null,
        "bot": user.bot,
        "system": false,
        "banner": null,
        "accent_color": null,
        "public_flags": 0,
        "flags": 0,
        "avatar_decoration_data": null,
    })
}

fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A guild member. `with_permissions` adds the computed `permissions` string, as Discord does
/// inside interactions.
pub fn member_json(state: &State, ids: &Ids, user: &TestUser, with_permissions: bool) -> Value {
    let mut member = json!({
        "user": user_json(user),
        "nick": null,
        "avatar": null,
        "banner": null,
        "roles": user.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": user.joined_at,
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
    });
    if with_permissions {
        member["permissions"] = json!(state.member_permissions(ids, user.id).to_string());
    }
    member
}

/// A member object without `user`, as Discord nests it in MESSAGE_CREATE.
pub fn partial_member_json(user: &TestUser) -> Value {
    json!({
        "roles": user.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": user.joined_at,
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "nick": null,
        "avatar": null,
        "communication_disabled_until": null,
    })
}

fn role_json(
    id: u64,
    name: &str,
    permissions: u64,
    position: u16,
    managed: bool,
    bot: Option<u64>,
) -> Value {
    let mut tags = json!({});
    if let Some(bot_id) = bot {
        tags = json!({ "bot_id": bot_id.to_string() });
    }
    json!({
        "id": id.to_string(),
        "name": name,
        "color": 0,
        "colors": { "primary_color": 0, "secondary_color": null, "tertiary_color": null },
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": position,
        "permissions": permissions.to_string(),
        "managed": managed,
        "mentionable": false,
        "flags": 0,
        "tags": tags,
    })
}

pub fn roles_json(state: &State, ids: &Ids) -> Vec<Value> {
    vec![
        role_json(
            ids.everyone_role,
            "@everyone",
            perms::EVERYONE,
            0,
            false,
            None,
        ),
        role_json(
            ids.moderator_role,
            "Interview Admin",
            perms::MODERATOR,
            1,
            false,
            None,
        ),
        role_json(
            ids.bot_role,
            "interview-bot",
            state.bot_permissions,
            2,
            true,
            Some(ids.bot_user),
        ),
    ]
}

fn thread_metadata_json(ch: &ChannelState) -> Value {
    json!({
        "archived": ch.archived,
        "auto_archive_duration": ch.auto_archive_duration,
        "archive_timestamp": ch.archive_timestamp,
        "locked": ch.locked,
        "invitable": ch.invitable,
        "create_timestamp": ch.created_at,
    })
}

/// A full guild channel / thread object (serenity `GuildChannel`).
pub fn channel_json(ids: &Ids, ch: &ChannelState) -> Value {
    let mut v = json!({
        "id": ch.id.to_string(),
        "guild_id": ids.guild.to_string(),
        "type": ch.kind,
        "name": ch.name,
        "parent_id": ch.parent_id.map(|p| p.to_string()),
        "position": ch.position,
        "permission_overwrites": [],
        "nsfw": false,
        "flags": 0,
        "rate_limit_per_user": 0,
        "last_message_id": ch.last_message_id.map(|m| m.to_string()),
    });
    if ch.is_thread() {
        v["owner_id"] = json!(ch.owner_id.map(|o| o.to_string()));
        v["thread_metadata"] = thread_metadata_json(ch);
        v["message_count"] = json!(ch.message_count);
        v["total_message_sent"] = json!(ch.message_count);
        v["member_count"] = json!(ch.members.len().min(50));
        v.as_object_mut().map(|o| o.remove("position"));
        v.as_object_mut().map(|o| o.remove("permission_overwrites"));
    } else if ch.kind == 0 {
        v["topic"] = json!(ch.topic);
        v["default_auto_archive_duration"] = json!(1440);
    }
    v
}

/// The partial channel Discord puts in an interaction's `channel` field.
pub fn partial_channel_json(ids: &Ids, ch: &ChannelState, user_permissions: u64) -> Value {
    let mut v = json!({
        "id": ch.id.to_string(),
        "guild_id": ids.guild.to_string(),
        "type": ch.kind,
        "name": ch.name,
        "parent_id": ch.parent_id.map(|p| p.to_string()),
        "permissions": user_permissions.to_string(),
        "flags": 0,
        "nsfw": false,
        "last_message_id": ch.last_message_id.map(|m| m.to_string()),
        "rate_limit_per_user": 0,
    });
    if ch.is_thread() {
        v["thread_metadata"] = thread_metadata_json(ch);
        v["owner_id"] = json!(ch.owner_id.map(|o| o.to_string()));
        v["member_count"] = json!(ch.members.len().min(50));
        v["message_count"] = json!(ch.message_count);
    }
    v
}

/// A thread member (serenity `ThreadMember`).
pub fn thread_member_json(ids: &Ids, thread_id: u64, user_id: u64, joined: &str) -> Value {
    json!({
        "id": thread_id.to_string(),
        "user_id": user_id.to_string(),
        "guild_id": ids.guild.to_string(),
        "join_timestamp": joined,
        "flags": 0,
    })
}

/// The GUILD_CREATE payload: the guild with its roles, channels, members and active threads.
pub fn guild_json(state: &State, ids: &Ids) -> Value {
    let members: Vec<Value> = state
        .users
        .iter()
        .filter(|u| u.in_guild)
        .map(|u| member_json(state, ids, u, false))
        .collect();
    let channels: Vec<Value> = state
        .channels
        .iter()
        .filter(|c| !c.is_thread() && !c.deleted)
        .map(|c| channel_json(ids, c))
        .collect();
    let threads: Vec<Value> = state
        .channels
        .iter()
        .filter(|c| c.is_thread() && !c.deleted && !c.archived)
        .map(|c| channel_json(ids, c))
        .collect();
    let bot_joined = state
        .user(ids.bot_user)
        .map(|u| u.joined_at.clone())
        .unwrap_or_else(now_timestamp);
    // Split in two: one json! this large exceeds the default macro recursion limit.
    let mut guild = json!({
        "id": ids.guild.to_string(),
        "name": "Interview Dojo",
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": ids.owner.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": roles_json(state, ids),
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": ids.channel.to_string(),
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
    });
    let rest = json!({
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null,
        "joined_at": bot_joined,
        "large": false,
        "unavailable": false,
        "member_count": members.len(),
        "voice_states": [],
        "members": members,
        "channels": channels,
        "threads": threads,
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    });
    if let (Some(g), Value::Object(r)) = (guild.as_object_mut(), rest) {
        g.extend(r);
    }
    guild
}

/// `GET /oauth2/applications/@me` (serenity `CurrentApplicationInfo`).
pub fn application_json(state: &State, ids: &Ids) -> Value {
    let owner = state.user(ids.owner).map(user_json).unwrap_or(Value::Null);
    json!({
        "id": ids.application.to_string(),
        "name": "interview-bot",
        "icon": null,
        "description": "Mock interviews (stand-in)",
        "rpc_origins": [],
        "bot_public": false,
        "bot_require_code_grant": false,
        "owner": owner,
        "verify_key": "0000000000000000000000000000000000000000000000000000000000000000",
        "team": null,
        "flags": 0,
        "tags": [],
        "role_connections_verification_url": null,
        "integration_types_config": {},
        "approximate_guild_count": 1,
        "redirect_uris": [],
        "interactions_endpoint_url": null,
    })
}

/// A new message object with every field serenity's `Message` requires.
#[allow(clippy::too_many_arguments)]
pub fn new_message_json(
    ids: &Ids,
    id: u64,
    channel_id: u64,
    author: &TestUser,
    kind: u8,
    flags: u64,
    timestamp: &str,
) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "guild_id": ids.guild.to_string(),
        "author": user_json(author),
        "content": "",
        "timestamp": timestamp,
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "mention_channels": [],
        "attachments": [],
        "embeds": [],
        "components": [],
        "reactions": [],
        "pinned": false,
        "type": kind,
        "flags": flags,
    })
}
