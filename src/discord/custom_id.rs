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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_round_trips_within_the_length_limit() {
        let mut all: Vec<Target> = [
            Ctl::Answer,
            Ctl::AnswerModal,
            Ctl::Submit,
            Ctl::Hint(3),
            Ctl::Skip,
            Ctl::End,
            Ctl::Rate(5),
            Ctl::Note,
            Ctl::NoteModal,
            Ctl::View,
            Ctl::Score,
            Ctl::ScoreModal,
            Ctl::FollowUp(4),
        ]
        .into_iter()
        .map(|c| Target::session(i64::MAX, usize::MAX, c))
        .collect();
        all.extend(LOBBY_CODES.iter().map(|(p, _)| Target::Lobby(i64::MAX, *p)));
        all.push(Target::PrivacyDelete { owner: u64::MAX });
        for t in all {
            let s = t.encode();
            assert!(s.len() <= 100, "{s}");
            assert_eq!(Target::decode(&s), Some(t), "{s}");
        }
    }

    #[test]
    fn ids_of_earlier_versions_still_decode() {
        assert_eq!(
            Target::decode("iv:7:2:skip:42"),
            Some(Target::session(7, 2, Ctl::Skip))
        );
        assert_eq!(
            Target::decode("pn:7:2:fu1"),
            Some(Target::session(7, 2, Ctl::FollowUp(1)))
        );
    }

    #[test]
    fn foreign_or_damaged_ids_decode_to_nothing() {
        for s in [
            "",
            "iv",
            "iv:1:2:r9",
            "iv:x:2:skip",
            "iv:1:2:h",
            "iv:1:2:fux",
            "other:1:2:skip",
            "iv:1:2:skip:3:4",
            "pl:1:nope",
            "pl:x:cand",
            "pl:1:cand:2",
            "privacy:delete:x",
        ] {
            assert_eq!(Target::decode(s), None, "{s}");
        }
    }
}
