//! What a Discord user does, injected as gateway events: slash commands, autocomplete, button
//! presses, select menus, modal submits, messages, joining/leaving. Each check mirrors what the
//! Discord client itself would refuse to do (unknown command, missing required option, a
//! button that does not exist, an empty required modal field...), so a test cannot inject an
//! action no real user could perform.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use super::gateway::dispatch_locked;
use super::model;
use super::state::{perms, Callback, InteractionRecord, Shared, State, StoredMessage};
use super::watch::Key;
use super::{wait_keyed, StandIn};

/// A sent interaction; await the bot's answer through it.
#[derive(Clone)]
pub struct InteractionHandle {
    shared: Arc<Shared>,
    pub id: u64,
    pub token: String,
    /// 2 command, 3 component, 4 autocomplete, 5 modal submit.
    pub kind: u8,
    pub user_id: u64,
    pub channel_id: u64,
}

impl std::fmt::Debug for InteractionHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Interaction({} type {} by {} in {})",
            self.id, self.kind, self.user_id, self.channel_id
        )
    }
}

impl InteractionHandle {
    /// The stand-in's record of this interaction (callback, messages) right now.
    pub fn record(&self) -> InteractionRecord {
        self.shared
            .lock()
            .interaction(self.id)
            .cloned()
            .expect("interaction record exists")
    }

    /// Wait for the bot's callback (`POST /interactions/{id}/{token}/callback`). Panics on timeout.
    pub async fn response(&self, timeout: Duration) -> Callback {
        let id = self.id;
        wait_keyed(
            &self.shared,
            Key::Interaction(id),
            timeout,
            &format!("the bot's answer to interaction {id}"),
            |st| st.interaction(id).and_then(|r| r.callback.clone()),
        )
        .await
    }

    /// Wait for a modal (callback type 9) and return its `data`. Panics if the answer is not a modal.
    pub async fn modal(&self, timeout: Duration) -> Value {
        let cb = self.response(timeout).await;
        assert_eq!(
            cb.kind, 9,
            "expected a modal (type 9) for {self:?}, got type {} with {}",
            cb.kind, cb.data
        );
        cb.data
    }

    /// Wait until the response message exists and is no longer "thinking" (deferred and not yet
    /// edited), and return it.
    pub async fn original_message(&self, timeout: Duration) -> StoredMessage {
        let id = self.id;
        wait_keyed(
            &self.shared,
            Key::Interaction(id),
            timeout,
            &format!("the response message of interaction {id}"),
            |st| {
                let mid = st.interaction(id)?.original_message_id?;
                st.message(mid).filter(|m| m.flags() & 128 == 0).cloned()
            },
        )
        .await
    }

    /// Follow-up messages sent through this interaction's token so far.
    pub fn followups(&self) -> Vec<StoredMessage> {
        let st = self.shared.lock();
        let ids = st
            .interaction(self.id)
            .map(|r| r.followups.clone())
            .unwrap_or_default();
        ids.iter()
            .filter_map(|id| st.message(*id).cloned())
            .collect()
    }

    /// Wait until at least `n` follow-ups exist; returns them all.
    pub async fn wait_for_followups(&self, n: usize, timeout: Duration) -> Vec<StoredMessage> {
        let id = self.id;
        wait_keyed(
            &self.shared,
            Key::Interaction(id),
            timeout,
            &format!("{n} follow-ups of interaction {id}"),
            |st| {
                let r = st.interaction(id)?;
                let list: Vec<StoredMessage> = r
                    .followups
                    .iter()
                    .filter_map(|m| st.message(*m).cloned())
                    .collect();
                (list.len() >= n).then_some(list)
            },
        )
        .await
    }
}

fn option_type_name(t: u64) -> &'static str {
    match t {
        1 => "subcommand",
        2 => "subcommand group",
        3 => "string",
        4 => "integer",
        5 => "boolean",
        6 => "user",
        7 => "channel",
        8 => "role",
        9 => "mentionable",
        10 => "number",
        11 => "attachment",
        _ => "unknown",
    }
}

fn names(list: &[Value]) -> Vec<String> {
    list.iter()
        .filter_map(|o| o["name"].as_str().map(str::to_owned))
        .collect()
}

