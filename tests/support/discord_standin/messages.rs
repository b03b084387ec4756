//! Messages: creating, editing and deleting them (for the bot's REST calls, interaction
//! answers and injected user messages), and the channel message routes.

use serde_json::{json, Value};

use super::gateway::dispatch_locked;
use super::http::{Reply, Req};
use super::limits;
use super::model;
use super::state::{perms, MessageSource, Shared, State, StoredMessage};
use super::strict::RestShape;

/// Flag set on a deferred ("thinking...") interaction response until it is edited.
pub(crate) const LOADING: u64 = 128;
pub(crate) const EPHEMERAL: u64 = 64;

/// Everything needed to create one message.
pub(crate) struct NewMessage<'a> {
    pub channel_id: u64,
    pub author_id: u64,
    pub source: MessageSource,
    pub interaction_id: Option<u64>,
    pub body: &'a Value,
    pub files: &'a [super::http::FilePart],
    /// Extra flags (EPHEMERAL, LOADING) on top of what the body asks for.
    pub extra_flags: u64,
}

/// The interaction a message answers, as far as the message shows it.
struct Origin {
    id: u64,
    kind: u8,
    user_id: u64,
    name: Option<Value>,
}

/// Create, store and announce (MESSAGE_CREATE unless ephemeral) a message; returns its id.
pub(crate) fn create(shared: &Shared, st: &mut State, new: NewMessage<'_>) -> Result<u64, String> {
    let ids = &shared.ids;
    let author = st
        .user(new.author_id)
        .cloned()
        .ok_or_else(|| format!("unknown author {}", new.author_id))?;
    let id = st.next_id();
    let flags = new.body.get("flags").and_then(Value::as_u64).unwrap_or(0) | new.extra_flags;
    let (mut kind, is_reply) = (
        0u8,
        new.body.pointer("/message_reference/message_id").is_some(),
    );
    if is_reply {
        kind = 19;
    }
    // What the message shows of its interaction (not a copy of the record and its payload).
    let interaction = new
        .interaction_id
        .and_then(|i| st.interaction(i))
        .map(|r| Origin {
            id: r.id,
            kind: r.kind,
            user_id: r.user_id,
            name: r.payload.pointer("/data/name").cloned(),
        });
    if let Some(rec) = &interaction {
        if rec.kind == 2 && new.source == MessageSource::InteractionResponse {
            kind = 20;
        }
    }
    let mut msg = model::new_message_json(
        ids,
        id,
        new.channel_id,
        &author,
        kind,
        flags,
        &model::now_timestamp(),
    );
    if let Some(rec) = &interaction {
        msg["webhook_id"] = json!(ids.application.to_string());
        msg["application_id"] = json!(ids.application.to_string());
        if rec.kind == 2 {
            if let Some(user) = st.user(rec.user_id) {
                msg["interaction"] = json!({
                    "id": rec.id.to_string(),
                    "type": 2,
                    "name": rec.name.clone().unwrap_or(json!("")),
                    "user": model::user_json(user),
                });
            }
        }
    }
    if is_reply {
        let ref_id = new
            .body
            .pointer("/message_reference/message_id")
            .and_then(as_id);
        msg["message_reference"] = json!({
            "type": 0,
            "message_id": ref_id.map(|r| r.to_string()),
            "channel_id": new.channel_id.to_string(),
            "guild_id": ids.guild.to_string(),
        });
        let referenced = ref_id
            .and_then(|r| st.message(r))
            .map(|m| m.json.clone())
            .unwrap_or(Value::Null);
        msg["referenced_message"] = referenced;
    }
    msg["attachments"] = json!(attachments_json(shared, st, id, new.files));
    let mut stored = StoredMessage {
        id,
        channel_id: new.channel_id,
        author_id: new.author_id,
        source: new.source,
        interaction_id: new.interaction_id,
        allowed_mentions: None,
        pinged_users: Vec::new(),
        pings_everyone: false,
        edit_count: 0,
        deleted: false,
        json: msg,
    };
    apply_body(st, &mut stored, new.body);
    if let Some(ch) = st.channel_mut(new.channel_id) {
        ch.last_message_id = Some(id);
        if ch.is_thread() {
            ch.message_count += 1;
        }
    }
    let event = gateway_message(st, &stored);
    let ephemeral = stored.is_ephemeral();
    st.push_message(stored);
    if !ephemeral {
        dispatch_locked(shared, st, "MESSAGE_CREATE", event)?;
    }
    Ok(id)
}

