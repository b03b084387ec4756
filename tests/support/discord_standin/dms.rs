//! Direct messages: `POST /users/@me/channels` opens (or returns) the DM channel with a
//! user, and posts there succeed unless the test closed that user's DMs, in which case
//! Discord's 403 50007 "Cannot send messages to this user" comes back.

use serde_json::{json, Value};

use super::http::{Reply, Req};
use super::model;
use super::state::{ChannelState, State};
use super::strict::RestShape;

/// Channel type of a DM on Discord.
pub(crate) const DM: u8 = 1;

/// `POST /users/@me/channels` with `{"recipient_id": ...}`.
pub(crate) fn open(st: &mut State, req: &Req) -> Reply {
    const ROUTE: &str = "create-dm";
    let recipient = req
        .body
        .get("recipient_id")
        .and_then(|v| v.as_str().and_then(|s| s.parse().ok()).or(v.as_u64()));
    let Some(user) = recipient.and_then(|id| st.user(id)).cloned() else {
        return Reply::refuse(
            ROUTE,
            400,
            50035,
            "Invalid Form Body",
            format!(
                "recipient_id {:?} is not a known user",
                req.body.get("recipient_id")
            ),
        );
    };
    let existing = st
        .channels
        .iter()
        .find(|c| c.kind == DM && c.owner_id == Some(user.id))
        .map(|c| c.id);
    let id = match existing {
        Some(id) => id,
        None => {
            let id = st.next_id();
            let mut ch = ChannelState::text(id, DM, "", None, 0, &model::now_timestamp());
            ch.owner_id = Some(user.id);
            st.push_channel(ch);
            id
        }
    };
    Reply::ok(
        ROUTE,
        RestShape::PrivateChannel,
        json!({
            "id": id.to_string(),
            "type": DM,
            "last_message_id": Value::Null,
            "recipients": [model::user_json(&user)],
        }),
    )
}

/// The refusal for a post to a DM channel whose recipient does not take DMs, if so.
pub(crate) fn refuse_closed(st: &State, route: &'static str, ch: &ChannelState) -> Option<Reply> {
    let recipient = ch.owner_id?;
    st.dms_closed.contains(&recipient).then(|| {
        Reply::refuse(
            route,
            403,
            50007,
            "Cannot send messages to this user",
            format!("user {recipient} does not accept direct messages"),
        )
    })
}
