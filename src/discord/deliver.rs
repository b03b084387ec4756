//! Posting what the runtime did on its own (reminders, timeouts, the next
//! question, the summary) as ordinary messages in the session's thread:
//! interaction tokens die after 15 minutes, channel messages do not.
//!
//! Each thread has its own lane (`runtime::lanes`), so a slow or rate-limited thread
//! delays only its own messages, which stay in order; `restart` says in the
//! threads of resumed sessions that the bot is back.

mod restart;

use super::{reply, BotError};
use crate::present::{self};
use crate::runtime::lanes::{self, Lanes};
use crate::runtime::threads::ThreadIndex;
use crate::runtime::{Delivery, Runtime};
use futures::FutureExt;
use poise::serenity_prelude as serenity;
use serenity::{ChannelId, EditThread, Http};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Threads posted to at once. Discord limits requests per bot (50/s) and
/// per channel; this bounds what one burst of timers can have in flight
/// while a few slow threads still leave room for the rest.
const SLOTS: usize = 16;
/// A post that takes longer is abandoned so it cannot hold a slot forever.
const POST_LIMIT: Duration = Duration::from_secs(60);

/// Archives an interview's thread once its summary is posted.
pub async fn archive(http: &Http, thread: u64) {
    if let Err(e) = ChannelId::new(thread)
        .edit_thread(http, EditThread::new().archived(true))
        .await
    {
        tracing::warn!(error = ?e, thread, "could not archive the interview thread");
    }
}

/// Posts a delivery in its thread at once (the lanes call it too).
pub struct Poster {
    pub runtime: Runtime,
    pub threads: Arc<ThreadIndex>,
    pub message_content: bool,
}

/// One thing to post in one thread.
struct Job {
    http: Arc<Http>,
    what: What,
}

enum What {
    /// Boxed: a delivery carries the whole session state.
    Delivery(Box<Delivery>),
    Notice(restart::Notice),
}

/// Timer deliveries and restart notices, each queued in its thread's lane.
#[derive(Clone)]
pub struct Outbox {
    poster: Arc<Poster>,
    lanes: Lanes<Job>,
}

impl Outbox {
    pub fn new(poster: Poster) -> Outbox {
        let poster = Arc::new(poster);
        let for_jobs = Arc::clone(&poster);
        let lanes = Lanes::new(SLOTS, POST_LIMIT, move |job: Job| {
            let poster = Arc::clone(&for_jobs);
            async move { poster.run(job).await }.boxed()
        });
        Outbox { poster, lanes }
    }

    /// Hands every timer delivery to its thread's lane until the runtime
    /// goes away; when this task stops (or is aborted), queued posts are
    /// dropped, as they would be when the process exits.
    pub async fn run(self, http: Arc<Http>, mut rx: mpsc::UnboundedReceiver<Delivery>) {
        let _close = lanes::CloseOnDrop(self.lanes.clone());
        while let Some(d) = rx.recv().await {
            // A session without a thread is a terminal one sharing the database.
            if let Some(thread) = d.session.thread_id {
                let what = What::Delivery(Box::new(d));
                let http = Arc::clone(&http);
                self.lanes.push(thread, Job { http, what });
            }
        }
    }
}

impl Poster {
    async fn run(&self, job: Job) {
        match job.what {
            What::Delivery(d) => {
                if let Err(e) = self.post(&job.http, &d).await {
                    self.runtime.metrics().error("delivery");
                    let _ = e.shown(); // logs internal errors with their chain
                    tracing::warn!(session_id = d.session.id, "a timer delivery was not posted");
                }
            }
            What::Notice(n) => restart::post(self, &job.http, &n).await,
        }
    }

    #[tracing::instrument(skip_all, fields(session_id = d.session.id))]
    pub async fn post(&self, http: &Http, d: &Delivery) -> Result<(), BotError> {
        let Some(thread) = d.session.thread_id else {
            return Ok(());
        };
        let posts = present::transition(
            &self.runtime.bank_for_session(&d.session),
            self.message_content,
            d,
        );
        for p in &posts {
            ChannelId::new(thread)
                .send_message(http, reply::channel_message(p))
                .await?;
        }
        if d.ended() {
            self.threads.remove(thread);
            archive(http, thread).await;
        } else {
            // A session advanced at start-up is indexed here, for typed answers.
            self.threads.insert(thread, d.session.id);
        }
        Ok(())
    }
}
