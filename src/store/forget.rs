//! The SQL of `/privacy delete`: which sessions may hold a person in their
//! stored state, and the final delete of the person and their rows.
//!
//! The sessions are scrubbed first, one transition each, by the runtime
//! under their locks; only then does `forget_user` delete, so no transition
//! can later write a row that references a deleted user.

use super::db::Store;
use super::error::StoreError;
use super::ids;
use super::lobbies::LobbyMember;
use super::sessions::SessionId;
use crate::interview::UserId;
use sqlx::{AnyConnection, Row};

/// No Discord account has id 0: the creator of a lobby whose creator deleted
/// their data.
const NO_CREATOR: i64 = 0;

const MENTIONING: &str = "SELECT session_id FROM participants WHERE user_id = $1
     UNION SELECT id FROM sessions WHERE owner_id = $1 ORDER BY 1";

impl Store {
    /// Sessions, running or not, whose stored state may mention `user`:
    /// those they took part in and those they created.
    pub async fn sessions_mentioning(&self, user: UserId) -> Result<Vec<SessionId>, StoreError> {
        Ok(sqlx::query_scalar(MENTIONING)
            .bind(user.0)
            .fetch_all(&self.pool)
            .await?)
    }

    /// Deletes `user` and everything about them (answers, ratings, notes
    /// about them, their solo sessions, their seat in lobbies) in one
    /// transaction. Sessions they were in must have been scrubbed: if one
    /// not in `scrubbed` mentions them (it started meanwhile), nothing is
    /// deleted and those sessions are returned, to be scrubbed first.
    pub async fn forget_user(
        &self,
        user: UserId,
        scrubbed: &[SessionId],
    ) -> Result<Vec<SessionId>, StoreError> {
        // No session may start with them between this check and the
        // delete. On SQLite the write lock is held from here. On PostgreSQL
        // the user's row is locked: a session that adds them (a foreign key
        // to this row, which takes a key-share lock) waits for this commit
        // and then fails on the deleted row, or, begun first, makes this
        // wait and then shows up in the check below.
        let mut tx = self.write().await?;
        sqlx::query(&format!(
            "SELECT id FROM users WHERE id = $1{}",
            self.backend.for_update()
        ))
        .bind(user.0)
        .fetch_optional(&mut *tx)
        .await?;
        let mentioning: Vec<SessionId> = sqlx::query_scalar(MENTIONING)
            .bind(user.0)
            .fetch_all(&mut *tx)
            .await?;
        let missed: Vec<SessionId> = mentioning
            .into_iter()
            .filter(|id| !scrubbed.contains(id))
            .collect();
        if !missed.is_empty() {
            return Ok(missed);
        }
        delete_in(&mut tx, user).await?;
        tx.commit().await?;
        Ok(Vec::new())
    }
}

