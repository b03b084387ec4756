//! Who moderates a server's sessions.

use crate::store::{Store, StoreError};

/// Manage Server, or the server's interviewer role (`/config
/// interviewer_role`). Moderators may end any panel, manage any lobby, and
/// read or add notes about others.
pub async fn moderator(
    store: &Store,
    guild: u64,
    manages_server: bool,
    roles: &[u64],
) -> Result<bool, StoreError> {
    if manages_server {
        return Ok(true);
    }
    let settings = store.guild_settings(guild).await?;
    Ok(settings
        .interviewer_role_id
        .is_some_and(|role| roles.contains(&role)))
}
