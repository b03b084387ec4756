//! Proof that what the stand-in sends is what serenity 0.12.5 understands.
//!
//! serenity parses a gateway dispatch it cannot deserialise as `Event::Unknown` and the bot's
//! handler silently never runs. So every dispatch goes through [`check_dispatch`] before it is
//! sent, and every REST answer that serenity decodes into a model type goes through
//! [`check_rest_response`].

use serde::de::DeserializeOwned;
use serde_json::Value;
use serenity::model::event::{self as ev, Event, GatewayEvent};

fn parse_as<T: DeserializeOwned>(what: &str, d: &Value) -> Result<(), String> {
    serde_json::from_value::<T>(d.clone())
        .map(|_| ())
        .map_err(|e| format!("serenity cannot parse {what}: {e}\npayload: {d}"))
}

/// Deserialise `d` of a dispatch named `t` with serenity's own concrete type for it.
fn parse_concrete(t: &str, d: &Value) -> Result<(), String> {
    match t {
        "READY" => parse_as::<ev::ReadyEvent>(t, d),
        "RESUMED" => parse_as::<ev::ResumedEvent>(t, d),
        "GUILD_CREATE" => parse_as::<ev::GuildCreateEvent>(t, d),
        "GUILD_MEMBER_ADD" => parse_as::<ev::GuildMemberAddEvent>(t, d),
        "GUILD_MEMBER_REMOVE" => parse_as::<ev::GuildMemberRemoveEvent>(t, d),
        "GUILD_MEMBERS_CHUNK" => parse_as::<ev::GuildMembersChunkEvent>(t, d),
        "INTERACTION_CREATE" => parse_as::<ev::InteractionCreateEvent>(t, d),
        "MESSAGE_CREATE" => parse_as::<ev::MessageCreateEvent>(t, d),
        "MESSAGE_UPDATE" => parse_as::<ev::MessageUpdateEvent>(t, d),
        "MESSAGE_DELETE" => parse_as::<ev::MessageDeleteEvent>(t, d),
        "CHANNEL_CREATE" => parse_as::<ev::ChannelCreateEvent>(t, d),
        "CHANNEL_UPDATE" => parse_as::<ev::ChannelUpdateEvent>(t, d),
        "THREAD_CREATE" => parse_as::<ev::ThreadCreateEvent>(t, d),
        "THREAD_UPDATE" => parse_as::<ev::ThreadUpdateEvent>(t, d),
        "THREAD_DELETE" => parse_as::<ev::ThreadDeleteEvent>(t, d),
        "THREAD_MEMBER_UPDATE" => parse_as::<ev::ThreadMemberUpdateEvent>(t, d),
        "THREAD_MEMBERS_UPDATE" => parse_as::<ev::ThreadMembersUpdateEvent>(t, d),
        "THREAD_LIST_SYNC" => parse_as::<ev::ThreadListSyncEvent>(t, d),
        _ => Ok(()),
    }
}

/// Check a whole gateway dispatch (`{"op":0,"s":..,"t":..,"d":..}`) the way serenity's shard
/// reads it: it must become `GatewayEvent::Dispatch` with a known `Event`, never `Unknown`.
pub fn check_dispatch(payload: &Value) -> Result<(), String> {
    let t = payload
        .get("t")
        .and_then(Value::as_str)
        .ok_or("dispatch without a string `t`")?;
    let d = payload.get("d").ok_or("dispatch without `d`")?;
    // The concrete type first: its serde error names the missing or malformed field.
    parse_concrete(t, d)?;
    match serde_json::from_value::<GatewayEvent>(payload.clone()) {
        Ok(GatewayEvent::Dispatch(_, Event::Unknown(_))) => Err(format!(
            "serenity parsed {t} as Event::Unknown: the bot would never see it\npayload: {payload}"
        )),
        Ok(GatewayEvent::Dispatch(_, _)) => Ok(()),
        Ok(other) => Err(format!("{t} parsed as {other:?}, not as a dispatch")),
        Err(e) => Err(format!(
            "serenity cannot parse the {t} frame: {e}\npayload: {payload}"
        )),
    }
}

/// Panics with serenity's serde error unless the gateway dispatch parses as a known event.
///
/// Accepts either a full frame (`op`/`s`/`t`/`d`) or `{"t": .., "d": ..}` (then `op` 0 and `s` 1
/// are assumed).
pub fn assert_parses_in_serenity(event_json: &Value) {
    let mut frame = event_json.clone();
    if frame.get("op").is_none() {
        frame["op"] = Value::from(0);
    }
    if frame.get("s").map_or(true, Value::is_null) {
        frame["s"] = Value::from(1);
    }
    if let Err(e) = check_dispatch(&frame) {
        panic!("discord stand-in sent an event serenity 0.12.5 does not understand: {e}");
    }
}

/// Check a non-dispatch gateway frame (HELLO, HEARTBEAT_ACK, INVALID_SESSION...).
pub fn check_control_frame(payload: &Value) -> Result<(), String> {
    serde_json::from_value::<GatewayEvent>(payload.clone())
        .map(|_| ())
        .map_err(|e| format!("serenity cannot parse gateway frame {payload}: {e}"))
}

/// The serenity type a REST answer is decoded into.
#[derive(Clone, Copy, Debug)]
pub enum RestShape {
    Message,
    Messages,
    Channel,
    PrivateChannel,
    GuildChannel,
    GuildChannels,
    Member,
    CurrentUser,
    User,
    Application,
    Command,
    Commands,
    ThreadMember,
    ThreadMembers,
    Roles,
}

/// Check that a REST answer parses as the serenity type the bot decodes it into.
pub fn check_rest_response(shape: RestShape, body: &Value) -> Result<(), String> {
    use serenity::model::prelude as m;
    let what = format!("{shape:?} response");
    match shape {
        RestShape::Message => parse_as::<m::Message>(&what, body),
        RestShape::Messages => parse_as::<Vec<m::Message>>(&what, body),
        RestShape::Channel => parse_as::<m::Channel>(&what, body),
        RestShape::PrivateChannel => parse_as::<m::PrivateChannel>(&what, body),
        RestShape::GuildChannel => parse_as::<m::GuildChannel>(&what, body),
        RestShape::GuildChannels => parse_as::<Vec<m::GuildChannel>>(&what, body),
        RestShape::Member => parse_as::<m::Member>(&what, body),
        RestShape::CurrentUser => parse_as::<m::CurrentUser>(&what, body),
        RestShape::User => parse_as::<m::User>(&what, body),
        RestShape::Application => parse_as::<m::CurrentApplicationInfo>(&what, body),
        RestShape::Command => parse_as::<m::Command>(&what, body),
        RestShape::Commands => parse_as::<Vec<m::Command>>(&what, body),
        RestShape::ThreadMember => parse_as::<m::ThreadMember>(&what, body),
        RestShape::ThreadMembers => parse_as::<Vec<m::ThreadMember>>(&what, body),
        RestShape::Roles => parse_as::<Vec<m::Role>>(&what, body),
    }
}
