//! The gateway: a plain `ws://` WebSocket server speaking Discord's v10 protocol closely enough
//! for serenity's shard: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME with replay.

use std::sync::Arc;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::model;
use super::state::{intents, Conn, SentEvent, Session, Shared, State, Violation, WithheldEvent};
use super::strict;

pub(crate) async fn serve(shared: Arc<Shared>, listener: TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            if let Err(e) = connection(Arc::clone(&shared), stream).await {
                shared
                    .lock()
                    .internal_errors
                    .push(format!("gateway connection: {e}"));
                shared.changed();
            }
        });
    }
}

async fn connection(shared: Arc<Shared>, stream: TcpStream) -> Result<(), String> {
    let ws = tokio_tungstenite::accept_async(stream)
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    let (mut sink, mut incoming) = ws.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<WsMessage>();
    let conn_id = {
        let mut st = shared.lock();
        st.gateway.next_conn_id += 1;
        st.gateway.connections += 1;
        st.gateway.next_conn_id
    };
    shared.changed();

    let writer = tokio::spawn(async move {
        while let Some(msg) = rx.recv().await {
            let closing = matches!(msg, WsMessage::Close(_));
            if sink.send(msg).await.is_err() || closing {
                break;
            }
        }
    });

    let hello = json!({"op": 10, "s": null, "t": null,
        "d": {"heartbeat_interval": shared.config.heartbeat_interval.as_millis() as u64}});
    strict::check_control_frame(&hello)?;
    let _ = tx.send(WsMessage::Text(hello.to_string()));

    while let Some(frame) = incoming.next().await {
        match frame {
            Ok(WsMessage::Text(text)) => on_frame(&shared, conn_id, &tx, &text),
            Ok(WsMessage::Close(frame)) => {
                let code = frame.map(|f| u16::from(f.code));
                shared.lock().gateway.client_closes.push(code);
                break;
            }
            Err(_) => break,
            Ok(_) => {}
        }
    }

    {
        let mut st = shared.lock();
        if st.gateway.current.as_ref().map(|c| c.id) == Some(conn_id) {
            st.gateway.current = None;
        }
    }
    shared.changed();
    drop(tx);
    let _ = writer.await;
    Ok(())
}

fn close_frame(code: u16, reason: &str) -> WsMessage {
    WsMessage::Close(Some(CloseFrame {
        code: CloseCode::from(code),
        reason: reason.to_owned().into(),
    }))
}

fn protocol_violation(st: &mut State, rule: String) {
    st.violations.push(Violation {
        method: "GATEWAY".into(),
        path: "/".into(),
        rule,
    });
}

fn on_frame(shared: &Shared, conn_id: u64, tx: &mpsc::UnboundedSender<WsMessage>, text: &str) {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        protocol_violation(
            &mut shared.lock(),
            format!("gateway: invalid JSON frame {text:?}"),
        );
        let _ = tx.send(close_frame(4002, "Error while decoding payload."));
        shared.changed();
        return;
    };
    let op = frame.get("op").and_then(Value::as_u64).unwrap_or(u64::MAX);
    let d = frame.get("d").cloned().unwrap_or(Value::Null);
    let mut st = shared.lock();
    match op {
        1 => {
            st.gateway.heartbeats += 1;
            st.gateway.last_heartbeat_seq = d.as_u64();
            let _ = tx.send(WsMessage::Text(
                json!({"op": 11, "s": null, "t": null, "d": null}).to_string(),
            ));
        }
        2 => identify(shared, &mut st, conn_id, tx, d),
        6 => resume(shared, &mut st, conn_id, tx, d),
        3 | 4 => {} // presence / voice state updates: accepted, nothing to do.
        8 => {
            let members: Vec<Value> = st
                .users
                .iter()
                .filter(|u| u.in_guild)
                .map(|u| model::member_json(&st, &shared.ids, u, false))
                .collect();
            let nonce = d.get("nonce").cloned().unwrap_or(Value::Null);
            let chunk = json!({"guild_id": shared.ids.guild.to_string(), "members": members,
                "chunk_index": 0, "chunk_count": 1, "not_found": [], "nonce": nonce});
            let result = dispatch_locked(shared, &mut st, "GUILD_MEMBERS_CHUNK", chunk);
            report(&mut st, result);
        }
        other => {
            protocol_violation(
                &mut st,
                format!("gateway: unknown opcode {other} in {text}"),
            );
            let _ = tx.send(close_frame(4001, "Unknown opcode."));
        }
    }
    drop(st);
    shared.changed();
}

fn report(st: &mut State, result: Result<Option<u64>, String>) {
    if let Err(e) = result {
        st.internal_errors.push(e);
    }
}

