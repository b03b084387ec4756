//! Starting a session in two steps, so a front end can plan first and
//! spend nothing (a Discord thread, its members) on a session that would be
//! refused: `plan` picks the questions and checks them; `begin` stores the
//! session with its first question asked.

use super::{Delivery, Runtime, RuntimeError};
use crate::bank::{DifficultyChoice, SelectError, Selection};
use crate::interview::{
    self, Participant, PlannedQuestion, Role, SessionKind, SessionState, Settings, UserId,
};
use crate::store::{GuildSettings, Lobby, LobbyRole, NewSession, StoredSession};

/// What a front end asks for when it starts a session.
#[derive(Debug, Clone)]
pub struct StartRequest {
    pub kind: SessionKind,
    pub owner: UserId,
    pub participants: Vec<Participant>,
    pub topics: Vec<String>,
    pub difficulty: DifficultyChoice,
    /// Questions per candidate.
    pub questions: usize,
    pub seed: Option<u64>,
    pub settings: Settings,
    pub guild_id: Option<u64>,
    pub channel_id: Option<u64>,
    pub thread_id: Option<u64>,
}

impl StartRequest {
    /// One person practising alone, anywhere (set guild, channel and thread
    /// for Discord).
    pub fn solo(
        user: UserId,
        name: &str,
        topics: Vec<String>,
        difficulty: DifficultyChoice,
        questions: usize,
        settings: Settings,
    ) -> StartRequest {
        StartRequest {
            kind: SessionKind::Solo,
            owner: user,
            participants: vec![Participant {
                user,
                name: name.to_string(),
                role: Role::Candidate,
                left: false,
            }],
            topics,
            difficulty,
            questions,
            seed: None,
            settings,
            guild_id: None,
            channel_id: None,
            thread_id: None,
        }
    }
}

/// A session that will run: its questions are chosen and enough.
#[derive(Debug, Clone)]
pub struct Planned {
    request: StartRequest,
    plan: Vec<PlannedQuestion>,
    seed: u64,
}

impl Planned {
    /// A session of exactly these questions (a review), checked already.
    pub(super) fn of(request: StartRequest, plan: Vec<PlannedQuestion>, seed: u64) -> Planned {
        Planned {
            request,
            plan,
            seed,
        }
    }

    pub fn request(&self) -> &StartRequest {
        &self.request
    }

    /// How many questions it asks in all.
    pub fn questions(&self) -> usize {
        self.plan.len()
    }
}

impl Runtime {
    /// The panel a started lobby asks for: candidates first, in the order
    /// they joined (that is the turn order), then its interviewers.
    pub async fn panel_request(
        &self,
        lobby: &Lobby,
        settings: Settings,
    ) -> Result<StartRequest, RuntimeError> {
        let store = self.store();
        let mut participants = Vec::with_capacity(lobby.members.len());
        for (seat, role) in [
            (LobbyRole::Candidate, Role::Candidate),
            (LobbyRole::Interviewer, Role::Interviewer),
        ] {
            for m in lobby.members.iter().filter(|m| m.role == seat) {
                participants.push(Participant {
                    user: store.discord_user(m.discord_id, &m.name).await?,
                    name: m.name.clone(),
                    role,
                    left: false,
                });
            }
        }
        let owner = match store.find_discord_user(lobby.creator).await? {
            Some(u) => u,
            None => store.discord_user(lobby.creator, "panel creator").await?,
        };
        Ok(StartRequest {
            kind: SessionKind::Panel,
            owner,
            participants,
            topics: vec![lobby.topic.clone()],
            difficulty: lobby.difficulty.parse().unwrap_or(DifficultyChoice::Mixed),
            questions: usize::from(lobby.questions),
            seed: None,
            settings,
            guild_id: Some(lobby.guild),
            channel_id: Some(lobby.channel),
            thread_id: None,
        })
    }

    /// Chooses the questions, or says why the session cannot run.
    #[tracing::instrument(skip_all, fields(owner = req.owner.0))]
    pub async fn plan(&self, req: StartRequest) -> Result<Planned, RuntimeError> {
        let bank = self.bank_for(req.guild_id);
        let candidates: Vec<UserId> = req
            .participants
            .iter()
            .filter(|p| p.role == Role::Candidate)
            .map(|p| p.user)
            .collect();
        let mut seen = std::collections::HashSet::new();
        for c in &candidates {
            seen.extend(self.store().seen_questions(*c).await?);
        }
        let seed = req.seed.unwrap_or_else(rand::random);
        let selection = Selection {
            topics: req.topics.clone(),
            difficulty: req.difficulty,
            count: req.questions * candidates.len().max(1),
            seed,
        };
        let questions = bank.select(&selection, &seen)?;
        if questions.len() < candidates.len() {
            return Err(SelectError::TooFewForCandidates {
                topics: req.topics.join(", "),
                difficulty: req.difficulty,
                available: questions.len(),
                candidates: candidates.len(),
            }
            .into());
        }
        let plan = interview::plan(&questions, &candidates, req.questions);
        Ok(Planned {
            request: req,
            plan,
            seed,
        })
    }

    /// Stores a planned session, in `thread` if given, with its first
    /// question asked now, and arms its deadline.
    #[tracing::instrument(skip_all, fields(owner = planned.request.owner.0))]
    pub async fn begin(
        &self,
        planned: Planned,
        thread: Option<u64>,
    ) -> Result<Delivery, RuntimeError> {
        let Planned {
            request: req,
            plan,
            seed,
        } = planned;
        let bank = self.bank_for(req.guild_id);
        let now = self.now();
        let (state, effects) = SessionState::start(
            &bank,
            req.kind,
            req.owner,
            req.participants,
            plan,
            req.settings,
            now,
        )?;
        let new = NewSession {
            guild_id: req.guild_id,
            channel_id: req.channel_id,
            thread_id: thread,
            topics: req.topics,
            difficulty: req.difficulty,
            seed,
        };
        let id = self
            .store()
            .create_session(&new, &state, &effects, now)
            .await?;
        tracing::info!(
            session_id = id,
            questions = state.plan.len(),
            "session started"
        );
        self.inner.arm(id, new.guild_id, state.next_wakeup());
        let session = StoredSession {
            id,
            version: 0,
            guild_id: new.guild_id,
            channel_id: new.channel_id,
            thread_id: new.thread_id,
            state,
        };
        self.inner.remember(&session);
        Ok(Delivery {
            session,
            effects,
            fired_at: None,
            resolved_notes: Vec::new(),
        })
    }
}

/// Where a session is asked for: the server, the channel, and whether that
/// channel is a thread (a session gets a thread of its own).
pub struct Place {
    pub guild: u64,
    pub channel: u64,
    pub in_thread: bool,
}

impl Runtime {
    /// Sessions start in a text channel, and in the server's interview
    /// channel if it has one; `command` and `what` word the refusal.
    /// Returns the server's settings, which the session's settings follow.
    pub async fn check_place(
        &self,
        place: &Place,
        command: &str,
        what: &str,
    ) -> Result<GuildSettings, RuntimeError> {
        if place.in_thread {
            return Err(RuntimeError::Refused(format!(
                "Run {command} in a text channel: {what} gets a thread of its own there."
            )));
        }
        let settings = self.store().guild_settings(place.guild).await?;
        match settings.interview_channel_id {
            Some(required) if required != place.channel => Err(RuntimeError::Refused(format!(
                // A channel mention (no ping): the runtime's refusals are worded for chat.
                "Interviews start in <#{required}> on this server: run the command there."
            ))),
            _ => Ok(settings),
        }
    }
}
