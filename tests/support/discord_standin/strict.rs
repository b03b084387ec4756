//! Proof that what the stand-in sends is what serenity 0.12.5 understands.
//!
//! serenity parses a gateway dispatch it cannot deserialise as `Event::Unknown` and the bot's
//! handler silently never runs. So every dispatch goes through [`check_dispatch`] before it is
//! sent, and every REST answer that serenity decodes into a model type goes through
//! [`check_rest_response`]. Both check the text as serenity will read it, parsed once.

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

/// [`check_dispatch`] of a frame given as the text serenity will read. The one parse serenity
/// makes decides; only a frame it refuses is parsed again, as a value and by its concrete type,
/// for the error that names the field.
pub fn check_dispatch_text(text: &str) -> Result<(), String> {
    if let Ok(GatewayEvent::Dispatch(_, event)) = serde_json::from_str::<GatewayEvent>(text) {
        if !matches!(event, Event::Unknown(_)) {
            return Ok(());
        }
    }
    let frame: Value =
        serde_json::from_str(text).map_err(|e| format!("dispatch is not JSON: {e}"))?;
    check_dispatch(&frame)?;
    Err(format!("serenity cannot parse the frame {text}"))
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

/// [`check_rest_response`] of an answer given as the text the bot will read.
pub fn check_rest_text(shape: RestShape, text: &str) -> Result<(), String> {
    use serenity::model::prelude as m;
    fn parse<T: DeserializeOwned>(shape: RestShape, text: &str) -> Result<(), String> {
        serde_json::from_str::<T>(text)
            .map(|_| ())
            .map_err(|e| format!("serenity cannot parse {shape:?} response: {e}\npayload: {text}"))
    }
    match shape {
        RestShape::Message => parse::<m::Message>(shape, text),
        RestShape::Messages => parse::<Vec<m::Message>>(shape, text),
        RestShape::Channel => parse::<m::Channel>(shape, text),
        RestShape::PrivateChannel => parse::<m::PrivateChannel>(shape, text),
        RestShape::GuildChannel => parse::<m::GuildChannel>(shape, text),
        RestShape::GuildChannels => parse::<Vec<m::GuildChannel>>(shape, text),
        RestShape::Member => parse::<m::Member>(shape, text),
        RestShape::CurrentUser => parse::<m::CurrentUser>(shape, text),
        RestShape::User => parse::<m::User>(shape, text),
        RestShape::Application => parse::<m::CurrentApplicationInfo>(shape, text),
        RestShape::Command => parse::<m::Command>(shape, text),
        RestShape::Commands => parse::<Vec<m::Command>>(shape, text),
        RestShape::ThreadMember => parse::<m::ThreadMember>(shape, text),
        RestShape::ThreadMembers => parse::<Vec<m::ThreadMember>>(shape, text),
        RestShape::Roles => parse::<Vec<m::Role>>(shape, text),
    }
}

/// Check that a REST answer parses as the serenity type the bot decodes it into.
pub fn check_rest_response(shape: RestShape, body: &Value) -> Result<(), String> {
    check_rest_text(shape, &body.to_string())
}