fn token_ok(shared: &Shared, d: &Value) -> bool {
    let expected = format!("Bot {}", shared.config.token);
    d.get("token")
        .and_then(Value::as_str)
        .map(|t| t == expected || t == shared.config.token)
        == Some(true)
}

fn identify(
    shared: &Shared,
    st: &mut State,
    conn_id: u64,
    tx: &mpsc::UnboundedSender<WsMessage>,
    d: Value,
) {
    st.gateway.identifies.push(d.clone());
    if !token_ok(shared, &d) {
        protocol_violation(
            st,
            "gateway: IDENTIFY with a token the stand-in did not issue".into(),
        );
        let _ = tx.send(close_frame(4004, "Authentication failed."));
        return;
    }
    if let Some((shard, total)) = shared.config.guild_shard {
        let asked = d.get("shard").cloned().unwrap_or(json!([0, 1]));
        if asked != json!([shard, total]) {
            protocol_violation(
                st,
                format!("gateway: IDENTIFY as shard {asked} but guild {} is on shard [{shard}, {total}]", shared.ids.guild),
            );
        }
    }
    st.gateway.sessions_started += 1;
    let session_id = format!("standin-session-{}", st.gateway.sessions_started);
    let intents = d.get("intents").and_then(Value::as_u64).unwrap_or(0);
    st.gateway.session = Some(Session {
        id: session_id.clone(),
        seq: 0,
        intents,
        events: Vec::new(),
    });
    st.gateway.current = Some(Conn {
        id: conn_id,
        tx: tx.clone(),
    });

    let bot = st.user(shared.ids.bot_user).cloned();
    let mut user = bot.as_ref().map(model::user_json).unwrap_or(Value::Null);
    user["verified"] = json!(true);
    user["mfa_enabled"] = json!(false);
    user["email"] = Value::Null;
    let ready = json!({
        "v": 10,
        "user": user,
        "guilds": [{"id": shared.ids.guild.to_string(), "unavailable": true}],
        "session_id": session_id,
        "resume_gateway_url": shared.gateway_url(),
        "shard": d.get("shard").cloned().unwrap_or(json!([0, 1])),
        "application": {"id": shared.ids.application.to_string(), "flags": 0},
        "private_channels": [],
        "presences": [],
        "relationships": [],
        "guild_join_requests": [],
        "user_settings": {},
        "geo_ordered_rtc_regions": [],
        "session_type": "normal",
        "auth": {},
    });
    let result = dispatch_locked(shared, st, "READY", ready);
    report(st, result);
    let guild = model::guild_json(st, &shared.ids);
    let result = dispatch_locked(shared, st, "GUILD_CREATE", guild);
    report(st, result);
}

