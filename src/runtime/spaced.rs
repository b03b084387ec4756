//! Planning a spaced-review session: the questions due for its candidate,
//! chosen by `review::choose` at the clock's now, through the same two
//! steps as any session (plan here, then `begin`).

use super::{Planned, Runtime, RuntimeError, StartRequest};
use crate::bank::DifficultyChoice;
use crate::interview::PlannedQuestion;
use crate::review::{choose, DueChoice, DueItem};
use crate::store::{day_of, ReminderTarget};
use crate::time::Timestamp;
use std::time::Duration;

/// What a review would ask, or why there is none.
#[derive(Debug, Clone)]
pub enum ReviewPlan {
    Ready {
        planned: Box<Planned>,
        /// Why each question is in it, in the order asked.
        items: Vec<DueItem>,
    },
    /// Nothing is due; the next scheduled question comes due then (None:
    /// nothing answered yet).
    NothingDue { next_due: Option<Timestamp> },
}

impl Runtime {
    /// Plans a review for the request's owner: up to `req.questions`
    /// questions that are due now. Topics and difficulty of the request are
    /// ignored (the schedule decides); its settings, place and seed stand.
    #[tracing::instrument(skip_all, fields(owner = req.owner.0))]
    pub async fn plan_review(&self, mut req: StartRequest) -> Result<ReviewPlan, RuntimeError> {
        // Another server's pack questions are not in this bank, so they
        // are never due here.
        let bank = self.bank_for(req.guild_id);
        let inputs = self.store().review_inputs(req.owner).await?;
        let items = match choose(&bank, &inputs, self.now(), req.questions) {
            DueChoice::Due(items) => items,
            DueChoice::Nothing { next_due } => return Ok(ReviewPlan::NothingDue { next_due }),
        };
        let plan = items
            .iter()
            .map(|i| PlannedQuestion {
                question_id: i.question_id.clone(),
                candidate: req.owner,
            })
            .collect();
        let mut topics: Vec<String> = items
            .iter()
            .filter_map(|i| bank.question(&i.question_id).map(|q| q.topic.clone()))
            .collect();
        topics.sort();
        topics.dedup();
        req.topics = topics;
        req.difficulty = DifficultyChoice::Mixed;
        let seed = req.seed.unwrap_or(0);
        Ok(ReviewPlan::Ready {
            planned: Box::new(Planned::of(req, plan, seed)),
            items,
        })
    }

    /// How many questions are due for `user` now (schedules and notes
    /// only: the weakest-topic stand-ins are not "due"), and when the next
    /// comes due.
    pub async fn due_count(
        &self,
        user: crate::interview::UserId,
    ) -> Result<(usize, Option<Timestamp>), RuntimeError> {
        self.due_count_in(user, None).await
    }

    /// `due_count` as a server sees it: with its pack's questions.
    pub async fn due_count_in(
        &self,
        user: crate::interview::UserId,
        guild: Option<u64>,
    ) -> Result<(usize, Option<Timestamp>), RuntimeError> {
        let inputs = self.store().review_inputs(user).await?;
        let now = self.now();
        Ok((
            inputs.due_now(&self.bank_for(guild), now).len(),
            inputs.next_due(now),
        ))
    }
}

/// A reminder to send now: to whom, and how many questions are due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub target: ReminderTarget,
    pub due: usize,
    /// The server's review channel to post it in; None: a direct message.
    pub channel: Option<u64>,
}

/// How often (on the runtime's clock) the reminders are checked. A day's
/// reminder goes out at the first check of that UTC day with questions due.
pub const REMINDER_CHECK_EVERY: Duration = Duration::from_secs(60 * 60);

impl Runtime {
    /// The reminders to send now: people who turned them on, have
    /// questions due, and had none today (UTC). Each is claimed for today
    /// before it is returned, so it goes out at most once a day even if
    /// sending fails or two checks overlap; someone who turned reminders
    /// off or deleted their data is never returned. Only this process's
    /// targets: those of its servers (direct messages only: shard 0's).
    pub async fn claim_reminders(&self) -> Result<Vec<Reminder>, RuntimeError> {
        let today = day_of(self.now());
        let mut out = Vec::new();
        let targets = self.store().reminder_targets(today).await?.into_iter();
        let owned = self.ownership();
        for target in targets.filter(|t| owned.owns(t.guild_id)) {
            let (due, _) = self.due_count_in(target.user, target.guild_id).await?;
            if due == 0 {
                continue;
            }
            if self.store().claim_reminder(target.user, today).await? {
                let channel = match target.guild_id {
                    Some(g) => self.store().guild_settings(g).await?.review_channel_id,
                    None => None,
                };
                out.push(Reminder {
                    target,
                    due,
                    channel,
                });
            }
        }
        Ok(out)
    }

    /// Claims and hands over the due reminders now, then every
    /// `REMINDER_CHECK_EVERY` of the runtime's clock, forever; a reminder
    /// `send` fails is logged (it was claimed, so it is not retried today).
    pub async fn send_reminders<F, Fut, E>(&self, send: F)
    where
        F: Fn(Reminder) -> Fut,
        Fut: std::future::Future<Output = Result<(), E>>,
        E: std::fmt::Debug,
    {
        loop {
            match self.claim_reminders().await {
                Ok(due) => {
                    for r in due {
                        let user = r.target.user.0;
                        if let Err(e) = send(r).await {
                            tracing::warn!(error = ?e, user, "could not send a review reminder");
                        }
                    }
                }
                Err(e) => tracing::error!(error = %e, "could not read the review reminders"),
            }
            let next = self.now().plus(REMINDER_CHECK_EVERY);
            self.clock().sleep_until(next).await;
        }
    }
}
