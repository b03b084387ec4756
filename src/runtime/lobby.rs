//! The rules of a panel lobby, kept free of Discord and SQL so they can be
//! tested alone: who may join as what, the limits, who may start or cancel,
//! and expiry 30 minutes after creation.

use crate::store::{Lobby, LobbyMember, LobbyRole, LobbyStatus};
use crate::time::Timestamp;
use std::time::Duration;

pub const MAX_CANDIDATES: usize = 8;
pub const MAX_INTERVIEWERS: usize = 5;
/// A lobby nobody starts expires this long after creation.
pub const LIFETIME: Duration = Duration::from_secs(30 * 60);

pub const EXPIRED: &str =
    "This lobby expired: nobody started it within 30 minutes. Create a new one with /panel create.";
pub const NOT_OPEN: &str = "This lobby is closed: create a new one with /panel create.";
pub const MAY_NOT_MANAGE: &str = "Only the person who created this panel, someone with the server's interviewer role or someone with Manage Server can start or cancel it.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    JoinCandidate,
    JoinInterviewer,
    Leave,
    Start,
    Cancel,
}

/// Who pressed, as far as the rules care.
#[derive(Debug, Clone)]
pub struct Presser {
    pub discord_id: u64,
    pub name: String,
    /// Holds the interviewer role or Manage Server.
    pub elevated: bool,
}

/// What a press did. `changed` lobbies are stored and their message redrawn;
/// `reply` goes to the presser alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub changed: bool,
    pub reply: Option<String>,
    /// The lobby is marked started: the caller opens the thread (and opens
    /// the lobby again if that fails).
    pub start: bool,
}

fn refuse(text: &str) -> Outcome {
    Outcome {
        changed: false,
        reply: Some(text.to_string()),
        start: false,
    }
}

fn changed(reply: Option<&str>) -> Outcome {
    Outcome {
        changed: true,
        reply: reply.map(str::to_string),
        start: false,
    }
}

pub fn expires_at(l: &Lobby) -> Timestamp {
    l.created.plus(LIFETIME)
}

pub fn count(l: &Lobby, role: LobbyRole) -> usize {
    l.members.iter().filter(|m| m.role == role).count()
}

pub fn may_manage(l: &Lobby, who: &Presser) -> bool {
    who.discord_id == l.creator || who.elevated
}