fn resume(
    shared: &Shared,
    st: &mut State,
    conn_id: u64,
    tx: &mpsc::UnboundedSender<WsMessage>,
    d: Value,
) {
    st.gateway.resumes.push(d.clone());
    if !token_ok(shared, &d) {
        protocol_violation(
            st,
            "gateway: RESUME with a token the stand-in did not issue".into(),
        );
        let _ = tx.send(close_frame(4004, "Authentication failed."));
        return;
    }
    let wanted = d
        .get("session_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let after = d.get("seq").and_then(Value::as_u64).unwrap_or(0);
    let replay: Option<Vec<String>> =
        st.gateway
            .session
            .as_ref()
            .filter(|s| s.id == wanted)
            .map(|s| {
                s.events
                    .iter()
                    .filter(|(seq, _)| *seq > after)
                    .map(|(_, text)| text.clone())
                    .collect()
            });
    let Some(replay) = replay else {
        // Unknown session: Discord answers INVALID_SESSION (not resumable).
        let _ = tx.send(WsMessage::Text(
            json!({"op": 9, "s": null, "t": null, "d": false}).to_string(),
        ));
        return;
    };
    for text in replay {
        let _ = tx.send(WsMessage::Text(text));
    }
    st.gateway.current = Some(Conn {
        id: conn_id,
        tx: tx.clone(),
    });
    let result = dispatch_locked(shared, st, "RESUMED", json!({}));
    report(st, result);
}

/// The intent Discord requires before it delivers a dispatch (0: none).
fn required_intent(name: &str, d: &Value, bot_user: u64) -> u64 {
    match name {
        "GUILD_CREATE"
        | "CHANNEL_CREATE"
        | "CHANNEL_UPDATE"
        | "CHANNEL_DELETE"
        | "THREAD_CREATE"
        | "THREAD_UPDATE"
        | "THREAD_DELETE"
        | "THREAD_LIST_SYNC"
        | "THREAD_MEMBER_UPDATE" => intents::GUILDS,
        "THREAD_MEMBERS_UPDATE" => {
            let bot = bot_user.to_string();
            let only_bot = d["added_members"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|m| m["user_id"].as_str() == Some(bot.as_str()))
                && d["removed_member_ids"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .all(|u| u.as_str() == Some(bot.as_str()));
            if only_bot {
                intents::GUILDS
            } else {
                intents::GUILDS | intents::GUILD_MEMBERS
            }
        }
        "GUILD_MEMBER_ADD" | "GUILD_MEMBER_UPDATE" | "GUILD_MEMBER_REMOVE" => {
            intents::GUILD_MEMBERS
        }
        "MESSAGE_CREATE" | "MESSAGE_UPDATE" | "MESSAGE_DELETE" => intents::GUILD_MESSAGES,
        _ => 0,
    }
}

/// Without MESSAGE_CONTENT, Discord empties what other users wrote (unless the bot is mentioned).
fn strip_content_without_intent(name: &str, d: &mut Value, intents_bits: u64, bot_user: u64) {
    if !matches!(name, "MESSAGE_CREATE" | "MESSAGE_UPDATE")
        || intents_bits & intents::MESSAGE_CONTENT != 0
    {
        return;
    }
    let bot = bot_user.to_string();
    let by_bot = d.pointer("/author/id").and_then(Value::as_str) == Some(bot.as_str());
    let mentions_bot = d["mentions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|u| u["id"].as_str() == Some(bot.as_str()));
    if by_bot || mentions_bot {
        return;
    }
    for key in ["embeds", "attachments", "components"] {
        if d.get(key).is_some() {
            d[key] = json!([]);
        }
    }
    if d.get("content").is_some() {
        d["content"] = json!("");
    }
}

/// Send a dispatch on the current session: checks intents, proves serenity parses it, assigns
/// the sequence number, keeps it for RESUME and sends it if a connection is live.
///
/// `Ok(None)`: withheld because the bot lacks the intent or has no session yet. `Err`: the
/// payload would not parse in serenity (nothing is sent then).
pub(crate) fn dispatch_locked(
    shared: &Shared,
    st: &mut State,
    name: &str,
    mut d: Value,
) -> Result<Option<u64>, String> {
    let bot_user = shared.ids.bot_user;
    let Some(session) = st.gateway.session.as_ref() else {
        // No session yet: like Discord, nothing is delivered (injections check this themselves).
        st.gateway.withheld.push(WithheldEvent {
            name: name.to_owned(),
            missing_intent: 0,
        });
        return Ok(None);
    };
    let needed = required_intent(name, &d, bot_user);
    if session.intents & needed != needed {
        st.gateway.withheld.push(WithheldEvent {
            name: name.to_owned(),
            missing_intent: needed & !session.intents,
        });
        return Ok(None);
    }
    strip_content_without_intent(name, &mut d, session.intents, bot_user);
    let seq = session.seq + 1;
    // The frame as text straight away (no copy of `d` as a frame value), and
    // checked from that text, as serenity reads it.
    let text = format!(
        r#"{{"op":0,"s":{seq},"t":{},"d":{d}}}"#,
        Value::String(name.to_owned())
    );
    strict::check_dispatch_text(&text)?;
    if let Some(session) = st.gateway.session.as_mut() {
        session.seq = seq;
        session.events.push((seq, text.clone()));
    }
    let delivered_live = match &st.gateway.current {
        Some(conn) => conn.tx.send(WsMessage::Text(text)).is_ok(),
        None => false,
    };
    st.gateway.sent.push(SentEvent {
        seq,
        name: name.to_owned(),
        data: d,
        delivered_live,
    });
    Ok(Some(seq))
}

/// Close the live connection with `code` (not 1000, so serenity resumes). False if none is live.
pub(crate) fn force_close(st: &mut State, code: u16) -> bool {
    match st.gateway.current.take() {
        Some(conn) => {
            st.gateway.forced_closes += 1;
            conn.tx
                .send(close_frame(code, "stand-in forced close"))
                .is_ok()
        }
        None => false,
    }
}

/// Send a raw control frame (e.g. op 7 RECONNECT, op 9 INVALID_SESSION) on the live connection.
pub(crate) fn send_control(st: &mut State, frame: Value) -> Result<(), String> {
    strict::check_control_frame(&frame)?;
    match &st.gateway.current {
        Some(conn) => conn
            .tx
            .send(WsMessage::Text(frame.to_string()))
            .map_err(|e| e.to_string()),
        None => Err("no live gateway connection".into()),
    }
}
