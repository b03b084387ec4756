//! Opening a session's thread, for solo interviews and panels alike. The
//! session is planned first (its questions chosen and checked), so a
//! refusal such as "too few questions" costs no REST call; the thread is
//! created only for a session that will run, and removed again if storing
//! the session fails.

use super::{reply, BotError, Data};
use crate::present::text::truncate;
use crate::present::{pack, Card};
use crate::runtime::Planned;
use poise::serenity_prelude as serenity;
use serenity::{AutoArchiveDuration, ChannelId, ChannelType, CreateThread, Http, UserId};

/// The thread a planned session gets.
pub struct Thread<'a> {
    pub parent: ChannelId,
    pub name: &'a str,
    pub archive: AutoArchiveDuration,
    pub private: bool,
    /// Discord ids added to the thread.
    pub members: Vec<u64>,
    /// A card above the first question (a panel's line-up).
    pub intro: Option<Card>,
}

/// What was opened.
pub struct Opened {
    pub thread: ChannelId,
    /// Asked for a private thread and got a public one.
    pub private_refused: bool,
}

/// Creates the thread, stores the session in it and posts its first
/// messages. Once the session is stored it runs: a failed post is logged
/// (its timers still post what comes next), never a reason to run it again.
pub async fn open(
    http: &Http,
    data: &Data,
    planned: Planned,
    t: Thread<'_>,
) -> Result<Opened, BotError> {
    let (thread, private_refused) = create_thread(http, &t).await?;
    for m in &t.members {
        if let Err(e) = thread.add_thread_member(http, UserId::new(*m)).await {
            tracing::warn!(error = ?e, "could not add a member to the thread");
        }
    }
    let delivery = match data.runtime.begin(planned, Some(thread.get())).await {
        Ok(d) => d,
        Err(e) => {
            let _ = thread.delete(http).await;
            return Err(e.into());
        }
    };
    data.threads.insert(thread.get(), delivery.session.id);
    let message_content = data.config.discord.message_content;
    let bank = data.runtime.bank_for_session(&delivery.session);
    let mut posts = crate::present::transition(&bank, message_content, &delivery);
    if let Some(intro) = t.intro {
        let components = posts
            .last()
            .map(|p| p.components.clone())
            .unwrap_or_default();
        let cards = std::iter::once(intro).chain(posts.into_iter().flat_map(|p| p.cards));
        posts = pack(cards.collect(), components);
    }
    for p in &posts {
        if let Err(e) = thread.send_message(http, reply::channel_message(p)).await {
            tracing::error!(error = ?e, session_id = delivery.session.id, "could not post a session's first messages");
            break;
        }
    }
    Ok(Opened {
        thread,
        private_refused,
    })
}

/// Long enough that a quiet thread is not archived in the middle of its
/// interview: the expected length with two minutes per question to spare.
pub fn archive_after(questions: usize, minutes: Option<f64>) -> AutoArchiveDuration {
    let expected = questions as f64 * (minutes.unwrap_or(5.0) + 2.0);
    if expected < 50.0 {
        AutoArchiveDuration::OneHour
    } else {
        AutoArchiveDuration::OneDay
    }
}

/// A thread name within Discord's 100 characters.
pub fn thread_name(name: &str) -> String {
    truncate(name, 100)
}

/// A private thread when asked and allowed, else public (saying so).
async fn create_thread(http: &Http, t: &Thread<'_>) -> Result<(ChannelId, bool), BotError> {
    let build = |kind| {
        let c = CreateThread::new(t.name)
            .kind(kind)
            .auto_archive_duration(t.archive);
        if kind == ChannelType::PrivateThread {
            c.invitable(false)
        } else {
            c
        }
    };
    if t.private {
        match t
            .parent
            .create_thread(http, build(ChannelType::PrivateThread))
            .await
        {
            Ok(c) => return Ok((c.id, false)),
            Err(e) => tracing::info!(error = ?e, "private thread refused; opening a public one"),
        }
    }
    match t
        .parent
        .create_thread(http, build(ChannelType::PublicThread))
        .await
    {
        Ok(c) => Ok((c.id, t.private)),
        Err(serenity::Error::Http(e)) if e.status_code().is_some_and(|s| s.as_u16() == 403) => {
            Err(BotError::user(
                "I may not create threads in this channel: ask an admin to give me Create Public Threads and Send Messages in Threads, or use another channel.",
            ))
        }
        Err(e) => Err(e.into()),
    }
}