/// The message as a gateway event carries it: with `guild_id` and the author's partial `member`.
fn gateway_message(st: &State, m: &StoredMessage) -> Value {
    let mut event = m.json.clone();
    if m.interaction_id.is_none() {
        if let Some(author) = st.user(m.author_id) {
            event["member"] = model::partial_member_json(author);
        }
    }
    event
}

fn as_id(v: &Value) -> Option<u64> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_u64())
}

/// Apply the message fields of a create/edit body to a stored message.
fn apply_body(st: &State, m: &mut StoredMessage, body: &Value) {
    let json = &mut m.json;
    if let Some(content) = body.get("content") {
        json["content"] = json!(content.as_str().unwrap_or(""));
    }
    if let Some(embeds) = body.get("embeds") {
        let mut list = embeds.as_array().cloned().unwrap_or_default();
        for embed in &mut list {
            if embed.get("type").is_none() {
                embed["type"] = json!("rich");
            }
            if let Some(fields) = embed.get_mut("fields").and_then(Value::as_array_mut) {
                for field in fields {
                    if field.get("inline").is_none() {
                        field["inline"] = json!(false);
                    }
                }
            }
        }
        json["embeds"] = json!(list);
    }
    if let Some(components) = body.get("components") {
        json["components"] = json!(components.as_array().cloned().unwrap_or_default());
    }
    if let Some(flags) = body.get("flags").and_then(Value::as_u64) {
        let keep = json["flags"].as_u64().unwrap_or(0) & (EPHEMERAL | LOADING);
        json["flags"] = json!(flags | keep);
    }
    if body.get("allowed_mentions").is_some() {
        m.allowed_mentions = body.get("allowed_mentions").cloned();
    }
    // Who would be pinged: mentions in the content, filtered through allowed_mentions
    // (absent: Discord parses everything).
    let content = json["content"].as_str().unwrap_or("").to_owned();
    let am = m.allowed_mentions.clone().filter(|v| !v.is_null());
    let parse: Vec<String> = am
        .as_ref()
        .and_then(|a| a.get("parse"))
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let listed = |key: &str| -> Vec<u64> {
        am.as_ref()
            .and_then(|a| a.get(key))
            .and_then(Value::as_array)
            .map(|l| l.iter().filter_map(as_id).collect())
            .unwrap_or_default()
    };
    let (users_ok, listed_users) = (
        am.is_none() || parse.iter().any(|p| p == "users"),
        listed("users"),
    );
    let (roles_ok, listed_roles) = (
        am.is_none() || parse.iter().any(|p| p == "roles"),
        listed("roles"),
    );
    let mut pinged = Vec::new();
    for id in mentioned_ids(&content, "<@") {
        if (users_ok || listed_users.contains(&id))
            && !pinged.contains(&id)
            && st.user(id).is_some()
        {
            pinged.push(id);
        }
    }
    let roles: Vec<u64> = mentioned_ids(&content, "<@&")
        .into_iter()
        .filter(|r| roles_ok || listed_roles.contains(r))
        .collect();
    m.pings_everyone = (content.contains("@everyone") || content.contains("@here"))
        && (am.is_none() || parse.iter().any(|p| p == "everyone"));
    json["mentions"] = json!(pinged
        .iter()
        .filter_map(|id| st.user(*id))
        .map(model::user_json)
        .collect::<Vec<_>>());
    json["mention_roles"] = json!(roles.iter().map(u64::to_string).collect::<Vec<_>>());
    json["mention_everyone"] = json!(m.pings_everyone);
    m.pinged_users = pinged;
}

/// Ids in `<@123>` / `<@!123>` (prefix `<@`) or `<@&123>` (prefix `<@&`) mentions.
fn mentioned_ids(content: &str, prefix: &str) -> Vec<u64> {
    let mut out = Vec::new();
    for (i, _) in content.match_indices(prefix) {
        let rest = &content[i + prefix.len()..];
        if prefix == "<@" && rest.starts_with('&') {
            continue;
        }
        let rest = rest.strip_prefix('!').unwrap_or(rest);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if rest[digits.len()..].starts_with('>') {
            if let Ok(id) = digits.parse() {
                out.push(id);
            }
        }
    }
    out
}

/// Edit a stored message with a body; emits MESSAGE_UPDATE unless ephemeral.
/// The `attachments` Discord reports for files uploaded with a message.
fn attachments_json(
    shared: &Shared,
    st: &mut State,
    id: u64,
    files: &[super::http::FilePart],
) -> Vec<Value> {
    files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            st.uploads.insert(
                format!("/attachments/{}/{}", id, file.filename),
                file.content.clone(),
            );
            json!({
                "id": (id + 1 + i as u64).to_string(),
                "filename": file.filename,
                "size": file.size,
                "url": format!("{}/attachments/{}/{}", shared.api_base(), id, file.filename),
                "proxy_url": format!("{}/attachments/{}/{}", shared.api_base(), id, file.filename),
                "content_type": null,
            })
        })
        .collect()
}