fn opts(v: &Value) -> Vec<Value> {
    v.get("options")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

impl StandIn {
    pub(crate) fn user_can_act(&self, st: &State, user_id: u64, channel_id: u64) {
        assert!(
            st.gateway.session.is_some(),
            "the bot has no gateway session yet: call wait_for_ready before injecting user actions"
        );
        let user = st
            .user(user_id)
            .unwrap_or_else(|| panic!("unknown user {user_id}"));
        assert!(user.in_guild, "{} is not in the guild any more", user.name);
        let ch = st
            .channel(channel_id)
            .unwrap_or_else(|| panic!("unknown channel {channel_id}"));
        let bits = st.member_permissions(&self.shared.ids, user_id);
        if ch.kind == 12 && !ch.members.contains(&user_id) && bits & perms::MANAGE_THREADS == 0 {
            panic!("{} cannot see private thread {channel_id} (not a member): Discord would not let them act there", user.name);
        }
    }

    /// Common interaction fields for a user in a channel.
    fn interaction_base(
        &self,
        st: &mut State,
        kind: u8,
        user_id: u64,
        channel_id: u64,
    ) -> (u64, String, Value) {
        let ids = &self.shared.ids;
        let id = st.next_id();
        let token = format!("standin-interaction-token-{id}-{}", st.interactions.len());
        let user = st.user(user_id).cloned().expect("user checked");
        let ch = st.channel(channel_id).cloned().expect("channel checked");
        let user_perms = st.member_permissions(ids, user_id);
        let payload = json!({
            "id": id.to_string(),
            "application_id": ids.application.to_string(),
            "type": kind,
            "token": token,
            "version": 1,
            "guild_id": ids.guild.to_string(),
            "channel": model::partial_channel_json(ids, &ch, user_perms),
            "channel_id": channel_id.to_string(),
            "member": model::member_json(st, ids, &user, true),
            "app_permissions": st.bot_permissions.to_string(),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": ids.guild.to_string()},
            "context": 0,
            "attachment_size_limit": 10_485_760,
        });
        (id, token, payload)
    }

    /// Record and dispatch an INTERACTION_CREATE; panics if serenity would not parse it.
    fn send_interaction(&self, st: &mut State, record: InteractionRecord) -> InteractionHandle {
        let handle = InteractionHandle {
            shared: Arc::clone(&self.shared),
            id: record.id,
            token: record.token.clone(),
            kind: record.kind,
            user_id: record.user_id,
            channel_id: record.channel_id,
        };
        let payload = record.payload.clone();
        st.push_interaction(record);
        match dispatch_locked(&self.shared, st, "INTERACTION_CREATE", payload) {
            Ok(Some(_)) => {}
            Ok(None) => panic!("INTERACTION_CREATE was withheld: the bot has no gateway session"),
            Err(e) => panic!("discord stand-in: {e}"),
        }
        if let Some(r) = st.interaction_mut(handle.id) {
            r.sent_at = Instant::now();
        }
        handle
    }

    fn find_command(&self, st: &State, name: &str) -> Value {
        st.guild_commands
            .iter()
            .chain(st.global_commands.iter())
            .find(|c| c["name"].as_str() == Some(name) && c["type"].as_u64().unwrap_or(1) == 1)
            .cloned()
            .unwrap_or_else(|| {
                let mut all = names(&st.guild_commands);
                all.extend(names(&st.global_commands));
                panic!("slash command /{name} is not registered (registered: {all:?}); has the bot registered its commands yet?")
            })
    }

    /// Build `data.options` for `path` ("cmd sub" or "cmd group sub") with leaf `values`.
    /// Returns (command json, options, resolved).
    fn command_options(
        &self,
        st: &mut State,
        path: &str,
        values: &[(&str, Value)],
        focused: Option<(&str, &str)>,
    ) -> (Value, Vec<Value>, Value) {
        let ids = &self.shared.ids;
        let mut words = path.split_whitespace();
        let name = words.next().expect("command path is empty");
        let command = self.find_command(st, name);
        let mut chain: Vec<(String, u64)> = Vec::new();
        let mut schema = command.clone();
        for word in words {
            let children = opts(&schema);
            let child = children
                .iter()
                .find(|o| {
                    o["name"].as_str() == Some(word) && matches!(o["type"].as_u64(), Some(1 | 2))
                })
                .unwrap_or_else(|| {
                    panic!(
                        "/{path}: {word:?} is not a subcommand here (choices: {:?})",
                        names(&children)
                    )
                })
                .clone();
            chain.push((word.to_owned(), child["type"].as_u64().unwrap_or(1)));
            schema = child;
        }
        let leaf = opts(&schema);
        if leaf
            .iter()
            .any(|o| matches!(o["type"].as_u64(), Some(1 | 2)))
        {
            panic!("/{path} needs a subcommand: one of {:?}", names(&leaf));
        }
        let mut resolved = json!({});
        let mut out = Vec::new();
        for (opt_name, value) in values {
            let def = leaf
                .iter()
                .find(|o| o["name"].as_str() == Some(*opt_name))
                .unwrap_or_else(|| {
                    panic!(
                        "/{path} has no option {opt_name:?} (options: {:?})",
                        names(&leaf)
                    )
                });
            let t = def["type"].as_u64().unwrap_or(3);
            let v = self.option_value(st, path, opt_name, def, t, value, &mut resolved);
            out.push(json!({"name": opt_name, "type": t, "value": v}));
        }
        if let Some((opt_name, partial)) = focused {
            let def = leaf
                .iter()
                .find(|o| o["name"].as_str() == Some(opt_name))
                .unwrap_or_else(|| {
                    panic!(
                        "/{path} has no option {opt_name:?} (options: {:?})",
                        names(&leaf)
                    )
                });
            assert!(
                def["autocomplete"].as_bool() == Some(true),
                "/{path} option {opt_name:?} does not have autocomplete enabled"
            );
            out.retain(|o| o["name"].as_str() != Some(opt_name));
            out.push(
                json!({"name": opt_name, "type": def["type"], "value": partial, "focused": true}),
            );
        } else {
            for def in &leaf {
                let n = def["name"].as_str().unwrap_or_default();
                if def["required"].as_bool() == Some(true) && !values.iter().any(|(k, _)| *k == n) {
                    panic!("/{path}: required option {n:?} missing: Discord would not send the command");
                }
            }
        }
        for (word, t) in chain.into_iter().rev() {
            out = vec![json!({"name": word, "type": t, "options": out})];
        }
        let _ = ids;
        (command, out, resolved)
    }

    #[allow(clippy::too_many_arguments)]
    fn option_value(
        &self,
        st: &mut State,
        path: &str,
        name: &str,
        def: &Value,
        t: u64,
        value: &Value,
        resolved: &mut Value,
    ) -> Value {
        let ids = &self.shared.ids;
        let bad = |what: &str| -> ! {
            panic!(
                "/{path} option {name:?} ({}) : {what} (got {value})",
                option_type_name(t)
            )
        };
        let as_id = |v: &Value| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        };
        let v = match t {
            3 => {
                let s = value.as_str().unwrap_or_else(|| bad("expected a string"));
                let n = s.chars().count() as u64;
                if def["min_length"].as_u64().is_some_and(|m| n < m)
                    || def["max_length"].as_u64().is_some_and(|m| n > m)
                {
                    bad("length outside min_length/max_length");
                }
                json!(s)
            }
            4 => json!(value.as_i64().unwrap_or_else(|| bad("expected an integer"))),
            10 => json!(value.as_f64().unwrap_or_else(|| bad("expected a number"))),
            5 => json!(value.as_bool().unwrap_or_else(|| bad("expected a boolean"))),
            6 | 9 => {
                let id = as_id(value).unwrap_or_else(|| bad("expected a user id"));
                let user = st.user(id).unwrap_or_else(|| bad("unknown user"));
                resolved["users"][id.to_string()] = model::user_json(user);
                if user.in_guild {
                    let mut member = model::member_json(st, ids, user, true);
                    if let Some(o) = member.as_object_mut() {
                        o.remove("user");
                    }
                    resolved["members"][id.to_string()] = member;
                }
                json!(id.to_string())
            }
            7 => {
                let id = as_id(value).unwrap_or_else(|| bad("expected a channel id"));
                let ch = st.channel(id).unwrap_or_else(|| bad("unknown channel"));
                resolved["channels"][id.to_string()] =
                    model::partial_channel_json(ids, ch, st.bot_permissions);
                json!(id.to_string())
            }
            8 => {
                // Adapted for interview-bot: Discord resolves role options too.
                let id = as_id(value).unwrap_or_else(|| bad("expected a role id"));
                let role = model::roles_json(st, ids)
                    .into_iter()
                    .find(|r| r["id"].as_str() == Some(id.to_string().as_str()))
                    .unwrap_or_else(|| bad("unknown role"));
                resolved["roles"][id.to_string()] = role;
                json!(id.to_string())
            }
            11 => {
                // Adapted for interview-bot: an attached file, given as
                // {"filename", "content", "content_type"?}; its URL points
                // at the stand-in, which serves the bytes.
                let filename = value["filename"]
                    .as_str()
                    .unwrap_or_else(|| bad("expected {filename, content}"));
                let content = value["content"]
                    .as_str()
                    .map(|s| s.as_bytes().to_vec())
                    .or_else(|| {
                        value["bytes"].as_array().map(|b| {
                            b.iter()
                                .filter_map(|x| x.as_u64())
                                .map(|x| x as u8)
                                .collect()
                        })
                    })
                    .unwrap_or_else(|| bad("expected {filename, content}"));
                let id = st.next_id();
                let path = format!("/attachments/{id}/{filename}");
                let url = format!("{}{path}", self.shared.api_base());
                resolved["attachments"][id.to_string()] = json!({
                    "id": id.to_string(),
                    "filename": filename,
                    "size": content.len(),
                    "url": url,
                    "proxy_url": url,
                    "content_type": value.get("content_type").cloned().unwrap_or(Value::Null),
                });
                st.uploads.insert(path, content);
                json!(id.to_string())
            }
            _ => bad("option type not supported by the stand-in"),
        };
        if (t == 4 || t == 10)
            && (def["min_value"]
                .as_f64()
                .is_some_and(|m| v.as_f64() < Some(m))
                || def["max_value"]
                    .as_f64()
                    .is_some_and(|m| v.as_f64() > Some(m)))
        {
            bad("outside min_value/max_value");
        }
        if let Some(choices) = def["choices"].as_array().filter(|c| !c.is_empty()) {
            if !choices.iter().any(|c| c["value"] == v) {
                bad("not one of the option's choices");
            }
        }
        v
    }

    /// A user runs a slash command. `command` is the path as typed without options:
    /// `"interview"`, `"interview start"` or `"admin bank reload"`. Option types and nesting
    /// come from the command the bot registered, as the Discord client does.
    pub fn slash_command(
        &self,
        user_id: u64,
        channel_id: u64,
        command: &str,
        options: &[(&str, Value)],
    ) -> InteractionHandle {
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        self.user_can_act(st, user_id, channel_id);
        let (cmd, options, resolved) = self.command_options(st, command, options, None);
        let (id, token, mut payload) = self.interaction_base(st, 2, user_id, channel_id);
        payload["data"] = command_data(&cmd, options, resolved);
        let record = new_record(id, token, 2, user_id, channel_id, None, payload);
        let handle = self.send_interaction(st, record);
        drop(guard);
        self.shared.changed();
        handle
    }

    /// A slash command from a client whose copy of the command is out of date (the options
    /// changed since it was cached): `options` are (name, type, value) sent as given, without
    /// the checks a current client makes (types, ranges, choices). The command path must still
    /// be registered. `resolved` becomes the payload's resolved data.
    pub fn slash_command_unchecked(
        &self,
        user_id: u64,
        channel_id: u64,
        command: &str,
        options: &[(&str, u64, Value)],
        resolved: Value,
    ) -> InteractionHandle {
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        self.user_can_act(st, user_id, channel_id);
        let mut words = command.split_whitespace();
        let cmd = self.find_command(st, words.next().expect("command path is empty"));
        let mut chain: Vec<(String, u64)> = Vec::new();
        let mut schema = cmd.clone();
        for word in words {
            let child = opts(&schema)
                .into_iter()
                .find(|o| o["name"].as_str() == Some(word))
                .unwrap_or_else(|| panic!("/{command}: {word:?} is not a subcommand here"));
            chain.push((word.to_owned(), child["type"].as_u64().unwrap_or(1)));
            schema = child;
        }
        let mut out: Vec<Value> = options
            .iter()
            .map(|(name, t, value)| json!({"name": name, "type": t, "value": value}))
            .collect();
        for (word, t) in chain.into_iter().rev() {
            out = vec![json!({"name": word, "type": t, "options": out})];
        }
        let (id, token, mut payload) = self.interaction_base(st, 2, user_id, channel_id);
        payload["data"] = command_data(&cmd, out, resolved);
        let record = new_record(id, token, 2, user_id, channel_id, None, payload);
        let handle = self.send_interaction(st, record);
        drop(guard);
        self.shared.changed();
        handle
    }

    /// A user types in an autocomplete option: `focused` is (option name, what is typed so far).
    pub fn autocomplete(
        &self,
        user_id: u64,
        channel_id: u64,
        command: &str,
        options: &[(&str, Value)],
        focused: (&str, &str),
    ) -> InteractionHandle {
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        self.user_can_act(st, user_id, channel_id);
        let (cmd, options, resolved) = self.command_options(st, command, options, Some(focused));
        let (id, token, mut payload) = self.interaction_base(st, 4, user_id, channel_id);
        payload["data"] = command_data(&cmd, options, resolved);
        let record = new_record(id, token, 4, user_id, channel_id, None, payload);
        let handle = self.send_interaction(st, record);
        drop(guard);
        self.shared.changed();
        handle
    }

    fn component_on(
        &self,
        st: &State,
        user_id: u64,
        message_id: u64,
        custom_id: &str,
    ) -> (StoredMessage, Value) {
        let msg = st
            .message(message_id)
            .filter(|m| !m.deleted)
            .cloned()
            .unwrap_or_else(|| panic!("message {message_id} does not exist (or was deleted)"));
        if msg.is_ephemeral() {
            let owner = msg
                .interaction_id
                .and_then(|i| st.interaction(i))
                .map(|r| r.user_id);
            assert_eq!(owner, Some(user_id), "user {user_id} cannot see ephemeral message {message_id} (it was shown to {owner:?})");
        }
        let component = msg
            .all_components()
            .into_iter()
            .find(|c| c["custom_id"].as_str() == Some(custom_id))
            .unwrap_or_else(|| {
                panic!(
                    "message {message_id} has no component {custom_id:?} (it has {:?})",
                    msg.custom_ids()
                )
            });
        assert!(
            component["disabled"].as_bool() != Some(true),
            "component {custom_id:?} on message {message_id} is disabled"
        );
        (msg, component)
    }

    fn component_interaction(
        &self,
        user_id: u64,
        message_id: u64,
        custom_id: &str,
        values: Option<&[&str]>,
    ) -> InteractionHandle {
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        let (msg, component) = self.component_on(st, user_id, message_id, custom_id);
        self.user_can_act(st, user_id, msg.channel_id);
        let component_type = component["type"].as_u64().unwrap_or(0);
        let mut data = json!({"custom_id": custom_id, "component_type": component_type});
        match (component_type, values) {
            (2, None) => {}
            (2, Some(_)) => panic!("{custom_id:?} is a button: use press_button"),
            (_, None) => panic!("{custom_id:?} is a select menu: use select"),
            (t, Some(values)) => {
                let min = component["min_values"].as_u64().unwrap_or(1) as usize;
                let max = component["max_values"].as_u64().unwrap_or(1) as usize;
                assert!(
                    (min..=max).contains(&values.len()),
                    "select {custom_id:?} takes {min}..={max} values, got {}",
                    values.len()
                );
                if t == 3 {
                    let allowed: Vec<&str> = component["options"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|o| o["value"].as_str())
                        .collect();
                    for v in values {
                        assert!(
                            allowed.contains(v),
                            "select {custom_id:?} has no option {v:?} (options: {allowed:?})"
                        );
                    }
                }
                data["values"] = json!(values);
            }
        }
        let (id, token, mut payload) = self.interaction_base(st, 3, user_id, msg.channel_id);
        payload["data"] = data;
        let mut message = msg.json.clone();
        if message.get("interaction_metadata").is_some() {
            message
                .as_object_mut()
                .map(|o| o.remove("interaction_metadata"));
        }
        payload["message"] = message;
        let record = new_record(
            id,
            token,
            3,
            user_id,
            msg.channel_id,
            Some(message_id),
            payload,
        );
        let handle = self.send_interaction(st, record);
        drop(guard);
        self.shared.changed();
        handle
    }

    /// A user presses the button `custom_id` on a message the bot posted.
    pub fn press_button(
        &self,
        user_id: u64,
        message_id: u64,
        custom_id: &str,
    ) -> InteractionHandle {
        self.component_interaction(user_id, message_id, custom_id, None)
    }

    /// A user picks `values` in the select menu `custom_id`.
    pub fn select(
        &self,
        user_id: u64,
        message_id: u64,
        custom_id: &str,
        values: &[&str],
    ) -> InteractionHandle {
        self.component_interaction(user_id, message_id, custom_id, Some(values))
    }

    /// The user who was shown the modal (the answer to `shown_by`) fills it in and submits it.
    /// `values`: (text input custom_id, text). Inputs not listed are submitted empty.
    pub fn submit_modal(
        &self,
        shown_by: &InteractionHandle,
        values: &[(&str, &str)],
    ) -> InteractionHandle {
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        let shown = st
            .interaction(shown_by.id)
            .cloned()
            .expect("interaction exists");
        let cb = shown
            .callback
            .clone()
            .unwrap_or_else(|| panic!("{shown_by:?} has no answer yet: await .modal() first"));
        assert_eq!(
            cb.kind, 9,
            "{shown_by:?} was answered with type {}, not a modal",
            cb.kind
        );
        let modal = cb.data;
        let inputs: Vec<Value> = modal["components"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
            .collect();
        for (cid, _) in values {
            assert!(
                inputs.iter().any(|i| i["custom_id"].as_str() == Some(*cid)),
                "modal {:?} has no input {cid:?}",
                modal["custom_id"]
            );
        }
        let mut rows = Vec::new();
        for input in &inputs {
            let cid = input["custom_id"].as_str().unwrap_or_default();
            let text = values
                .iter()
                .find(|(k, _)| *k == cid)
                .map(|(_, v)| *v)
                .unwrap_or("");
            let n = text.chars().count() as u64;
            let required = input["required"].as_bool().unwrap_or(true);
            assert!(
                !(required && text.is_empty()),
                "modal input {cid:?} is required: Discord would not submit it empty"
            );
            if !text.is_empty() {
                let min = input["min_length"].as_u64().unwrap_or(0);
                let max = input["max_length"].as_u64().unwrap_or(4000);
                assert!(
                    n >= min && n <= max,
                    "modal input {cid:?} takes {min}..={max} characters, got {n}"
                );
            }
            rows.push(
                json!({"type": 1, "components": [{"type": 4, "custom_id": cid, "value": text}]}),
            );
        }
        let (user_id, channel_id, message_id) = (shown.user_id, shown.channel_id, shown.message_id);
        self.user_can_act(st, user_id, channel_id);
        let (id, token, mut payload) = self.interaction_base(st, 5, user_id, channel_id);
        payload["data"] = json!({"custom_id": modal["custom_id"], "components": rows});
        if let Some(m) = message_id.and_then(|m| st.message(m)) {
            payload["message"] = m.json.clone();
        }
        let record = new_record(id, token, 5, user_id, channel_id, message_id, payload);
        let handle = self.send_interaction(st, record);
        drop(guard);
        self.shared.changed();
        handle
    }
}

fn command_data(cmd: &Value, options: Vec<Value>, resolved: Value) -> Value {
    let mut data = Map::new();
    data.insert("id".into(), cmd["id"].clone());
    data.insert("name".into(), cmd["name"].clone());
    data.insert("type".into(), json!(1));
    data.insert("options".into(), json!(options));
    if resolved.as_object().is_some_and(|o| !o.is_empty()) {
        data.insert("resolved".into(), resolved);
    }
    if let Some(g) = cmd.get("guild_id").filter(|g| !g.is_null()) {
        data.insert("guild_id".into(), g.clone());
    }
    Value::Object(data)
}

fn new_record(
    id: u64,
    token: String,
    kind: u8,
    user_id: u64,
    channel_id: u64,
    message_id: Option<u64>,
    payload: Value,
) -> InteractionRecord {
    InteractionRecord {
        id,
        token,
        kind,
        user_id,
        channel_id,
        message_id,
        sent_at: Instant::now(),
        callback: None,
        original_message_id: None,
        followups: Vec::new(),
        payload,
    }
}
