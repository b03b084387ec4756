//! REST routing, plus the routes for commands, channels, threads and members.
//! Message and interaction routes live in `messages.rs`.

use std::time::Duration;

use serde_json::{json, Value};

use super::callbacks;
use super::gateway::dispatch_locked;
use super::http::{Reply, Req};
use super::limits;
use super::messages;
use super::model;
use super::state::{perms, ChannelState, Shared, State};
use super::strict::RestShape;

/// Discord allows about 2 renames of a channel per 10 minutes.
const RENAME_WINDOW: Duration = Duration::from_secs(600);
const RENAMES_PER_WINDOW: usize = 2;

/// Answer one request. Runs under the state lock (held by the caller, which also records the
/// request), so each request sees and leaves a consistent state.
pub(crate) fn route(shared: &Shared, st: &mut State, req: &Req) -> Reply {
    let segs: Vec<&str> = req.segs.iter().map(String::as_str).collect();
    let webhook_like = matches!(segs.first(), Some(&"interactions") | Some(&"webhooks"));
    if !webhook_like && req.path.starts_with("/api/") && !auth_ok(shared, req) {
        return Reply::refuse(
            "auth",
            401,
            0,
            "401: Unauthorized",
            "request without the bot token".into(),
        );
    }
    let ids = &shared.ids;
    let m = req.method.as_str();
    match (m, segs.as_slice()) {
        ("GET", ["gateway"]) => Reply::json("gateway", json!({"url": shared.gateway_url()})),
        ("GET", ["gateway", "bot"]) => Reply::json(
            "gateway-bot",
            json!({"url": shared.gateway_url(), "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}),
        ),
        ("GET", ["oauth2", "applications", "@me"]) | ("GET", ["applications", "@me"]) => Reply::ok(
            "application",
            RestShape::Application,
            model::application_json(st, ids),
        ),
        ("GET", ["users", "@me"]) => match st.user(ids.bot_user) {
            Some(u) => Reply::ok("current-user", RestShape::CurrentUser, model::user_json(u)),
            None => Reply::error(Some("current-user"), 500, 0, "bot user missing"),
        },
        ("GET", ["users", id]) => match id.parse().ok().and_then(|id| st.user(id)) {
            Some(u) => Reply::ok("user", RestShape::User, model::user_json(u)),
            None => Reply::refuse(
                "user",
                404,
                10013,
                "Unknown User",
                format!("GET unknown user {id}"),
            ),
        },
        (_, ["applications", _, "commands", ..])
        | (_, ["applications", _, "guilds", _, "commands", ..]) => commands(st, ids, req),
        ("POST", ["interactions", id, token, "callback"]) => match id.parse() {
            Ok(iid) => callbacks::interaction_callback(shared, st, req, iid, token),
            Err(_) => Reply::error(
                Some("interaction-callback"),
                404,
                10062,
                "Unknown interaction",
            ),
        },
        (_, ["webhooks", ..]) => callbacks::webhook(shared, st, req),
        ("POST", ["users", "@me", "channels"]) => super::dms::open(st, req),
        ("POST", ["channels", c, "messages"]) => {
            with_id(c, |c| messages::post_channel_message(shared, st, req, c))
        }
        ("GET", ["channels", c, "messages"]) => {
            with_id(c, |c| messages::list_channel_messages(st, req, c))
        }
        ("GET" | "PATCH" | "DELETE", ["channels", c, "messages", mid]) => {
            match (c.parse(), mid.parse()) {
                (Ok(c), Ok(mid)) => messages::channel_message(shared, st, req, c, mid),
                _ => Reply::error(None, 404, 10008, "Unknown Message"),
            }
        }
        ("POST", ["channels", c, "threads"]) => {
            with_id(c, |c| create_thread(shared, st, req, c, None))
        }
        ("POST", ["channels", c, "messages", mid, "threads"]) => match (c.parse(), mid.parse()) {
            (Ok(c), Ok(mid)) => create_thread(shared, st, req, c, Some(mid)),
            _ => Reply::error(None, 404, 10008, "Unknown Message"),
        },
        ("GET", ["channels", c]) => with_id(c, |c| match st.channel(c) {
            Some(ch) => Reply::ok("channel", RestShape::Channel, model::channel_json(ids, ch)),
            None => Reply::refuse(
                "channel",
                404,
                10003,
                "Unknown Channel",
                format!("GET unknown channel {c}"),
            ),
        }),
        ("PATCH", ["channels", c]) => with_id(c, |c| edit_channel(shared, st, req, c)),
        ("DELETE", ["channels", c]) => with_id(c, |c| delete_channel(shared, st, c)),
        ("GET", ["channels", c, "thread-members"]) => {
            with_id(c, |c| list_thread_members(st, ids, c))
        }
        ("GET" | "PUT" | "DELETE", ["channels", c, "thread-members", user]) => with_id(c, |c| {
            let user = if *user == "@me" {
                Some(ids.bot_user)
            } else {
                user.parse().ok()
            };
            thread_member(shared, st, req, c, user)
        }),
        ("POST", ["channels", c, "typing"]) => with_id(c, |c| match st.channel(c) {
            Some(_) => Reply::no_content("typing"),
            None => Reply::refuse(
                "typing",
                404,
                10003,
                "Unknown Channel",
                format!("typing in unknown channel {c}"),
            ),
        }),
        ("PUT" | "DELETE", ["channels", _, "messages", _, "reactions", _, "@me"]) => {
            Reply::no_content("reaction")
        }
        ("GET", ["guilds", g, "members", user]) if g.parse() == Ok(ids.guild) => {
            match user
                .parse()
                .ok()
                .and_then(|u| st.user(u))
                .filter(|u| u.in_guild)
            {
                Some(u) => {
                    let mut member = model::member_json(st, ids, u, false);
                    member["guild_id"] = json!(ids.guild.to_string());
                    Reply::ok("guild-member", RestShape::Member, member)
                }
                None => Reply::error(Some("guild-member"), 404, 10007, "Unknown Member"),
            }
        }
        ("GET", ["guilds", g, "channels"]) if g.parse() == Ok(ids.guild) => {
            let list: Vec<Value> = st
                .channels
                .iter()
                .filter(|c| !c.is_thread() && !c.deleted)
                .map(|c| model::channel_json(ids, c))
                .collect();
            Reply::ok("guild-channels", RestShape::GuildChannels, json!(list))
        }
        ("GET", ["guilds", g, "roles"]) if g.parse() == Ok(ids.guild) => Reply::ok(
            "guild-roles",
            RestShape::Roles,
            json!(model::roles_json(st, ids)),
        ),
        ("GET", ["guilds", g, "threads", "active"]) if g.parse() == Ok(ids.guild) => {
            let threads: Vec<Value> = st
                .channels
                .iter()
                .filter(|c| c.is_thread() && !c.deleted && !c.archived)
                .map(|c| model::channel_json(ids, c))
                .collect();
            Reply::json("active-threads", json!({"threads": threads, "members": []}))
        }
        _ => Reply::error(None, 404, 0, "404: Not Found"),
    }
}

fn with_id(seg: &str, f: impl FnOnce(u64) -> Reply) -> Reply {
    match seg.parse() {
        Ok(id) => f(id),
        Err(_) => Reply::error(None, 404, 10003, "Unknown Channel"),
    }
}

fn auth_ok(shared: &Shared, req: &Req) -> bool {
    req.auth.as_deref() == Some(format!("Bot {}", shared.config.token).as_str())
}

fn bot_has(st: &State, bits: u64) -> bool {
    st.bot_permissions & perms::ADMINISTRATOR != 0 || st.bot_permissions & bits == bits
}

// ---------------------------------------------------------------- application commands

fn commands(st: &mut State, ids: &super::state::Ids, req: &Req) -> Reply {
    const ROUTE: &str = "application-commands";
    let guild_scope = req.seg(2) == "guilds";
    if req.id(1) != Some(ids.application) {
        return Reply::refuse(
            ROUTE,
            403,
            50001,
            "Missing Access",
            format!("commands of application {}", req.seg(1)),
        );
    }
    if guild_scope && req.id(3) != Some(ids.guild) {
        return Reply::refuse(
            ROUTE,
            404,
            10004,
            "Unknown Guild",
            format!("commands of guild {}", req.seg(3)),
        );
    }
    let rest = if guild_scope {
        &req.segs[5..]
    } else {
        &req.segs[3..]
    };
    let list = |st: &State| {
        if guild_scope {
            st.guild_commands.clone()
        } else {
            st.global_commands.clone()
        }
    };
    match (req.method.as_str(), rest.len()) {
        ("GET", 0) => Reply::ok(ROUTE, RestShape::Commands, json!(list(st))),
        ("PUT", 0) => {
            let Some(items) = req.body.as_array() else {
                return Reply::invalid_form(
                    ROUTE,
                    vec![("".into(), "bulk overwrite takes an array".into())],
                );
            };
            let problems = limits::commands(items);
            if !problems.is_empty() {
                return Reply::invalid_form(ROUTE, problems);
            }
            let echoed: Vec<Value> = items
                .iter()
                .map(|c| echo_command(st, ids, c, guild_scope))
                .collect();
            if guild_scope {
                st.guild_commands = echoed.clone();
            } else {
                st.global_commands = echoed.clone();
            }
            Reply::ok(ROUTE, RestShape::Commands, json!(echoed))
        }
        ("POST", 0) => {
            let problems = limits::commands(std::slice::from_ref(&req.body));
            if !problems.is_empty() {
                return Reply::invalid_form(ROUTE, problems);
            }
            let echoed = echo_command(st, ids, &req.body, guild_scope);
            let target = if guild_scope {
                &mut st.guild_commands
            } else {
                &mut st.global_commands
            };
            target.retain(|c| c["name"] != echoed["name"]);
            target.push(echoed.clone());
            Reply::ok(ROUTE, RestShape::Command, echoed)
        }
        ("GET" | "DELETE", 1) => {
            let id = rest[0].clone();
            let found = list(st)
                .into_iter()
                .find(|c| c["id"].as_str() == Some(id.as_str()));
            match (req.method.as_str(), found) {
                ("GET", Some(c)) => Reply::ok(ROUTE, RestShape::Command, c),
                (_, Some(_)) => {
                    let target = if guild_scope {
                        &mut st.guild_commands
                    } else {
                        &mut st.global_commands
                    };
                    target.retain(|c| c["id"].as_str() != Some(id.as_str()));
                    Reply::no_content(ROUTE)
                }
                (_, None) => Reply::refuse(
                    ROUTE,
                    404,
                    10063,
                    "Unknown application command",
                    format!("command {id}"),
                ),
            }
        }
        _ => Reply::error(None, 404, 0, "404: Not Found"),
    }
}

/// Discord's answer to a registered command: the body plus ids (stable per name and scope).
fn echo_command(st: &mut State, ids: &super::state::Ids, body: &Value, guild_scope: bool) -> Value {
    let name = body["name"].as_str().unwrap_or_default().to_owned();
    let id = match st.command_ids.get(&(guild_scope, name.clone())) {
        Some(id) => *id,
        None => {
            let id = st.next_id();
            st.command_ids.insert((guild_scope, name), id);
            id
        }
    };
    let mut c = body.clone();
    let version = st.next_id();
    c["id"] = json!(id.to_string());
    c["application_id"] = json!(ids.application.to_string());
    c["version"] = json!(version.to_string());
    if c.get("type").is_none() {
        c["type"] = json!(1);
    }
    if c.get("description").map_or(true, Value::is_null) {
        c["description"] = json!("");
    }
    if guild_scope {
        c["guild_id"] = json!(ids.guild.to_string());
    }
    if c.get("default_member_permissions").is_none() {
        c["default_member_permissions"] = Value::Null;
    }
    c
}

// ---------------------------------------------------------------- channels and threads

fn create_thread(
    shared: &Shared,
    st: &mut State,
    req: &Req,
    parent: u64,
    from_message: Option<u64>,
) -> Reply {
    const ROUTE: &str = "create-thread";
    let ids = &shared.ids;
    let Some(parent_ch) = st.channel(parent).cloned() else {
        return Reply::refuse(
            ROUTE,
            404,
            10003,
            "Unknown Channel",
            format!("thread in unknown channel {parent}"),
        );
    };
    if parent_ch.kind != 0 {
        return Reply::refuse(
            ROUTE,
            400,
            50024,
            "Cannot execute action on this channel type",
            format!(
                "threads can only be created in text channels (channel {parent} has type {})",
                parent_ch.kind
            ),
        );
    }
    let problems = limits::thread_fields(&req.body, true);
    if !problems.is_empty() {
        return Reply::invalid_form(ROUTE, problems);
    }
    if let Some(mid) = from_message {
        if !st
            .message(mid)
            .is_some_and(|m| m.channel_id == parent && !m.deleted)
        {
            return Reply::refuse(
                ROUTE,
                404,
                10008,
                "Unknown Message",
                format!("thread from unknown message {mid}"),
            );
        }
        if st.channel_even_deleted(mid).is_some() {
            return Reply::refuse(
                ROUTE,
                400,
                160004,
                "A thread has already been created for this message",
                format!("second thread on message {mid}"),
            );
        }
    }
    // Without a starter message Discord defaults to a private thread.
    let kind = match from_message {
        Some(_) => 11,
        None => req.body.get("type").and_then(Value::as_u64).unwrap_or(12) as u8,
    };
    let need = if kind == 12 {
        perms::CREATE_PRIVATE_THREADS
    } else {
        perms::CREATE_PUBLIC_THREADS
    };
    if !bot_has(st, need | perms::VIEW_CHANNEL) {
        return Reply::refuse(
            ROUTE,
            403,
            50013,
            "Missing Permissions",
            format!("bot lacks the permission to create a type {kind} thread"),
        );
    }
    let id = from_message.unwrap_or_else(|| st.next_id());
    let now = model::now_timestamp();
    let mut ch = ChannelState::text(
        id,
        kind,
        req.body["name"].as_str().unwrap_or_default(),
        Some(parent),
        0,
        &now,
    );
    ch.owner_id = Some(ids.bot_user);
    ch.auto_archive_duration = req
        .body
        .get("auto_archive_duration")
        .and_then(Value::as_u64)
        .unwrap_or(1440) as u16;
    ch.invitable = kind == 12
        && req
            .body
            .get("invitable")
            .and_then(Value::as_bool)
            .unwrap_or(true);
    ch.members.insert(ids.bot_user);
    let json = model::channel_json(ids, &ch);
    st.push_channel(ch);
    let mut event = json.clone();
    event["newly_created"] = json!(true);
    event["member"] = json!({"id": id.to_string(), "user_id": ids.bot_user.to_string(), "join_timestamp": now, "flags": 0});
    if let Err(e) = dispatch_locked(shared, st, "THREAD_CREATE", event) {
        st.internal_errors.push(e);
    }
    Reply::ok(ROUTE, RestShape::GuildChannel, json)
}

fn edit_channel(shared: &Shared, st: &mut State, req: &Req, id: u64) -> Reply {
    const ROUTE: &str = "edit-channel";
    let ids = &shared.ids;
    let Some(ch) = st.channel(id).cloned() else {
        return Reply::refuse(
            ROUTE,
            404,
            10003,
            "Unknown Channel",
            format!("PATCH unknown channel {id}"),
        );
    };
    let problems = limits::thread_fields(&req.body, false);
    if !problems.is_empty() {
        return Reply::invalid_form(ROUTE, problems);
    }
    let owner = ch.owner_id == Some(ids.bot_user);
    let manage = bot_has(st, perms::MANAGE_THREADS);
    if !ch.is_thread() && !bot_has(st, 1 << 4) {
        return Reply::refuse(
            ROUTE,
            403,
            50013,
            "Missing Permissions",
            format!("bot edited channel {id} without Manage Channels"),
        );
    }
    if ch.is_thread() && !(owner || manage) {
        return Reply::refuse(
            ROUTE,
            403,
            50013,
            "Missing Permissions",
            format!("bot edited thread {id} it does not own without Manage Threads"),
        );
    }
    if req.body.get("locked").is_some() && ch.is_thread() && !manage {
        return Reply::refuse(
            ROUTE,
            403,
            50013,
            "Missing Permissions",
            format!("bot (un)locked thread {id} without Manage Threads"),
        );
    }
    let new_name = req
        .body
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| *n != ch.name);
    if new_name.is_some() {
        let recent = ch
            .renames
            .iter()
            .filter(|t| req.at.saturating_duration_since(**t) < RENAME_WINDOW)
            .count();
        if recent >= RENAMES_PER_WINDOW {
            let mut reply = Reply::refuse(
                ROUTE,
                429,
                20028,
                "You are being rate limited.",
                format!("channel {id} renamed more than {RENAMES_PER_WINDOW} times in 10 minutes"),
            );
            reply.body = Some(
                json!({"message": "You are being rate limited.", "retry_after": 300.0, "global": false, "code": 20028}),
            );
            return reply;
        }
    }
    let now = model::now_timestamp();
    let Some(ch) = st.channel_mut(id) else {
        return Reply::error(Some(ROUTE), 404, 10003, "Unknown Channel");
    };
    if let Some(name) = new_name {
        ch.name = name.to_owned();
        ch.renames.push(req.at);
    }
    if let Some(archived) = req.body.get("archived").and_then(Value::as_bool) {
        if archived != ch.archived {
            ch.archive_timestamp = now.clone();
        }
        ch.archived = archived;
    }
    if let Some(locked) = req.body.get("locked").and_then(Value::as_bool) {
        ch.locked = locked;
    }
    if let Some(d) = req
        .body
        .get("auto_archive_duration")
        .and_then(Value::as_u64)
    {
        ch.auto_archive_duration = d as u16;
    }
    if let Some(inv) = req.body.get("invitable").and_then(Value::as_bool) {
        ch.invitable = inv;
    }
    if let Some(topic) = req.body.get("topic") {
        ch.topic = topic.as_str().map(str::to_owned);
    }
    let is_thread = ch.is_thread();
    let json = model::channel_json(ids, ch);
    let event = if is_thread {
        "THREAD_UPDATE"
    } else {
        "CHANNEL_UPDATE"
    };
    if let Err(e) = dispatch_locked(shared, st, event, json.clone()) {
        st.internal_errors.push(e);
    }
    Reply::ok(ROUTE, RestShape::Channel, json)
}

fn delete_channel(shared: &Shared, st: &mut State, id: u64) -> Reply {
    const ROUTE: &str = "delete-channel";
    let ids = &shared.ids;
    let Some(ch) = st.channel(id).cloned() else {
        return Reply::refuse(
            ROUTE,
            404,
            10003,
            "Unknown Channel",
            format!("DELETE unknown channel {id}"),
        );
    };
    if !ch.is_thread() || !bot_has(st, perms::MANAGE_THREADS) {
        return Reply::refuse(
            ROUTE,
            403,
            50013,
            "Missing Permissions",
            format!("bot deleted channel {id} without permission"),
        );
    }
    let json = model::channel_json(ids, &ch);
    if let Some(c) = st.channel_mut(id) {
        c.deleted = true;
    }
    let d = json!({"id": id.to_string(), "guild_id": ids.guild.to_string(), "parent_id": ch.parent_id.map(|p| p.to_string()), "type": ch.kind});
    if let Err(e) = dispatch_locked(shared, st, "THREAD_DELETE", d) {
        st.internal_errors.push(e);
    }
    Reply::ok(ROUTE, RestShape::Channel, json)
}

fn list_thread_members(st: &State, ids: &super::state::Ids, id: u64) -> Reply {
    match st.channel(id).filter(|c| c.is_thread()) {
        Some(ch) => {
            let list: Vec<Value> = ch
                .members
                .iter()
                .map(|u| model::thread_member_json(ids, id, *u, &ch.created_at))
                .collect();
            Reply::ok("thread-members", RestShape::ThreadMembers, json!(list))
        }
        None => Reply::refuse(
            "thread-members",
            404,
            10003,
            "Unknown Channel",
            format!("thread members of {id}"),
        ),
    }
}

fn thread_member(
    shared: &Shared,
    st: &mut State,
    req: &Req,
    thread: u64,
    user: Option<u64>,
) -> Reply {
    const ROUTE: &str = "thread-member";
    let ids = &shared.ids;
    let Some(ch) = st.channel(thread).filter(|c| c.is_thread()).cloned() else {
        return Reply::refuse(
            ROUTE,
            404,
            10003,
            "Unknown Channel",
            format!("thread-members of non-thread {thread}"),
        );
    };
    let Some(user) = user
        .and_then(|u| st.user(u))
        .filter(|u| u.in_guild)
        .cloned()
    else {
        return Reply::refuse(
            ROUTE,
            404,
            10007,
            "Unknown Member",
            format!("thread member {} is not in the guild", req.seg(3)),
        );
    };
    match req.method.as_str() {
        "GET" => match ch.members.contains(&user.id) {
            true => Reply::ok(
                ROUTE,
                RestShape::ThreadMember,
                model::thread_member_json(ids, thread, user.id, &ch.created_at),
            ),
            false => Reply::error(Some(ROUTE), 404, 10007, "Unknown Member"),
        },
        "PUT" | "DELETE" => {
            if ch.archived {
                return Reply::refuse(
                    ROUTE,
                    400,
                    50083,
                    "Thread is archived",
                    format!("thread-members change on archived thread {thread}"),
                );
            }
            let adding = req.method == "PUT";
            let owner = ch.owner_id == Some(ids.bot_user);
            if !adding && user.id != ids.bot_user && !(owner || bot_has(st, perms::MANAGE_THREADS))
            {
                return Reply::refuse(
                    ROUTE,
                    403,
                    50013,
                    "Missing Permissions",
                    format!("removing {} from thread {thread}", user.id),
                );
            }
            let changed = match st.channel_mut(thread) {
                Some(c) if adding => c.members.insert(user.id),
                Some(c) => c.members.remove(&user.id),
                None => false,
            };
            if changed {
                let count = st.channel(thread).map_or(0, |c| c.members.len().min(50));
                let now = model::now_timestamp();
                let mut d = json!({"id": thread.to_string(), "guild_id": ids.guild.to_string(), "member_count": count});
                if adding {
                    let mut tm = model::thread_member_json(ids, thread, user.id, &now);
                    tm["member"] = model::member_json(st, ids, &user, false);
                    tm["presence"] = Value::Null;
                    d["added_members"] = json!([tm]);
                } else {
                    d["removed_member_ids"] = json!([user.id.to_string()]);
                }
                if let Err(e) = dispatch_locked(shared, st, "THREAD_MEMBERS_UPDATE", d) {
                    st.internal_errors.push(e);
                }
            }
            Reply::no_content(ROUTE)
        }
        _ => Reply::error(None, 405, 0, "405: Method Not Allowed"),
    }
}