pub(crate) fn edit(
    shared: &Shared,
    st: &mut State,
    id: u64,
    body: &Value,
) -> Result<Value, String> {
    edit_with_files(shared, st, id, body, &[])
}

/// An edit that may upload files (multipart), as an edit of a deferred
/// interaction response does: the new files join the attachments kept.
pub(crate) fn edit_with_files(
    shared: &Shared,
    st: &mut State,
    id: u64,
    body: &Value,
    files: &[super::http::FilePart],
) -> Result<Value, String> {
    let mut m = st.message(id).cloned().ok_or("unknown message")?;
    apply_body(st, &mut m, body);
    if !files.is_empty() {
        let mut kept: Vec<Value> = m.json["attachments"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if let Some(listed) = body.get("attachments").and_then(Value::as_array) {
            let ids: Vec<&Value> = listed.iter().filter_map(|a| a.get("id")).collect();
            kept.retain(|a| a.get("id").is_some_and(|i| ids.contains(&i)));
        }
        kept.extend(attachments_json(
            shared,
            st,
            id + m.edit_count as u64 * 16,
            files,
        ));
        m.json["attachments"] = json!(kept);
    }
    let flags = m.flags() & !LOADING;
    m.json["flags"] = json!(flags);
    m.json["edited_timestamp"] = json!(model::now_timestamp());
    m.edit_count += 1;
    let out = m.json.clone();
    let event = gateway_message(st, &m);
    let ephemeral = m.is_ephemeral();
    if let Some(slot) = st.message_mut(id) {
        *slot = m;
    }
    if !ephemeral {
        dispatch_locked(shared, st, "MESSAGE_UPDATE", event)?;
    }
    Ok(out)
}

/// Mark a message deleted; emits MESSAGE_DELETE unless ephemeral.
pub(crate) fn delete(shared: &Shared, st: &mut State, id: u64) -> Result<(), String> {
    let (channel_id, ephemeral) = match st.message_mut(id) {
        Some(m) => {
            m.deleted = true;
            (m.channel_id, m.is_ephemeral())
        }
        None => return Err("unknown message".into()),
    };
    if !ephemeral {
        let d = json!({"id": id.to_string(), "channel_id": channel_id.to_string(), "guild_id": shared.ids.guild.to_string()});
        dispatch_locked(shared, st, "MESSAGE_DELETE", d)?;
    }
    Ok(())
}

pub(crate) fn internal(route: &'static str, e: String) -> Reply {
    Reply::refuse(
        route,
        500,
        0,
        "stand-in internal error",
        format!("stand-in internal error: {e}"),
    )
}

/// Can the bot post in this channel? `Err` is a ready 403/404 reply.
pub(crate) fn bot_can_post(
    shared: &Shared,
    st: &State,
    route: &'static str,
    channel_id: u64,
) -> Result<(), Reply> {
    let Some(ch) = st.channel(channel_id) else {
        return Err(Reply::refuse(
            route,
            404,
            10003,
            "Unknown Channel",
            format!("channel {channel_id} does not exist"),
        ));
    };
    if ch.kind == super::dms::DM {
        return super::dms::refuse_closed(st, route, ch).map_or(Ok(()), Err);
    }
    let bits = st.bot_permissions;
    let admin = bits & perms::ADMINISTRATOR != 0;
    let need = if ch.is_thread() {
        perms::SEND_MESSAGES_IN_THREADS
    } else {
        perms::SEND_MESSAGES
    };
    let mut missing = !admin && (bits & need == 0 || bits & perms::VIEW_CHANNEL == 0);
    missing |= ch.is_thread() && st.refuse_thread_posts;
    if ch.kind == 4 {
        return Err(Reply::refuse(
            route,
            400,
            50008,
            "Cannot send messages in a non-text channel",
            "message to a category".into(),
        ));
    }
    if ch.kind == 12
        && !ch.members.contains(&shared.ids.bot_user)
        && bits & perms::MANAGE_THREADS == 0
        && !admin
    {
        missing = true;
    }
    if ch.locked && bits & perms::MANAGE_THREADS == 0 && !admin {
        missing = true;
    }
    if missing {
        return Err(Reply::refuse(
            route,
            403,
            50013,
            "Missing Permissions",
            format!("bot lacks permission to post in channel {channel_id}"),
        ));
    }
    Ok(())
}

/// Posting in an archived (unlocked) thread unarchives it, as on Discord.
pub(crate) fn unarchive_on_post(
    shared: &Shared,
    st: &mut State,
    channel_id: u64,
) -> Result<(), String> {
    let now = model::now_timestamp();
    let Some(ch) = st.channel_mut(channel_id) else {
        return Ok(());
    };
    if !(ch.is_thread() && ch.archived) {
        return Ok(());
    }
    ch.archived = false;
    ch.archive_timestamp = now;
    let json = model::channel_json(&shared.ids, ch);
    dispatch_locked(shared, st, "THREAD_UPDATE", json).map(|_| ())
}

/// `POST /channels/{id}/messages`.
pub(crate) fn post_channel_message(
    shared: &Shared,
    st: &mut State,
    req: &Req,
    channel_id: u64,
) -> Reply {
    const ROUTE: &str = "create-message";
    if let Err(reply) = bot_can_post(shared, st, ROUTE, channel_id) {
        return reply;
    }
    let problems = limits::message(&req.body, true, false);
    if !problems.is_empty() {
        return Reply::invalid_form(ROUTE, problems);
    }
    if let Err(e) = unarchive_on_post(shared, st, channel_id) {
        return internal(ROUTE, e);
    }
    let new = NewMessage {
        channel_id,
        author_id: shared.ids.bot_user,
        source: MessageSource::Channel,
        interaction_id: None,
        body: &req.body,
        files: &req.files,
        extra_flags: 0,
    };
    match create(shared, st, new) {
        Ok(id) => Reply::ok(
            ROUTE,
            RestShape::Message,
            st.message(id).map(|m| m.json.clone()).unwrap_or_default(),
        ),
        Err(e) => internal(ROUTE, e),
    }
}

/// `GET/PATCH/DELETE /channels/{c}/messages/{m}`.
pub(crate) fn channel_message(
    shared: &Shared,
    st: &mut State,
    req: &Req,
    channel_id: u64,
    id: u64,
) -> Reply {
    const ROUTE: &str = "channel-message";
    let Some(m) = st
        .message(id)
        .filter(|m| m.channel_id == channel_id && !m.deleted)
        .cloned()
    else {
        return Reply::refuse(
            ROUTE,
            404,
            10008,
            "Unknown Message",
            format!("message {id} is not in channel {channel_id}"),
        );
    };
    let bot = shared.ids.bot_user;
    match req.method.as_str() {
        "GET" => Reply::ok(ROUTE, RestShape::Message, m.json),
        "PATCH" => {
            let only_flags = req
                .body
                .as_object()
                .is_some_and(|o| o.keys().all(|k| k == "flags"));
            if m.author_id != bot && !only_flags {
                return Reply::refuse(
                    ROUTE,
                    403,
                    50005,
                    "Cannot edit a message authored by another user",
                    format!("bot edited message {id} of user {}", m.author_id),
                );
            }
            if m.is_ephemeral() {
                return Reply::refuse(
                    ROUTE,
                    404,
                    10008,
                    "Unknown Message",
                    "ephemeral messages can only be edited through the interaction token".into(),
                );
            }
            let problems = limits::message(&req.body, false, false);
            if !problems.is_empty() {
                return Reply::invalid_form(ROUTE, problems);
            }
            match edit(shared, st, id, &req.body) {
                Ok(json) => Reply::ok(ROUTE, RestShape::Message, json),
                Err(e) => internal(ROUTE, e),
            }
        }
        "DELETE" => {
            if m.author_id != bot
                && st.bot_permissions & (perms::MANAGE_MESSAGES | perms::ADMINISTRATOR) == 0
            {
                return Reply::refuse(
                    ROUTE,
                    403,
                    50013,
                    "Missing Permissions",
                    format!("bot deleted message {id} of another user without Manage Messages"),
                );
            }
            match delete(shared, st, id) {
                Ok(()) => Reply::no_content(ROUTE),
                Err(e) => internal(ROUTE, e),
            }
        }
        _ => Reply::error(None, 405, 0, "405: Method Not Allowed"),
    }
}

/// `GET /channels/{c}/messages?limit=N`: newest first.
pub(crate) fn list_channel_messages(st: &State, req: &Req, channel_id: u64) -> Reply {
    if st.channel(channel_id).is_none() {
        return Reply::refuse(
            "list-messages",
            404,
            10003,
            "Unknown Channel",
            format!("channel {channel_id} does not exist"),
        );
    }
    let limit = req
        .query_flag("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(50usize)
        .min(100);
    let list: Vec<Value> = st
        .channel_messages(channel_id)
        .into_iter()
        .filter(|m| !m.is_ephemeral())
        .rev()
        .take(limit)
        .map(|m| m.json)
        .collect();
    Reply::ok("list-messages", RestShape::Messages, json!(list))
}
