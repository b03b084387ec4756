//! What `/interview start` and `/review` share: where a solo session may
//! start and for whom, its settings, and the thread it runs in.

use super::options::check_where;
use super::permissions::{self, check_thread_permissions, private_threads_allowed};
use super::start::{archive_after, open, thread_name, Thread};
use super::{BotError, Context};
use crate::bank::DifficultyChoice;
use crate::present::text::channel_link;
use crate::runtime::{Planned, StartRequest};
use crate::store::StoreError;
use poise::serenity_prelude::Permissions;

/// A caller cleared to start a solo session here.
pub struct Solo {
    pub name: String,
    minutes: Option<f64>,
    may: Option<Permissions>,
    request: StartRequest,
}

/// The channel is allowed (`command` and `what` word the refusal), the
/// caller has no session running, and the bot may open threads here.
pub async fn prepare(
    ctx: Context<'_>,
    command: &str,
    what: &str,
    minutes: Option<u8>,
) -> Result<Solo, BotError> {
    let data = ctx.data();
    let server = check_where(ctx, command, what).await?;
    let (user, name) = super::caller::caller(ctx).await?;
    let guild = ctx.guild_id().map(|g| g.get());
    if data
        .runtime
        .store()
        .running_solo(user, guild)
        .await?
        .is_some()
    {
        return Err(StoreError::AlreadyRunning(0).into());
    }
    let may = permissions::app_permissions(ctx);
    check_thread_permissions(may)?;
    let (minutes, settings) = (data.config.interview).settings_for(
        minutes,
        server.default_minutes,
        data.question_seconds,
    );
    let request = StartRequest {
        guild_id: guild,
        channel_id: Some(ctx.channel_id().get()),
        ..StartRequest::solo(
            user,
            &name,
            Vec::new(),
            DifficultyChoice::Mixed,
            0,
            settings,
        )
    };
    Ok(Solo {
        name,
        minutes,
        may,
        request,
    })
}

impl Solo {
    /// The request for `questions` of `topics` (none: the runtime chooses).
    pub fn request(
        &self,
        topics: Vec<String>,
        difficulty: DifficultyChoice,
        questions: usize,
    ) -> StartRequest {
        let mut r = self.request.clone();
        r.topics = topics;
        r.difficulty = difficulty;
        r.questions = questions;
        r
    }

    /// Opens the session's thread (private when asked and allowed) and
    /// returns the line that says where it is.
    pub async fn open(
        &self,
        ctx: Context<'_>,
        planned: Planned,
        title: &str,
        private: bool,
    ) -> Result<String, BotError> {
        let questions = planned.questions();
        let name = thread_name(title);
        let thread = Thread {
            parent: ctx.channel_id(),
            name: &name,
            archive: archive_after(questions, self.minutes),
            private: private && private_threads_allowed(self.may),
            members: vec![ctx.author().id.get()],
            intro: None,
        };
        let opened = open(ctx.http(), ctx.data(), planned, thread).await?;
        let mut line = format!("ready in {}.", channel_link(opened.thread.get()));
        if private && (opened.private_refused || !private_threads_allowed(self.may)) {
            line.push_str(" (A private thread was not allowed here, so it is a public one.)");
        }
        Ok(line)
    }
}
