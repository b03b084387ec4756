//! What a running panel's button or modal is for, encoded in its `custom_id`.
//!
//! `pn:{session}:{position}:{action}`: unlike a solo interview's controls,
//! they carry no owner, because who may press depends on the role each
//! person holds in the panel, which is checked against the stored session
//! (so each wrong role is told what it can do instead).

use crate::store::SessionId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Opens the answer modal (the addressed candidate).
    Answer,
    /// Shows the next hint; carries how many were shown when it was drawn.
    Hint(u32),
    Skip,
    /// The interviewer's private view of the question.
    View,
    /// Opens the scorecard modal (interviewers).
    Score,
    /// Asks follow-up `n` (0-based) in the thread (interviewers).
    FollowUp(usize),
    /// Ends the panel (its creator, or the interviewer role / Manage Server).
    End,
    AnswerModal,
    ScoreModal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PanelId {
    pub session: SessionId,
    pub position: usize,
    pub control: Control,
}

const PREFIX: &str = "pn";

impl PanelId {
    pub fn new(session: SessionId, position: usize, control: Control) -> Self {
        PanelId {
            session,
            position,
            control,
        }
    }

    pub fn encode(&self) -> String {
        let action = match self.control {
            Control::Answer => "ans".to_string(),
            Control::Hint(n) => format!("h{n}"),
            Control::Skip => "skip".to_string(),
            Control::View => "view".to_string(),
            Control::Score => "score".to_string(),
            Control::FollowUp(n) => format!("fu{n}"),
            Control::End => "end".to_string(),
            Control::AnswerModal => "mans".to_string(),
            Control::ScoreModal => "mscore".to_string(),
        };
        format!("{PREFIX}:{}:{}:{action}", self.session, self.position)
    }

    /// None for ids that are not a running panel's, or are damaged.
    pub fn decode(s: &str) -> Option<Self> {
        let mut parts = s.split(':');
        if parts.next()? != PREFIX {
            return None;
        }
        let session = parts.next()?.parse().ok()?;
        let position = parts.next()?.parse().ok()?;
        let control = match parts.next()? {
            "ans" => Control::Answer,
            "skip" => Control::Skip,
            "view" => Control::View,
            "score" => Control::Score,
            "end" => Control::End,
            "mans" => Control::AnswerModal,
            "mscore" => Control::ScoreModal,
            a if a.starts_with("fu") => Control::FollowUp(a[2..].parse().ok()?),
            a if a.starts_with('h') => Control::Hint(a[1..].parse().ok()?),
            _ => return None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(PanelId::new(session, position, control))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_round_trips_within_the_length_limit() {
        for control in [
            Control::Answer,
            Control::Hint(2),
            Control::Skip,
            Control::View,
            Control::Score,
            Control::FollowUp(4),
            Control::End,
            Control::AnswerModal,
            Control::ScoreModal,
        ] {
            let id = PanelId::new(i64::MAX, usize::MAX, control);
            let s = id.encode();
            assert!(s.len() <= 100, "{s}");
            assert_eq!(PanelId::decode(&s), Some(id));
        }
    }

    #[test]
    fn foreign_or_damaged_ids_decode_to_nothing() {
        for s in [
            "",
            "pn",
            "pn:1:2",
            "pn:1:2:nope",
            "pn:x:2:view",
            "pn:1:2:fux",
            "pn:1:2:view:9",
            "iv:1:2:skip:3",
            "pl:1:start",
        ] {
            assert_eq!(PanelId::decode(s), None, "{s}");
        }
    }
}
