//! The optional AI reviewer: a language model on the operator's own
//! OpenAI-compatible endpoint reads each written answer against its rubric
//! and gives a second opinion. The rubric stays the default and the floor.
//!
//! `settings` are the `ai.*` keys, `key` the wrapped `AI_API_KEY`, `client`
//! one chat-completions call, `prompt` what is asked and the reply's schema,
//! `reply` the strict check of what comes back, `guard` the gibberish guard.
//! [`Reviewer::review`] puts them together with the server's switch, the
//! person's opt-out, the cache and the daily cap (all in the store). It runs
//! outside every session lock and transaction; the runtime stores what it
//! returns as one more transition.

mod client;
pub mod guard;
mod key;
pub mod prompt;
pub mod reply;
mod settings;

pub use client::{CallError, Client};
pub use key::{ApiKey, KEY_VAR};
pub use settings::{endpoint_host, AiConfig};

use crate::bank::Question;
use crate::interview::{Opinion, Review, Trouble, UserId};
use crate::store::Store;
use crate::time::Timestamp;

const DAY_MS: i64 = 86_400_000;

/// One written answer to review.
pub struct Ask<'a> {
    /// The Discord server; None in the terminal (no switch, no cap there).
    pub guild: Option<u64>,
    pub user: UserId,
    pub question: &'a Question,
    pub answer: &'a str,
    pub now: Timestamp,
}

pub struct Reviewer {
    client: Client,
    store: Store,
    host: String,
    daily_cap: u32,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot set up the AI endpoint's HTTP client: {0}")]
pub struct SetupError(String);

impl Reviewer {
    /// The reviewer the settings describe; None when `ai.base_url` is empty.
    pub fn from_config(config: &AiConfig, store: Store) -> Result<Option<Reviewer>, SetupError> {
        let Some(base) = &config.base_url else {
            return Ok(None);
        };
        let client = Client::new(
            base,
            &config.model,
            config.api_key.clone(),
            config.timeout(),
        )
        .map_err(|e| SetupError(crate::redact::scrub(&e.to_string())))?;
        Ok(Some(Reviewer {
            client,
            store,
            host: endpoint_host(base),
            daily_cap: config.daily_cap,
        }))
    }

    /// Who receives the answers: the endpoint's host.
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn model(&self) -> &str {
        self.client.model()
    }

    /// Whether AI feedback applies to this server and person (the server
    /// turned it on, the person did not opt out). A database error counts
    /// as no: nothing is sent that was not agreed to.
    pub async fn applies(&self, guild: Option<u64>, user: UserId) -> bool {
        let switch = match guild {
            Some(g) => self.store.ai_enabled(g).await,
            None => Ok(true),
        };
        let opted_out = self.store.ai_opted_out(user).await;
        match (switch, opted_out) {
            (Ok(on), Ok(out)) => on && !out,
            (Err(e), _) | (_, Err(e)) => {
                tracing::error!(error = %e, "could not read the AI feedback settings; not asking the model");
                false
            }
        }
    }

    /// The model's opinion of one answer, or why there is none; None when
    /// AI feedback does not apply (nothing to say, nothing sent).
    #[tracing::instrument(skip_all, fields(question = %ask.question.id))]
    pub async fn review(&self, ask: Ask<'_>) -> Option<Review> {
        if !self.applies(ask.guild, ask.user).await {
            return None;
        }
        let answer = prompt::capped(ask.answer);
        let withheld = guard::check(ask.question, answer);
        let cached = self.store.ai_cached(&ask.question.id, answer).await;
        let cached = cached.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not read the AI cache");
            None
        });
        if let Some(mut opinion) =
            cached.and_then(|json| serde_json::from_str::<Opinion>(&json).ok())
        {
            opinion.withheld = withheld;
            return Some(Review::Opinion(opinion));
        }
        if let Some(guild) = ask.guild {
            let day = ask.now.millis().div_euclid(DAY_MS);
            match self.store.take_ai_call(guild, day, self.daily_cap).await {
                Ok(true) => {}
                Ok(false) => return Some(Review::Unavailable(Trouble::DailyCap)),
                Err(e) => {
                    tracing::error!(error = %e, "could not count an AI call; not asking the model");
                    return Some(Review::Unavailable(Trouble::Unreachable));
                }
            }
        }
        let opinion = match self.ask_model(ask.question, answer).await {
            Ok(o) => o,
            Err(e) => {
                tracing::warn!(trouble = ?e.trouble, detail = %e.detail, "no AI opinion; the rubric alone counts");
                return Some(Review::Unavailable(e.trouble));
            }
        };
        match serde_json::to_string(&opinion) {
            Ok(json) => {
                let put = self
                    .store
                    .put_ai_cache(&ask.question.id, answer, &json, ask.user, ask.now)
                    .await;
                if let Err(e) = put {
                    tracing::warn!(error = %e, "could not cache an AI opinion");
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not encode an AI opinion"),
        }
        Some(Review::Opinion(Opinion {
            withheld,
            ..opinion
        }))
    }

    async fn ask_model(&self, question: &Question, answer: &str) -> Result<Opinion, CallError> {
        let n = question.key_points.len();
        let content = self
            .client
            .complete(prompt::messages(question, answer), prompt::schema(n))
            .await?;
        let checked = reply::check(&content, n, answer).map_err(|why| CallError {
            trouble: Trouble::Malformed,
            detail: why,
        })?;
        Ok(Opinion {
            model: self.client.model().to_string(),
            points: checked.points,
            feedback: checked.feedback,
            follow_up: checked.follow_up,
            withheld: None,
            counted: false,
        })
    }
}
