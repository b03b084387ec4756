//! Follow-up notes people write: who may write or resolve which.

use super::{Runtime, RuntimeError};
use crate::interview::UserId;
use crate::store::SessionId;

/// A note's longest text, in characters (Discord's form holds as much).
pub const NOTE_CHARS: usize = 1000;

fn refused(text: &str) -> RuntimeError {
    RuntimeError::Refused(text.to_string())
}

/// A note's text as it is stored, or why it may not be written: about
/// someone else only for the server's moderators (the interviewer role, or
/// Manage Server). Checked before anyone is looked up, so a refusal
/// changes nothing.
pub fn checked_note(
    text: &str,
    about_someone_else: bool,
    moderator: bool,
) -> Result<String, RuntimeError> {
    let text: String = text.trim().chars().take(NOTE_CHARS).collect();
    if text.is_empty() {
        return Err(refused("Write something in the note."));
    }
    if about_someone_else && !moderator {
        return Err(refused(
            "Only interviewers (the role set with /config) can add notes about someone else.",
        ));
    }
    Ok(text)
}

impl Runtime {
    /// A note an interview's "Add note" saved: it is about the session's
    /// candidate, whoever wrote it, so it comes back in their review.
    pub async fn note_on_session(
        &self,
        session: SessionId,
        author: UserId,
        guild: Option<u64>,
        text: &str,
    ) -> Result<i64, RuntimeError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(refused("The note was empty, so nothing was saved."));
        }
        let owner = self.session(session).await?.state.owner;
        let store = self.store();
        Ok(store
            .add_note(guild, owner, Some(author), text, self.now())
            .await?)
    }

    /// Resolves note `id` for `who` (None: someone the bot has never seen),
    /// who must be its subject or its author.
    pub async fn resolve_note_by(&self, who: Option<UserId>, id: i64) -> Result<(), RuntimeError> {
        let resolved = match who {
            Some(me) => self.store().resolve_note(id, me, self.now()).await?,
            None => false,
        };
        if resolved {
            return Ok(());
        }
        Err(RuntimeError::Refused(format!(
            "You have no note #{id} (about you or written by you): list yours with /notes status:all."
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_needs_text_and_one_about_someone_else_needs_a_moderator() {
        let shown = |r: Result<String, RuntimeError>| r.map_err(|e| e.to_string());
        assert_eq!(
            shown(checked_note("  ", false, true)),
            Err("Write something in the note.".into())
        );
        assert!(shown(checked_note("read up on the GIL", true, false))
            .is_err_and(|e| e.starts_with("Only interviewers")));
        assert_eq!(
            shown(checked_note(" mine ", false, false)),
            Ok("mine".into())
        );
        assert_eq!(
            shown(checked_note("theirs", true, true)),
            Ok("theirs".into())
        );
        let long = "x".repeat(NOTE_CHARS + 50);
        let kept = checked_note(&long, false, false).map(|t| t.chars().count());
        assert_eq!(kept.ok(), Some(NOTE_CHARS));
    }
}
