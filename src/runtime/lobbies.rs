//! Lobby presses as the runtime runs them: each one applied by the rules in
//! `lobby` and stored in one transaction under that lobby's lock, which the
//! caller keeps while it redraws the lobby message, so two quick presses
//! cannot leave the older member list on the message.

use super::lobby::{self, Outcome, Press, Presser};
use super::{Runtime, RuntimeError};
use crate::store::{Lobby, LobbyId, LobbyStatus};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OwnedMutexGuard;

/// One lock per lobby. Entries nobody holds are dropped as the map grows,
/// so it stays as small as the number of lobbies being pressed at once.
#[derive(Default)]
pub struct LobbyLocks {
    map: Mutex<HashMap<LobbyId, Arc<tokio::sync::Mutex<()>>>>,
}

impl LobbyLocks {
    pub fn get(&self, id: LobbyId) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= 64 && !map.contains_key(&id) {
            map.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        Arc::clone(map.entry(id).or_default())
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// What a press did. `lobby` is the stored lobby when the press changed it;
/// the lobby's lock is held until this is dropped.
pub struct LobbyPressed {
    pub lobby: Option<Lobby>,
    pub outcome: Outcome,
    _guard: OwnedMutexGuard<()>,
}

impl LobbyPressed {
    /// Lets go of the lobby's lock early: a started lobby is stored as
    /// started, so a second Start is refused without it.
    pub fn release(self) -> (Option<Lobby>, Outcome) {
        (self.lobby, self.outcome)
    }
}

impl Runtime {
    /// Applies a press to a stored lobby; None when the lobby is gone.
    pub async fn press_lobby(
        &self,
        id: LobbyId,
        press: Press,
        who: &Presser,
    ) -> Result<Option<LobbyPressed>, RuntimeError> {
        let guard = self.inner.lobby_locks.get(id).lock_owned().await;
        let now = self.now();
        let updated = self
            .store()
            .update_lobby(id, |l| {
                let out = lobby::apply(l, press, who, now);
                // Unchanged lobbies are not written back.
                if out.changed {
                    Ok(out)
                } else {
                    Err(out)
                }
            })
            .await?;
        let (lobby, outcome) = match updated {
            None => return Ok(None),
            Some(Ok((l, out))) => (Some(l), out),
            Some(Err(out)) => (None, out),
        };
        Ok(Some(LobbyPressed {
            lobby,
            outcome,
            _guard: guard,
        }))
    }

    /// Opens a lobby again after its panel failed to start (nothing of the
    /// panel was stored), so its creator can try again.
    pub async fn reopen_lobby(&self, id: LobbyId) -> Result<(), RuntimeError> {
        self.store()
            .update_lobby(id, |l| {
                l.status = LobbyStatus::Open;
                Ok::<_, ()>(())
            })
            .await?;
        Ok(())
    }

    /// Closes the lobbies of this process's servers past their lifetime
    /// and returns them, for their messages to say so.
    pub async fn expire_lobbies(&self) -> Result<Vec<Lobby>, RuntimeError> {
        let before = self.now().minus(lobby::LIFETIME);
        let owned = self.ownership();
        let keep = move |guild| owned.owns(Some(guild));
        Ok(self.store().expire_lobbies(before, keep).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lobby_locks_nobody_holds_are_dropped_as_the_map_grows() {
        let locks = LobbyLocks::default();
        let held = locks.get(0);
        for id in 1..1000 {
            drop(locks.get(id));
        }
        assert!(locks.len() <= 65, "{} locks kept", locks.len());
        assert!(Arc::ptr_eq(&held, &locks.get(0)), "a held lock is kept");
    }
}
