//! What users do besides interactions: write messages, join and leave threads, join and leave
//! the guild. Each becomes the gateway event Discord would send (subject to intents).

use serde_json::{json, Value};

use super::gateway::dispatch_locked;
use super::messages::{self, NewMessage};
use super::model;
use super::state::{perms, MessageSource, TestUser};
use super::StandIn;

impl StandIn {
    /// A user writes `content` in a channel or thread (MESSAGE_CREATE). Returns the message id.
    /// Without the MESSAGE_CONTENT intent the bot receives it with empty content, as on Discord.
    pub fn user_message(&self, user_id: u64, channel_id: u64, content: &str) -> u64 {
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        self.user_can_act(st, user_id, channel_id);
        let locked = st.channel(channel_id).is_some_and(|c| c.locked);
        assert!(
            !locked
                || st.member_permissions(&self.shared.ids, user_id) & perms::MANAGE_THREADS != 0,
            "thread {channel_id} is locked"
        );
        if let Err(e) = messages::unarchive_on_post(&self.shared, st, channel_id) {
            panic!("discord stand-in: {e}");
        }
        let body = json!({"content": content});
        let new = NewMessage {
            channel_id,
            author_id: user_id,
            source: MessageSource::User,
            interaction_id: None,
            body: &body,
            files: &[],
            extra_flags: 0,
        };
        let id = messages::create(&self.shared, st, new)
            .unwrap_or_else(|e| panic!("discord stand-in: {e}"));
        drop(guard);
        self.shared.changed();
        id
    }

    fn thread_membership(&self, user_id: u64, thread_id: u64, join: bool) {
        let ids = &self.shared.ids;
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        let user = st
            .user(user_id)
            .cloned()
            .unwrap_or_else(|| panic!("unknown user {user_id}"));
        let ch = st
            .channel_mut(thread_id)
            .filter(|c| c.is_thread())
            .unwrap_or_else(|| panic!("{thread_id} is not a thread"));
        let changed = if join {
            ch.members.insert(user_id)
        } else {
            ch.members.remove(&user_id)
        };
        let count = ch.members.len().min(50);
        if changed {
            let now = model::now_timestamp();
            let mut d = json!({"id": thread_id.to_string(), "guild_id": ids.guild.to_string(), "member_count": count});
            if join {
                let mut tm = model::thread_member_json(ids, thread_id, user_id, &now);
                tm["member"] = model::member_json(st, ids, &user, false);
                tm["presence"] = Value::Null;
                d["added_members"] = json!([tm]);
            } else {
                d["removed_member_ids"] = json!([user_id.to_string()]);
            }
            dispatch_locked(&self.shared, st, "THREAD_MEMBERS_UPDATE", d)
                .unwrap_or_else(|e| panic!("discord stand-in: {e}"));
        }
        drop(guard);
        self.shared.changed();
    }

    /// A user joins a thread (THREAD_MEMBERS_UPDATE; needs GUILD_MEMBERS to reach the bot).
    pub fn user_joins_thread(&self, user_id: u64, thread_id: u64) {
        self.thread_membership(user_id, thread_id, true);
    }

    /// A user leaves a thread (THREAD_MEMBERS_UPDATE; needs GUILD_MEMBERS to reach the bot).
    pub fn user_leaves_thread(&self, user_id: u64, thread_id: u64) {
        self.thread_membership(user_id, thread_id, false);
    }

    /// A user leaves the guild (GUILD_MEMBER_REMOVE; needs GUILD_MEMBERS to reach the bot).
    pub fn member_leaves_guild(&self, user_id: u64) {
        let ids = &self.shared.ids;
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        let user = st
            .user_mut(user_id)
            .unwrap_or_else(|| panic!("unknown user {user_id}"));
        user.in_guild = false;
        let user_json = model::user_json(user);
        for ch in st.channels.iter_mut() {
            ch.members.remove(&user_id);
        }
        let d = json!({"guild_id": ids.guild.to_string(), "user": user_json});
        dispatch_locked(&self.shared, st, "GUILD_MEMBER_REMOVE", d)
            .unwrap_or_else(|e| panic!("discord stand-in: {e}"));
        drop(guard);
        self.shared.changed();
    }

    /// A new user joins the guild (GUILD_MEMBER_ADD; needs GUILD_MEMBERS). Returns their id.
    pub fn add_member(&self, name: &str) -> u64 {
        let ids = &self.shared.ids;
        let mut guard = self.shared.lock();
        let st = &mut *guard;
        let id = st.next_id();
        let user = TestUser {
            id,
            name: name.to_owned(),
            roles: Vec::new(),
            bot: false,
            joined_at: model::now_timestamp(),
            in_guild: true,
        };
        st.push_user(user.clone());
        let mut d = model::member_json(st, ids, &user, false);
        d["guild_id"] = json!(ids.guild.to_string());
        if st.gateway.session.is_some() {
            dispatch_locked(&self.shared, st, "GUILD_MEMBER_ADD", d)
                .unwrap_or_else(|e| panic!("discord stand-in: {e}"));
        }
        drop(guard);
        self.shared.changed();
        id
    }
}
