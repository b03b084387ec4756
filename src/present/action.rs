//! What every button and modal of the bot is for, encoded in its
//! `custom_id` (at most 100 characters), in one codec:
//!
//! - `iv:{session}:{position}:{control}`: a running session's controls
//!   (solo and panel alike). The position makes a press on an old question
//!   harmless: the engine refuses it as closed. Who may press is decided by
//!   the engine against the stored session, so the id carries no owner.
//! - `pl:{lobby}:{press}`: a panel lobby's buttons.
//! - `privacy:delete:{owner}`: the confirm button of `/privacy delete`.
//!
//! Ids drawn by earlier versions (`iv:…:{owner}` and `pn:…`) still decode.

use crate::runtime::lobby::Press as LobbyPress;
use crate::store::{LobbyId, SessionId};

/// A session control, as drawn on a button or modal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctl {
    /// Opens the answer modal.
    Answer,
    /// The answer modal was submitted.
    AnswerModal,
    /// Submits what was typed in the thread (message-content intent only).
    Submit,
    /// The next hint; how many were shown when the button was drawn.
    Hint(u32),
    Skip,
    End,
    Rate(u8),
    /// Opens the note modal, and the note modal was submitted.
    Note,
    NoteModal,
    /// A panel interviewer's private view, scorecard modal and follow-ups.
    View,
    Score,
    ScoreModal,
    FollowUp(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Session {
        session: SessionId,
        position: usize,
        ctl: Ctl,
    },
    Lobby(LobbyId, LobbyPress),
    PrivacyDelete {
        owner: u64,
    },
}

const CTL_CODES: [(Ctl, &str); 11] = [
    (Ctl::Answer, "ans"),
    (Ctl::AnswerModal, "mans"),
    (Ctl::Submit, "sub"),
    (Ctl::Skip, "skip"),
    (Ctl::End, "end"),
    (Ctl::Note, "note"),
    (Ctl::NoteModal, "mnote"),
    (Ctl::View, "view"),
    (Ctl::Score, "score"),
    (Ctl::ScoreModal, "mscore"),
    (Ctl::Hint(0), "h"),
];

const LOBBY_CODES: [(LobbyPress, &str); 5] = [
    (LobbyPress::JoinCandidate, "cand"),
    (LobbyPress::JoinInterviewer, "intv"),
    (LobbyPress::Leave, "leave"),
    (LobbyPress::Start, "start"),
    (LobbyPress::Cancel, "cancel"),
];

fn ctl_code(ctl: Ctl) -> String {
    match ctl {
        Ctl::Hint(n) => format!("h{n}"),
        Ctl::Rate(r) => format!("r{r}"),
        Ctl::FollowUp(n) => format!("fu{n}"),
        other => CTL_CODES
            .iter()
            .find(|(c, _)| *c == other)
            .map(|(_, s)| s.to_string())
            .unwrap_or_default(),
    }
}

fn parse_ctl(s: &str) -> Option<Ctl> {
    if let Some((c, _)) = CTL_CODES.iter().find(|(_, code)| *code == s && s != "h") {
        return Some(*c);
    }
    if let Some(n) = s.strip_prefix("fu") {
        return Some(Ctl::FollowUp(n.parse().ok()?));
    }
    if let Some(n) = s.strip_prefix('h') {
        return Some(Ctl::Hint(n.parse().ok()?));
    }
    let r: u8 = s.strip_prefix('r')?.parse().ok()?;
    (1..=5).contains(&r).then_some(Ctl::Rate(r))
}

impl Target {
    pub fn session(session: SessionId, position: usize, ctl: Ctl) -> Target {
        Target::Session {
            session,
            position,
            ctl,
        }
    }

    pub fn encode(&self) -> String {
        match *self {
            Target::Session {
                session,
                position,
                ctl,
            } => format!("iv:{session}:{position}:{}", ctl_code(ctl)),
            Target::Lobby(id, press) => {
                let code = LOBBY_CODES
                    .iter()
                    .find(|(p, _)| *p == press)
                    .map_or("", |(_, c)| c);
                format!("pl:{id}:{code}")
            }
            Target::PrivacyDelete { owner } => format!("privacy:delete:{owner}"),
        }
    }

    /// None for ids that are not ours or are damaged (pressing them does nothing).
    pub fn decode(s: &str) -> Option<Target> {
        let parts: Vec<&str> = s.split(':').collect();
        match parts.as_slice() {
            ["privacy", "delete", owner] => Some(Target::PrivacyDelete {
                owner: owner.parse().ok()?,
            }),
            ["pl", id, press] => {
                let (p, _) = LOBBY_CODES.iter().find(|(_, c)| c == press)?;
                Some(Target::Lobby(id.parse().ok()?, *p))
            }
            // The owner part of older solo ids is ignored: the engine decides.
            ["iv", session, position, ctl]
            | ["iv", session, position, ctl, _]
            | ["pn", session, position, ctl] => Some(Target::Session {
                session: session.parse().ok()?,
                position: position.parse().ok()?,
                ctl: parse_ctl(ctl)?,
            }),
            _ => None,
        }
    }
}
