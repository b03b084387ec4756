//! Interaction callbacks (`POST /interactions/{id}/{token}/callback`) and the interaction
//! webhook routes (follow-ups, `@original` edits), with Discord's rules for each.

use serde_json::{json, Value};

use super::http::{Reply, Req};
use super::limits;
use super::messages::{
    create, delete, edit, edit_with_files, internal, NewMessage, EPHEMERAL, LOADING,
};
use super::state::{Callback, MessageSource, Shared, State};
use super::strict::RestShape;

/// Follow-ups and edits through an interaction token die after 15 minutes.
const TOKEN_LIFETIME: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// What the callback routes read of an interaction's record: not its payload, which is large
/// and was copied on every callback.
struct Brief {
    id: u64,
    token: String,
    kind: u8,
    channel_id: u64,
    message_id: Option<u64>,
    sent_at: std::time::Instant,
    /// The type of the first callback, once answered.
    answered: Option<u8>,
    original_message_id: Option<u64>,
    followups: Vec<u64>,
}

impl Brief {
    fn of(r: &super::state::InteractionRecord) -> Brief {
        Brief {
            id: r.id,
            token: r.token.clone(),
            kind: r.kind,
            channel_id: r.channel_id,
            message_id: r.message_id,
            sent_at: r.sent_at,
            answered: r.callback.as_ref().map(|c| c.kind),
            original_message_id: r.original_message_id,
            followups: r.followups.clone(),
        }
    }
}

/// `POST /interactions/{id}/{token}/callback`.
pub(crate) fn interaction_callback(
    shared: &Shared,
    st: &mut State,
    req: &Req,
    iid: u64,
    token: &str,
) -> Reply {
    const ROUTE: &str = "interaction-callback";
    let Some(rec) = st.interaction(iid).map(Brief::of) else {
        return Reply::refuse(
            ROUTE,
            404,
            10062,
            "Unknown interaction",
            format!("callback for unknown interaction {iid}"),
        );
    };
    if rec.token != token {
        return Reply::refuse(
            ROUTE,
            401,
            50027,
            "Invalid Webhook Token",
            format!("callback for {iid} with the wrong token"),
        );
    }
    let kind = req.body.get("type").and_then(Value::as_u64).unwrap_or(0) as u8;
    if let Some(first) = rec.answered {
        let rule = if kind == 9 {
            format!("interaction {iid}: a modal can only be the first response (already answered with type {first})")
        } else {
            format!(
                "interaction {iid} answered twice (first with type {first}); use follow-ups or edits"
            )
        };
        return Reply::refuse(
            ROUTE,
            400,
            40060,
            "Interaction has already been acknowledged.",
            rule,
        );
    }
    let after = req.at.saturating_duration_since(rec.sent_at);
    if after > shared.config.interaction_deadline {
        return Reply::refuse(
            ROUTE,
            404,
            10062,
            "Unknown interaction",
            format!(
                "interaction {iid} answered after {} ms; Discord allows {} ms",
                after.as_millis(),
                shared.config.interaction_deadline.as_millis()
            ),
        );
    }
    let data = req.body.get("data").cloned().unwrap_or(Value::Null);
    let from_component_message = rec.message_id.is_some();
    let allowed = match (rec.kind, kind) {
        (4, 8) => true,
        (4, _) | (_, 8) => false,
        (2 | 3 | 5, 4 | 5) => true,
        (3, 6 | 7) => true,
        (5, 6 | 7) => from_component_message,
        (2 | 3, 9) => true,
        _ => false,
    };
    if !allowed {
        let why = match (rec.kind, kind) {
            (5, 9) => "a modal submit cannot be answered with another modal".to_owned(),
            (_, 9) => "a modal can only be the first response to a command or component".to_owned(),
            (4, k) => format!("autocomplete can only be answered with type 8 (got {k})"),
            (i, k) => format!("callback type {k} is not valid for interaction type {i}"),
        };
        return Reply::refuse(
            ROUTE,
            400,
            50035,
            "Invalid Form Body",
            format!("interaction {iid}: {why}"),
        );
    }
    let problems = match kind {
        4 => limits::message(&data, true, true),
        7 => limits::message(&data, false, false),
        8 => limits::autocomplete(&data),
        9 => limits::modal(&data),
        _ => Vec::new(),
    };
    if !problems.is_empty() {
        return Reply::invalid_form(
            ROUTE,
            problems
                .into_iter()
                .map(|(p, m)| (format!("data.{p}").replace("data.data.", "data."), m))
                .collect(),
        );
    }
    let original = match kind {
        4 | 5 => {
            let ephemeral = data.get("flags").and_then(Value::as_u64).unwrap_or(0) & EPHEMERAL;
            let extra = if kind == 5 { LOADING | ephemeral } else { 0 };
            let body = if kind == 5 { json!({}) } else { data.clone() };
            let new = NewMessage {
                channel_id: rec.channel_id,
                author_id: shared.ids.bot_user,
                source: MessageSource::InteractionResponse,
                interaction_id: Some(iid),
                body: &body,
                files: &req.files,
                extra_flags: extra,
            };
            match create(shared, st, new) {
                Ok(id) => Some(id),
                Err(e) => return internal(ROUTE, e),
            }
        }
        6 => rec.message_id,
        7 => {
            let Some(mid) = rec.message_id else {
                return internal(ROUTE, "type 7 without a message".into());
            };
            if let Err(e) = edit(shared, st, mid, &data) {
                return internal(ROUTE, e);
            }
            Some(mid)
        }
        _ => None,
    };
    let request_index = st.requests.len();
    if let Some(r) = st.interaction_mut(iid) {
        r.callback = Some(Callback {
            kind,
            data,
            after,
            request_index,
        });
        r.original_message_id = original;
    }
    Reply::no_content(ROUTE)
}

