//! Holding message posts: a test makes one channel (or every channel) slow without waiting
//! real time. A held `POST /channels/{id}/messages` is left unanswered (and unrecorded) until
//! the test releases it, so the bot sees a request that is still in flight, as with a
//! rate-limited or slow channel; then it is routed as usual.

use std::collections::{HashMap, HashSet};

use super::state::Shared;

/// Which channels' posts are held, and how many posts wait right now.
#[derive(Default)]
pub(crate) struct Holds {
    channels: HashSet<u64>,
    every_channel: bool,
    /// Posts waiting per channel (entries at zero are removed).
    waiting: HashMap<u64, usize>,
}

impl Holds {
    pub fn hold(&mut self, channel: Option<u64>) {
        match channel {
            Some(c) => {
                self.channels.insert(c);
            }
            None => self.every_channel = true,
        }
    }

    /// Releases one channel's posts, or with `None` every hold.
    pub fn release(&mut self, channel: Option<u64>) {
        match channel {
            Some(c) => {
                self.channels.remove(&c);
            }
            None => {
                self.channels.clear();
                self.every_channel = false;
            }
        }
    }

    fn holds(&self, channel: u64) -> bool {
        self.every_channel || self.channels.contains(&channel)
    }

    /// Posts now waiting in `channel`, or with `None` in every channel.
    pub fn waiting(&self, channel: Option<u64>) -> usize {
        match channel {
            Some(c) => self.waiting.get(&c).copied().unwrap_or(0),
            None => self.waiting.values().sum(),
        }
    }

    fn enter(&mut self, channel: u64) {
        *self.waiting.entry(channel).or_default() += 1;
    }

    fn leave(&mut self, channel: u64) {
        if let Some(n) = self.waiting.get_mut(&channel) {
            *n -= 1;
            if *n == 0 {
                self.waiting.remove(&channel);
            }
        }
    }
}

/// The channel of a message post (`POST /channels/{id}/messages`), if `segs` is one.
pub(crate) fn message_post_channel(method: &str, segs: &[String]) -> Option<u64> {
    match (method, segs) {
        ("POST", [channels, id, messages]) if channels == "channels" && messages == "messages" => {
            id.parse().ok()
        }
        _ => None,
    }
}

/// Waits while posts to `channel` are held; returns at once when they are not.
pub(crate) async fn wait_while_held(shared: &Shared, channel: u64) {
    {
        let mut st = shared.lock();
        if !st.holds.holds(channel) {
            return;
        }
        st.holds.enter(channel);
    }
    // Tests wait for the waiting count to rise; this wakes them before our own waiter exists.
    shared.changed();
    loop {
        let notified = shared.notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        {
            let mut st = shared.lock();
            if !st.holds.holds(channel) {
                st.holds.leave(channel);
                break;
            }
        }
        notified.await;
    }
    shared.changed();
}
