//! Exporting a finished session: only its own candidate may.

use super::{Runtime, RuntimeError};
use crate::export::Export;
use crate::interview::{Role, UserId};
use crate::store::SessionId;

impl Runtime {
    /// `requester`'s part of finished session `id`. Someone else's session,
    /// or one that does not exist, is refused with the same words, so an id
    /// says nothing about other people; a running one is refused until it
    /// ends.
    pub async fn export(&self, id: SessionId, requester: UserId) -> Result<Export, RuntimeError> {
        let not_yours = || {
            RuntimeError::Refused(format!(
                "interview #{id} is not one of yours: you can export only interviews you answered in"
            ))
        };
        let session = self.store().load_session(id).await?.ok_or_else(not_yours)?;
        let theirs = session
            .state
            .participants
            .iter()
            .any(|p| p.user == requester && p.role == Role::Candidate);
        if !theirs {
            return Err(not_yours());
        }
        if session.state.is_running() {
            return Err(RuntimeError::Refused(format!(
                "interview #{id} is still running: export it once it has ended"
            )));
        }
        let notes = self.store().session_notes(id, requester).await?;
        Ok(Export::build(
            &self.bank_for(session.guild_id),
            &session,
            requester,
            &notes,
        ))
    }
}