/// `/webhooks/{app}/{token}[/messages/{id|@original}]`: follow-ups and response edits.
pub(crate) fn webhook(shared: &Shared, st: &mut State, req: &Req) -> Reply {
    const ROUTE: &str = "interaction-webhook";
    if req.id(1) != Some(shared.ids.application) {
        return Reply::refuse(
            ROUTE,
            404,
            10015,
            "Unknown Webhook",
            format!("webhook for application {}", req.seg(1)),
        );
    }
    let token = req.seg(2).to_owned();
    let Some(rec) = st.interaction_by_token(&token).map(Brief::of) else {
        return Reply::refuse(
            ROUTE,
            404,
            10015,
            "Unknown Webhook",
            "webhook call with an unknown interaction token".into(),
        );
    };
    if req.at.saturating_duration_since(rec.sent_at) > TOKEN_LIFETIME {
        return Reply::refuse(
            ROUTE,
            401,
            50027,
            "Invalid Webhook Token",
            format!("interaction {} token used after 15 minutes", rec.id),
        );
    }
    if rec.answered.is_none() {
        return Reply::refuse(
            ROUTE,
            404,
            10015,
            "Unknown Webhook",
            format!(
                "webhook call for interaction {} before it was answered",
                rec.id
            ),
        );
    }
    let target = match (req.method.as_str(), req.segs.len()) {
        ("POST", 3) => None,
        (_, 5) if req.seg(3) == "messages" => {
            let wanted = if req.seg(4) == "@original" {
                rec.original_message_id
            } else {
                req.id(4)
            };
            match wanted
                .filter(|id| Some(*id) == rec.original_message_id || rec.followups.contains(id))
            {
                Some(id) if st.message(id).is_some_and(|m| !m.deleted) => Some(id),
                _ => {
                    return Reply::refuse(
                        ROUTE,
                        404,
                        10008,
                        "Unknown Message",
                        format!("interaction {}: no message {}", rec.id, req.seg(4)),
                    )
                }
            }
        }
        _ => return Reply::error(None, 404, 0, "404: Not Found"),
    };
    match (req.method.as_str(), target) {
        ("POST", None) => {
            let problems = limits::message(&req.body, true, true);
            if !problems.is_empty() {
                return Reply::invalid_form(ROUTE, problems);
            }
            // The first follow-up after a deferred answer replaces the "thinking" message.
            let loading = rec
                .original_message_id
                .filter(|id| st.message(*id).is_some_and(|m| m.flags() & LOADING != 0));
            let id = if let Some(id) = loading {
                match edit_with_files(shared, st, id, &req.body, &req.files) {
                    Ok(_) => id,
                    Err(e) => return internal(ROUTE, e),
                }
            } else {
                let new = NewMessage {
                    channel_id: rec.channel_id,
                    author_id: shared.ids.bot_user,
                    source: MessageSource::Followup,
                    interaction_id: Some(rec.id),
                    body: &req.body,
                    files: &req.files,
                    extra_flags: 0,
                };
                match create(shared, st, new) {
                    Ok(id) => id,
                    Err(e) => return internal(ROUTE, e),
                }
            };
            if let Some(r) = st.interaction_mut(rec.id) {
                if !r.followups.contains(&id) && Some(id) != r.original_message_id {
                    r.followups.push(id);
                }
            }
            Reply::ok(
                ROUTE,
                RestShape::Message,
                st.message(id).map(|m| m.json.clone()).unwrap_or_default(),
            )
        }
        ("GET", Some(id)) => Reply::ok(
            ROUTE,
            RestShape::Message,
            st.message(id).map(|m| m.json.clone()).unwrap_or_default(),
        ),
        ("PATCH", Some(id)) => {
            let problems = limits::message(&req.body, false, false);
            if !problems.is_empty() {
                return Reply::invalid_form(ROUTE, problems);
            }
            match edit_with_files(shared, st, id, &req.body, &req.files) {
                Ok(json) => Reply::ok(ROUTE, RestShape::Message, json),
                Err(e) => internal(ROUTE, e),
            }
        }
        ("DELETE", Some(id)) => match delete(shared, st, id) {
            Ok(()) => Reply::no_content(ROUTE),
            Err(e) => internal(ROUTE, e),
        },
        _ => Reply::error(None, 405, 0, "405: Method Not Allowed"),
    }
}