/// Removes the user row and what hangs on it. Panels they were in stay for
/// the other people (their owner column is set to NULL by the schema).
pub(super) async fn delete_in(tx: &mut AnyConnection, user: UserId) -> Result<(), StoreError> {
    let discord_id: Option<Option<i64>> =
        sqlx::query_scalar("SELECT discord_id FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(discord_id) = discord_id.flatten() {
        leave_lobbies(tx, discord_id).await?;
        // A pack they imported stays the server's; only their name goes.
        sqlx::query("UPDATE guild_packs SET imported_by = NULL WHERE imported_by = $1")
            .bind(discord_id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM sessions WHERE owner_id = $1 AND kind = 'solo'")
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
    // Review state: the schedule is replayed from the answers deleted with
    // the user; the reminder opt-in (and its last-sent day) goes here, so
    // no reminder follows a deletion. (The schema cascades too; this says
    // so where the deletion is read.)
    sqlx::query("DELETE FROM review_reminders WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Lobbies keep members by Discord id and name in a JSON list, and their
/// creator by Discord id, outside any foreign key: take the person out.
async fn leave_lobbies(tx: &mut AnyConnection, discord_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE panel_lobbies SET creator_id = $1 WHERE creator_id = $2")
        .bind(NO_CREATOR)
        .bind(discord_id)
        .execute(&mut *tx)
        .await?;
    // The text match only narrows the rows; the parsed list decides.
    let rows = sqlx::query("SELECT id, members FROM panel_lobbies WHERE members LIKE $1")
        .bind(format!("%{}%", ids::from_db(discord_id)))
        .fetch_all(&mut *tx)
        .await?;
    for row in rows {
        let id: i64 = row.get("id");
        let json: String = row.get("members");
        let mut members: Vec<LobbyMember> = serde_json::from_str(&json)
            .map_err(|source| StoreError::CorruptState { id, source })?;
        let before = members.len();
        members.retain(|m| m.discord_id != ids::from_db(discord_id));
        if members.len() == before {
            continue;
        }
        let json = serde_json::to_string(&members)
            .map_err(|source| StoreError::CorruptState { id, source })?;
        sqlx::query("UPDATE panel_lobbies SET members = $1 WHERE id = $2")
            .bind(json)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{LobbyRole, NewLobby};
    use crate::time::Timestamp;

    async fn store(dir: &tempfile::TempDir) -> Store {
        Store::open(&dir.path().join("t.db")).await.expect("opens")
    }

    /// A bare panel row with `user` in it (the state is not read here).
    async fn panel_with(s: &Store, user: UserId) -> SessionId {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sessions (kind, status, state, created_ms, updated_ms)
             VALUES ('panel', 'running', '{}', 0, 0) RETURNING id",
        )
        .fetch_one(&s.pool)
        .await
        .expect("session");
        sqlx::query("INSERT INTO participants (session_id, user_id, role, joined_ms) VALUES ($1, $2, 'candidate', 0)")
            .bind(id)
            .bind(user.0)
            .execute(&s.pool)
            .await
            .expect("participant");
        id
    }

    #[tokio::test]
    async fn a_person_in_a_session_not_yet_scrubbed_is_not_deleted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = store(&dir).await;
        let bob = s.discord_user(77, "Bob").await.expect("user");
        let first = panel_with(&s, bob).await;
        assert_eq!(s.sessions_mentioning(bob).await.expect("list"), [first]);
        // A second panel started after the list was taken.
        let second = panel_with(&s, bob).await;
        let missed = s.forget_user(bob, &[first]).await.expect("checked");
        assert_eq!(missed, [second]);
        assert_eq!(s.find_discord_user(77).await.expect("find"), Some(bob));

        let missed = s.forget_user(bob, &[first, second]).await.expect("deleted");
        assert!(missed.is_empty());
        assert_eq!(s.find_discord_user(77).await.expect("find"), None);
        assert!(s.sessions_mentioning(bob).await.expect("list").is_empty());
    }

    #[tokio::test]
    async fn a_deleted_person_leaves_every_lobby_and_no_longer_creates_any() {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = store(&dir).await;
        let bob = s.discord_user(77, "Bob").await.expect("user");
        let lobby = s
            .create_lobby(&NewLobby {
                guild: 1,
                channel: 2,
                creator: 77,
                topic: "t".into(),
                difficulty: "mixed".into(),
                questions: 1,
                minutes: None,
                created: Timestamp(0),
            })
            .await
            .expect("lobby")
            .id;
        let member = |discord_id, name: &str| LobbyMember {
            discord_id,
            name: name.into(),
            role: LobbyRole::Candidate,
        };
        s.update_lobby(lobby, |l| {
            l.members = vec![member(77, "Bob"), member(770, "Carol")];
            Ok::<_, ()>(())
        })
        .await
        .expect("joined");
        assert!(s.forget_user(bob, &[]).await.expect("deleted").is_empty());
        let l = s.lobby(lobby).await.expect("read").expect("lobby");
        assert_eq!(l.members, [member(770, "Carol")]);
        assert_eq!(l.creator, 0);
    }
}
