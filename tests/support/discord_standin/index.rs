//! Lookups by id for the state's lists. Users, channels, messages and interactions stay in
//! `Vec`s in creation order (tests read them, oldest first), and are never removed (deleted is
//! a flag), so a position never changes: these maps say where each id sits, and which messages
//! belong to each channel. Without them every lookup scanned the whole list, and a benchmark
//! sending thousands of interactions spent its time there.
//!
//! Every mutable lookup of a message or an interaction also tells the watch (`watch.rs`), so a
//! test waiting on that channel or interaction is woken, and nobody else.

use std::collections::HashMap;

use super::state::{ChannelState, InteractionRecord, State, StoredMessage, TestUser};
use super::watch::Key;

#[derive(Default)]
pub(crate) struct Index {
    users: HashMap<u64, usize>,
    channels: HashMap<u64, usize>,
    messages: HashMap<u64, usize>,
    /// Positions in `messages` of each channel's messages, oldest first.
    by_channel: HashMap<u64, Vec<usize>>,
    interactions: HashMap<u64, usize>,
    tokens: HashMap<String, usize>,
}

impl State {
    pub(crate) fn push_user(&mut self, user: TestUser) {
        self.index.users.insert(user.id, self.users.len());
        self.users.push(user);
    }
    pub(crate) fn push_channel(&mut self, channel: ChannelState) {
        self.index.channels.insert(channel.id, self.channels.len());
        self.channels.push(channel);
    }
    pub(crate) fn push_message(&mut self, message: StoredMessage) {
        let at = self.messages.len();
        self.index.messages.insert(message.id, at);
        let list = self.index.by_channel.entry(message.channel_id).or_default();
        list.push(at);
        self.touch_message(&message);
        self.messages.push(message);
    }
    pub(crate) fn push_interaction(&mut self, record: InteractionRecord) {
        let at = self.interactions.len();
        self.index.interactions.insert(record.id, at);
        self.index.tokens.insert(record.token.clone(), at);
        self.watch.touch(Key::Interaction(record.id));
        self.interactions.push(record);
    }

    fn touch_message(&mut self, m: &StoredMessage) {
        self.watch.touch(Key::Channel(m.channel_id));
        if let Some(i) = m.interaction_id {
            self.watch.touch(Key::Interaction(i));
        }
    }

    pub fn user(&self, id: u64) -> Option<&TestUser> {
        self.index.users.get(&id).map(|&at| &self.users[at])
    }
    pub(crate) fn user_mut(&mut self, id: u64) -> Option<&mut TestUser> {
        let at = *self.index.users.get(&id)?;
        Some(&mut self.users[at])
    }
    /// A live (not deleted) channel.
    pub fn channel(&self, id: u64) -> Option<&ChannelState> {
        self.channel_even_deleted(id).filter(|c| !c.deleted)
    }
    pub(crate) fn channel_even_deleted(&self, id: u64) -> Option<&ChannelState> {
        self.index.channels.get(&id).map(|&at| &self.channels[at])
    }
    pub(crate) fn channel_mut(&mut self, id: u64) -> Option<&mut ChannelState> {
        let at = *self.index.channels.get(&id)?;
        Some(&mut self.channels[at]).filter(|c| !c.deleted)
    }
    pub fn message(&self, id: u64) -> Option<&StoredMessage> {
        self.index.messages.get(&id).map(|&at| &self.messages[at])
    }
    /// The message to change; whoever waits on its channel or interaction is woken.
    pub(crate) fn message_mut(&mut self, id: u64) -> Option<&mut StoredMessage> {
        let at = *self.index.messages.get(&id)?;
        let (channel, interaction) = (
            self.messages[at].channel_id,
            self.messages[at].interaction_id,
        );
        self.watch.touch(Key::Channel(channel));
        if let Some(i) = interaction {
            self.watch.touch(Key::Interaction(i));
        }
        Some(&mut self.messages[at])
    }
    /// Every message of a channel (deleted ones too), oldest first.
    pub(crate) fn messages_of(&self, channel_id: u64) -> impl Iterator<Item = &StoredMessage> {
        self.index
            .by_channel
            .get(&channel_id)
            .into_iter()
            .flatten()
            .map(|&at| &self.messages[at])
    }
    pub fn interaction(&self, id: u64) -> Option<&InteractionRecord> {
        self.index
            .interactions
            .get(&id)
            .map(|&at| &self.interactions[at])
    }
    /// The interaction to change; whoever waits on it is woken.
    pub(crate) fn interaction_mut(&mut self, id: u64) -> Option<&mut InteractionRecord> {
        let at = *self.index.interactions.get(&id)?;
        self.watch.touch(Key::Interaction(id));
        Some(&mut self.interactions[at])
    }
    pub(crate) fn interaction_by_token_mut(
        &mut self,
        token: &str,
    ) -> Option<&mut InteractionRecord> {
        let at = *self.index.tokens.get(token)?;
        let id = self.interactions[at].id;
        self.interaction_mut(id)
    }
    pub(crate) fn interaction_by_token(&self, token: &str) -> Option<&InteractionRecord> {
        self.index
            .tokens
            .get(token)
            .map(|&at| &self.interactions[at])
    }
    /// Live (not deleted) messages of a channel, oldest first.
    pub fn channel_messages(&self, channel_id: u64) -> Vec<StoredMessage> {
        self.messages_of(channel_id)
            .filter(|m| !m.deleted)
            .cloned()
            .collect()
    }
}
