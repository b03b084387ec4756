//! Start-up recovery, and which threads are told that the bot is back.
//!
//! Every deadline is re-armed first (`Runtime::recover`), so timers run again
//! before any notice costs a REST call. Then:
//! - a session whose step closed while the bot was away gets no notice: the
//!   timeout and the next question (or summary) posted for it say it all;
//! - a session resumed as it was (its question or scoring still open) gets
//!   one short notice that nothing was lost and its buttons work again,
//!   unless it has moved on by the time the notice's turn comes (a press, a
//!   reminder): its newer message already shows that the bot is back.
//!
//! Notices are low priority and come in a burst (one per running interview),
//! so they go out at a fixed pace, well under Discord's global limit, leaving
//! the rest to timer deliveries and commands.

use super::{Job, Outbox, Poster, What};
use crate::discord::reply;
use crate::present::Post;
use crate::store::SessionId;
use poise::serenity_prelude as serenity;
use serenity::{ChannelId, Http};
use std::sync::Arc;
use std::time::Duration;

/// Half of Discord's 50 requests/s a bot.
const NOTICES_PER_SECOND: u64 = 25;

/// A notice for a session as recovery found it.
pub(super) struct Notice {
    session: SessionId,
    version: i64,
}

impl Outbox {
    /// At READY: lets the runtime re-arm every deadline still ahead and close
    /// what is overdue (whose deliveries reach the lanes through `run`),
    /// then indexes the resumed sessions' threads, so typed answers find
    /// their session at once, and queues their notices.
    pub async fn recover(self, http: Arc<Http>) {
        let resumed = match self.poster.runtime.recover().await {
            Ok(r) => {
                tracing::info!(
                    advanced = r.advanced,
                    rearmed = r.rearmed,
                    failed = r.failed,
                    "running interviews recovered"
                );
                r.resumed
            }
            Err(e) => {
                tracing::error!(error = ?e, "recovering running interviews failed");
                return;
            }
        };
        let mut pace = tokio::time::interval(Duration::from_millis(1000 / NOTICES_PER_SECOND));
        pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let with_threads: Vec<_> = resumed
            .into_iter()
            // No thread: a terminal session sharing the database.
            .filter_map(|r| Some((r.thread_id?, r)))
            .collect();
        for (thread, r) in &with_threads {
            self.poster.threads.insert(*thread, r.id);
        }
        // In the order the sessions started.
        for (thread, r) in with_threads {
            pace.tick().await;
            if self.lanes.is_closed() {
                return; // the bot is stopping
            }
            let what = What::Notice(Notice {
                session: r.id,
                version: r.version,
            });
            let http = Arc::clone(&http);
            self.lanes.push(thread, Job { http, what });
        }
    }
}

/// Posts a notice in its lane, if the session is still where recovery found it.
#[tracing::instrument(skip_all, fields(session_id = n.session))]
pub(super) async fn post(poster: &Poster, http: &Http, n: &Notice) {
    let session = match poster.runtime.unchanged_since(n.session, n.version).await {
        Ok(Some(s)) => s,
        Ok(None) => {
            tracing::debug!("the interview moved on since the restart; no notice");
            return;
        }
        Err(e) => {
            tracing::warn!(error = ?e, "cannot load a resumed interview for its notice");
            return;
        }
    };
    let Some(thread) = session.thread_id else {
        return;
    };
    let post = Post {
        cards: vec![crate::present::restart_notice(&session.state)],
        components: Vec::new(),
    };
    if let Err(e) = ChannelId::new(thread)
        .send_message(http, reply::channel_message(&post))
        .await
    {
        tracing::warn!(error = ?e, "could not post the restart notice");
    }
}
