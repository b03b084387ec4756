//! What a button or modal is for, encoded in its `custom_id`.
//!
//! `iv:{session}:{position}:{action}:{owner}`: the session and question
//! position make a press on an old question harmless (it no longer matches),
//! and the owner's Discord id lets a press by anyone else be refused at once.

use crate::store::SessionId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Opens the answer modal.
    Answer,
    /// Submits what was typed in the thread (message-content intent only).
    Submit,
    /// Shows the next hint; carries how many were shown when it was drawn,
    /// so a second quick press of the same button shows nothing more.
    Hint(u32),
    Skip,
    End,
    Rate(u8),
    /// Opens the note modal.
    Note,
    /// The answer modal was submitted.
    AnswerModal,
    /// The note modal was submitted.
    NoteModal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterviewId {
    pub session: SessionId,
    pub position: usize,
    pub action: Action,
    /// Discord id of the person the control belongs to.
    pub owner: u64,
}

const PREFIX: &str = "iv";

impl InterviewId {
    pub fn new(session: SessionId, position: usize, action: Action, owner: u64) -> Self {
        InterviewId {
            session,
            position,
            action,
            owner,
        }
    }

    pub fn encode(&self) -> String {
        let action = match self.action {
            Action::Answer => "ans".to_string(),
            Action::Submit => "sub".to_string(),
            Action::Hint(n) => format!("h{n}"),
            Action::Skip => "skip".to_string(),
            Action::End => "end".to_string(),
            Action::Rate(r) => format!("r{r}"),
            Action::Note => "note".to_string(),
            Action::AnswerModal => "mans".to_string(),
            Action::NoteModal => "mnote".to_string(),
        };
        format!(
            "{PREFIX}:{}:{}:{action}:{}",
            self.session, self.position, self.owner
        )
    }

    /// None for ids that are not ours or are malformed (pressing them does nothing).
    pub fn decode(s: &str) -> Option<Self> {
        let mut parts = s.split(':');
        if parts.next()? != PREFIX {
            return None;
        }
        let session = parts.next()?.parse().ok()?;
        let position = parts.next()?.parse().ok()?;
        let action = match parts.next()? {
            "ans" => Action::Answer,
            "sub" => Action::Submit,
            "skip" => Action::Skip,
            "end" => Action::End,
            "note" => Action::Note,
            "mans" => Action::AnswerModal,
            "mnote" => Action::NoteModal,
            a if a.starts_with('h') => Action::Hint(a[1..].parse().ok()?),
            a if a.starts_with('r') => {
                let r: u8 = a[1..].parse().ok()?;
                (1..=5).contains(&r).then_some(Action::Rate(r))?
            }
            _ => return None,
        };
        let owner = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Some(InterviewId {
            session,
            position,
            action,
            owner,
        })
    }
}

/// The confirm button of `/privacy delete`.
pub fn privacy_delete(owner: u64) -> String {
    format!("privacy:delete:{owner}")
}

pub fn decode_privacy_delete(s: &str) -> Option<u64> {
    s.strip_prefix("privacy:delete:")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_within_the_length_limit() {
        for action in [
            Action::Answer,
            Action::Submit,
            Action::Hint(3),
            Action::Skip,
            Action::End,
            Action::Rate(5),
            Action::Note,
            Action::AnswerModal,
            Action::NoteModal,
        ] {
            let id = InterviewId::new(i64::MAX, 19, action, u64::MAX);
            let s = id.encode();
            assert!(s.len() <= 100, "{s}");
            assert_eq!(InterviewId::decode(&s), Some(id));
        }
    }

    #[test]
    fn foreign_or_damaged_ids_decode_to_nothing() {
        for s in [
            "",
            "iv",
            "iv:1:2:r9:3",
            "iv:x:2:skip:3",
            "other:1:2:skip:3",
            "iv:1:2:skip:3:4",
        ] {
            assert_eq!(InterviewId::decode(s), None, "{s}");
        }
        assert_eq!(decode_privacy_delete(&privacy_delete(42)), Some(42));
    }
}
