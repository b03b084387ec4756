//! Posting what the runtime did on its own (reminders, timeouts, the next
//! question, the summary) as ordinary messages in the session's thread:
//! interaction tokens die after 15 minutes, channel messages do not.

use super::render::{self, Card, Post, View};
use super::sessions::ThreadIndex;
use super::text::relative;
use super::{reply, BotError};
use crate::interview::{Effect, Phase};
use crate::runtime::{Delivery, Runtime};
use crate::store::StoredSession;
use poise::serenity_prelude as serenity;
use serenity::{ChannelId, EditThread, Http};
use std::sync::Arc;
use tokio::sync::mpsc;

/// The messages for a delivery (any source).
pub async fn render_delivery(
    runtime: &Runtime,
    message_content: bool,
    session: &StoredSession,
    effects: &[Effect],
) -> Result<Vec<Post>, BotError> {
    let bank = runtime.bank();
    let view = View {
        bank: &bank,
        session,
        message_content,
    };
    Ok(render::delivery(&view, effects))
}

pub fn ended(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Ended(_)))
}

/// Archives an interview's thread once its summary is posted.
pub async fn archive(http: &Http, thread: u64) {
    if let Err(e) = ChannelId::new(thread)
        .edit_thread(http, EditThread::new().archived(true))
        .await
    {
        tracing::warn!(error = ?e, thread, "could not archive the interview thread");
    }
}

pub struct Poster {
    pub runtime: Runtime,
    pub threads: Arc<ThreadIndex>,
    pub message_content: bool,
}

impl Poster {
    /// Posts every timer delivery until the runtime goes away.
    pub async fn run(self, http: Arc<Http>, mut rx: mpsc::UnboundedReceiver<Delivery>) {
        while let Some(d) = rx.recv().await {
            if let Err(e) = self.post(&http, &d).await {
                let _ = e.shown(); // logs internal errors with their chain
                tracing::warn!(session_id = d.session.id, "a timer delivery was not posted");
            }
        }
    }

    #[tracing::instrument(skip_all, fields(session_id = d.session.id))]
    pub async fn post(&self, http: &Http, d: &Delivery) -> Result<(), BotError> {
        let Some(thread) = d.session.thread_id else {
            return Ok(()); // a terminal session sharing the database
        };
        let posts =
            render_delivery(&self.runtime, self.message_content, &d.session, &d.effects).await?;
        for p in &posts {
            ChannelId::new(thread)
                .send_message(http, reply::channel_message(p))
                .await?;
        }
        if ended(&d.effects) {
            self.threads.remove(thread);
            archive(http, thread).await;
        }
        Ok(())
    }

    /// At READY: says in each running interview's thread that the bot was
    /// restarted, then lets the runtime close what is overdue and re-arm the
    /// rest.
    pub async fn recover(&self, http: &Http) {
        let running = match self.runtime.store().running_sessions().await {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = ?e, "cannot list running interviews to resume");
                return;
            }
        };
        let now = self.runtime.now();
        for (id, wake) in running {
            let session = match self.runtime.session(id).await {
                Ok(s) => s,
                Err(e) => {
                    tracing::error!(session_id = id, error = ?e, "cannot load a running interview");
                    continue;
                }
            };
            let Some(thread) = session.thread_id else {
                continue;
            };
            self.threads.insert(thread, id);
            let overdue = wake.is_some_and(|w| w <= now);
            let text = match (&session.state.phase, overdue) {
                (_, true) => "🔄 The bot was restarted. Time ran out while it was away, so that step is closed now; the interview continues below.".to_string(),
                (Phase::Answering { deadline, .. }, false) => format!(
                    "🔄 The bot was restarted. Nothing was lost: this question still closes {}; the buttons above work again.",
                    relative(*deadline)
                ),
                _ => "🔄 The bot was restarted. Nothing was lost; the buttons above work again.".to_string(),
            };
            let post = Post {
                cards: vec![Card::new("", &text, render::GREY)],
                components: Vec::new(),
            };
            if let Err(e) = ChannelId::new(thread)
                .send_message(http, reply::channel_message(&post))
                .await
            {
                tracing::warn!(session_id = id, error = ?e, "could not post the restart notice");
            }
        }
        // Closes what is overdue (its deliveries are posted by `run`, after
        // the notices above) and re-arms every deadline still ahead.
        match self.runtime.recover().await {
            Ok(r) => tracing::info!(
                advanced = r.advanced,
                rearmed = r.rearmed,
                failed = r.failed,
                "running interviews recovered"
            ),
            Err(e) => tracing::error!(error = ?e, "recovering running interviews failed"),
        }
    }
}