/// Applies a press to the lobby; an expired lobby is marked so on the spot.
pub fn apply(l: &mut Lobby, press: Press, who: &Presser, now: Timestamp) -> Outcome {
    if l.status == LobbyStatus::Open && now >= expires_at(l) {
        l.status = LobbyStatus::Expired;
        return changed(Some(EXPIRED));
    }
    match l.status {
        LobbyStatus::Open => {}
        LobbyStatus::Expired => return refuse(EXPIRED),
        _ => return refuse(NOT_OPEN),
    }
    let mine = l
        .members
        .iter()
        .position(|m| m.discord_id == who.discord_id);
    match press {
        Press::JoinCandidate | Press::JoinInterviewer => {
            let role = if press == Press::JoinCandidate {
                LobbyRole::Candidate
            } else {
                LobbyRole::Interviewer
            };
            if let Some(i) = mine {
                if l.members[i].role == role {
                    return refuse(match role {
                        LobbyRole::Candidate => "You already joined as a candidate.",
                        LobbyRole::Interviewer => "You already joined as an interviewer.",
                    });
                }
            }
            let (limit, full) = match role {
                LobbyRole::Candidate => (
                    MAX_CANDIDATES,
                    "This panel already has 8 candidates, the most it takes. You may join as an interviewer.",
                ),
                LobbyRole::Interviewer => (
                    MAX_INTERVIEWERS,
                    "This panel already has 5 interviewers, the most it takes. You may join as a candidate.",
                ),
            };
            if count(l, role) >= limit {
                return refuse(full);
            }
            // A person is one or the other: joining as one leaves the other.
            match mine {
                Some(i) => {
                    l.members[i].role = role;
                    l.members[i].name = who.name.clone();
                }
                None => l.members.push(LobbyMember {
                    discord_id: who.discord_id,
                    name: who.name.clone(),
                    role,
                }),
            }
            changed(None)
        }
        Press::Leave => match mine {
            Some(i) => {
                l.members.remove(i);
                changed(None)
            }
            None => refuse("You are not in this lobby, so there is nothing to leave."),
        },
        Press::Cancel if !may_manage(l, who) => refuse(MAY_NOT_MANAGE),
        Press::Cancel => {
            l.status = LobbyStatus::Cancelled;
            changed(Some("Panel cancelled."))
        }
        Press::Start if !may_manage(l, who) => refuse(MAY_NOT_MANAGE),
        Press::Start if count(l, LobbyRole::Candidate) == 0 => {
            refuse("A panel needs at least one candidate before it can start.")
        }
        Press::Start if count(l, LobbyRole::Interviewer) == 0 => {
            refuse("A panel needs at least one interviewer before it can start.")
        }
        Press::Start => {
            l.status = LobbyStatus::Started;
            Outcome {
                changed: true,
                reply: None,
                start: true,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = Timestamp(1_700_000_000_000);

    fn lobby() -> Lobby {
        Lobby {
            id: 1,
            guild: 10,
            channel: 20,
            message: Some(30),
            creator: 1,
            topic: "python".into(),
            difficulty: "mixed".into(),
            questions: 3,
            minutes: None,
            members: Vec::new(),
            created: T0,
            status: LobbyStatus::Open,
        }
    }

    fn who(id: u64) -> Presser {
        Presser {
            discord_id: id,
            name: format!("user{id}"),
            elevated: false,
        }
    }

    #[test]
    fn a_person_is_a_candidate_or_an_interviewer_never_both() {
        let mut l = lobby();
        assert!(apply(&mut l, Press::JoinCandidate, &who(2), T0).changed);
        assert!(!apply(&mut l, Press::JoinCandidate, &who(2), T0).changed);
        assert!(apply(&mut l, Press::JoinInterviewer, &who(2), T0).changed);
        assert_eq!(l.members.len(), 1);
        assert_eq!(l.members[0].role, LobbyRole::Interviewer);
        assert!(apply(&mut l, Press::Leave, &who(2), T0).changed);
        assert!(l.members.is_empty());
        assert!(!apply(&mut l, Press::Leave, &who(2), T0).changed);
    }

    #[test]
    fn the_limits_are_eight_candidates_and_five_interviewers() {
        let mut l = lobby();
        for id in 100..108 {
            assert!(apply(&mut l, Press::JoinCandidate, &who(id), T0).changed);
        }
        let out = apply(&mut l, Press::JoinCandidate, &who(200), T0);
        assert!(!out.changed && out.reply.unwrap().contains("8 candidates"));
        for id in 300..305 {
            assert!(apply(&mut l, Press::JoinInterviewer, &who(id), T0).changed);
        }
        let out = apply(&mut l, Press::JoinInterviewer, &who(400), T0);
        assert!(!out.changed && out.reply.unwrap().contains("5 interviewers"));
    }

    #[test]
    fn only_the_creator_or_an_elevated_member_starts_or_cancels() {
        let mut l = lobby();
        apply(&mut l, Press::JoinCandidate, &who(2), T0);
        let out = apply(&mut l, Press::Start, &who(2), T0);
        assert_eq!(out.reply.as_deref(), Some(MAY_NOT_MANAGE));
        assert_eq!(
            apply(&mut l, Press::Cancel, &who(2), T0).reply.as_deref(),
            Some(MAY_NOT_MANAGE)
        );
        let out = apply(&mut l, Press::Start, &who(1), T0);
        assert!(!out.start && out.reply.unwrap().contains("interviewer"));
        apply(&mut l, Press::JoinInterviewer, &who(3), T0);
        let (mut by_admin, mut cancelled) = (l.clone(), l.clone());
        assert!(apply(&mut l, Press::Start, &who(1), T0).start);
        assert_eq!(l.status, LobbyStatus::Started);
        let again = apply(&mut l, Press::Start, &who(1), T0);
        assert!(!again.start && again.reply.as_deref() == Some(NOT_OPEN));
        let admin = Presser {
            elevated: true,
            ..who(9)
        };
        assert!(apply(&mut by_admin, Press::Start, &admin, T0).start);
        assert!(apply(&mut cancelled, Press::Cancel, &admin, T0).changed);
        assert_eq!(cancelled.status, LobbyStatus::Cancelled);
        assert_eq!(
            apply(&mut cancelled, Press::JoinCandidate, &who(4), T0)
                .reply
                .as_deref(),
            Some(NOT_OPEN)
        );
    }

    #[test]
    fn a_lobby_expires_thirty_minutes_after_creation() {
        let mut l = lobby();
        let late = T0.plus(LIFETIME);
        assert!(
            apply(
                &mut l,
                Press::JoinCandidate,
                &who(2),
                late.minus(Duration::from_millis(1))
            )
            .changed
        );
        let out = apply(&mut l, Press::JoinCandidate, &who(3), late);
        assert!(out.changed, "the expiry itself is stored");
        assert_eq!(out.reply.as_deref(), Some(EXPIRED));
        assert_eq!(l.status, LobbyStatus::Expired);
        assert!(!apply(&mut l, Press::Leave, &who(2), late).changed);
    }
}
