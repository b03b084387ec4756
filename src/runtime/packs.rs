//! Each server's bank: the shipped one, plus the server's pack if it has
//! one. Packs live in the database; this process keeps each pack's bank
//! built, rebuilt when the pack is imported or removed and when the shipped
//! bank is reloaded. A server without a pack (and the terminal) gets the
//! shipped bank's own `Arc`, never a copy.
//!
//! With several processes, the one that owns a server (its shard's) takes
//! its `/pack` commands; it announces each change (`changes`), and every
//! other process rebuilds that server's pack bank from the database.

use super::{Inner, Runtime, RuntimeError};
use crate::bank::pack::{self, Lint, Pack};
use crate::bank::{Bank, BankErrors, Problem};
use crate::store::{Change, StoredPack};
use crate::time::Timestamp;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

/// A server's pack as this process holds it.
#[derive(Debug, Clone)]
pub struct GuildPack {
    pub stored: StoredPack,
    /// The pack and the server's bank; or, when the stored pack no longer
    /// fits the shipped bank (a reload added a topic of the same slug), why.
    pub built: Result<(Pack, Arc<Bank>), Vec<Problem>>,
}

/// Servers' packs by server id.
#[derive(Default)]
pub(super) struct PackCache {
    packs: RwLock<HashMap<u64, Arc<GuildPack>>>,
    /// Each server's bank before its last import or removal, so that an
    /// interview on a question that left can still close it.
    retired: RwLock<HashMap<u64, Arc<Bank>>>,
    /// One import or removal at a time in this process: validating, storing
    /// and swapping the cached bank happen in the same order for everyone.
    writes: tokio::sync::Mutex<()>,
}

impl PackCache {
    fn get(&self, guild: u64) -> Option<Arc<GuildPack>> {
        let packs = self.packs.read().unwrap_or_else(|p| p.into_inner());
        packs.get(&guild).cloned()
    }

    fn put(&self, entry: GuildPack) {
        let mut packs = self.packs.write().unwrap_or_else(|p| p.into_inner());
        packs.insert(entry.stored.guild_id, Arc::new(entry));
    }

    /// Puts in a server's new pack (or none), keeping its old bank retired.
    fn replace(&self, guild: u64, entry: Option<GuildPack>) {
        let old = {
            let mut packs = self.packs.write().unwrap_or_else(|p| p.into_inner());
            match entry {
                Some(e) => packs.insert(guild, Arc::new(e)),
                None => packs.remove(&guild),
            }
        };
        if let Some(Ok((_, bank))) = old.as_ref().map(|o| &o.built) {
            let mut retired = self.retired.write().unwrap_or_else(|p| p.into_inner());
            retired.insert(guild, Arc::clone(bank));
        }
    }

    fn retired(&self, guild: u64) -> Option<Arc<Bank>> {
        let retired = self.retired.read().unwrap_or_else(|p| p.into_inner());
        retired.get(&guild).cloned()
    }

    fn all(&self) -> Vec<StoredPack> {
        let packs = self.packs.read().unwrap_or_else(|p| p.into_inner());
        packs.values().map(|p| p.stored.clone()).collect()
    }
}

/// What an import did, for the person who asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPack {
    pub questions: usize,
    /// Question count per topic slug.
    pub by_topic: BTreeMap<String, usize>,
    /// The pack's own topics.
    pub new_topics: Vec<String>,
    /// How many questions the pack it replaced had.
    pub replaced: Option<usize>,
}

/// Checks a stored pack against `shipped` and builds the server's bank.
fn build(shipped: &Bank, stored: StoredPack, lint: Lint) -> GuildPack {
    let built = pack::check(shipped, &stored.file_name, stored.yaml.as_bytes(), lint)
        .map(|p| {
            let bank = Arc::new(shipped.with_pack(stored.guild_id, &p));
            (p, bank)
        })
        .map_err(|e| e.0);
    GuildPack { stored, built }
}

impl Inner {
    /// The bank for a session or an interaction of `guild`.
    pub(super) fn bank_for(&self, guild: Option<u64>) -> Arc<Bank> {
        let own = guild
            .and_then(|g| self.packs.get(g))
            .and_then(|p| p.built.as_ref().ok().map(|(_, b)| Arc::clone(b)));
        own.unwrap_or_else(|| self.bank())
    }

    /// The bank for a transition of `state`: the server's, unless questions
    /// it was planned with left with a pack imported or removed since; then
    /// the server's previous bank (or the shipped bank before a reload), so
    /// an interview that started with the old questions finishes with them
    /// (until a restart, after which the missing questions are passed over).
    pub(super) fn bank_for_session(
        &self,
        guild: Option<u64>,
        state: &crate::interview::SessionState,
    ) -> Arc<Bank> {
        let bank = self.bank_for(guild);
        let gone = |b: &Bank| {
            state
                .plan
                .iter()
                .any(|p| b.question(&p.question_id).is_none())
        };
        if !state.is_running() || !gone(&bank) {
            return bank;
        }
        // The server's previous bank (built on the previous shipped one),
        // else the shipped bank before the last reload.
        let shipped = || {
            self.retired_bank
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .clone()
        };
        guild
            .and_then(|g| self.packs.retired(g))
            .filter(|old| !gone(old))
            .or_else(|| shipped().filter(|old| !gone(old)))
            .unwrap_or(bank)
    }

    /// Rebuilds every held pack on the (new) shipped bank.
    pub(super) fn rebuild_packs(&self) {
        let shipped = self.bank();
        for stored in self.packs.all() {
            let guild = stored.guild_id;
            let entry = build(&shipped, stored, Lint::Skip);
            if let Err(problems) = &entry.built {
                tracing::warn!(
                    guild,
                    problems = problems.len(),
                    first = %problems.first().map(ToString::to_string).unwrap_or_default(),
                    "a server's pack no longer fits the reloaded bank; the server gets the shipped bank until it imports a fixed pack"
                );
            }
            self.packs.replace(guild, Some(entry));
        }
    }
}

impl Runtime {
    /// The bank a server sees: the shipped one plus its pack. None (the
    /// terminal, direct messages) and servers without a pack get the
    /// shipped bank itself.
    pub fn bank_for(&self, guild: Option<u64>) -> Arc<Bank> {
        self.inner.bank_for(guild)
    }

    /// The bank a session's transitions and messages use: its server's,
    /// or, for an interview that began before its pack was removed or
    /// replaced, the bank it began with.
    pub fn bank_for_session(&self, session: &crate::store::StoredSession) -> Arc<Bank> {
        self.inner
            .bank_for_session(session.guild_id, &session.state)
    }

    /// Builds every stored pack's bank (at start-up, before recovery, so
    /// running interviews find their pack questions). Returns how many.
    pub async fn load_packs(&self) -> Result<usize, RuntimeError> {
        let stored = self.inner.store.packs().await?;
        let n = stored.len();
        let shipped = self.bank();
        let entries = tokio::task::spawn_blocking(move || {
            stored
                .into_iter()
                .map(|s| build(&shipped, s, Lint::Skip))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| RuntimeError::Refused(format!("building the packs failed: {e}")))?;
        for entry in entries {
            if let Err(problems) = &entry.built {
                tracing::warn!(
                    guild = entry.stored.guild_id,
                    problems = problems.len(),
                    "a stored pack does not fit the bank; that server gets the shipped bank"
                );
            }
            self.inner.packs.put(entry);
        }
        Ok(n)
    }

    /// Checks `bytes` as `guild`'s pack and, with no problem, stores it in
    /// place of the old one and swaps the server's bank. With any problem
    /// nothing changes and the problems come back (the outer error is an
    /// internal failure).
    pub async fn import_pack(
        &self,
        guild: u64,
        file_name: &str,
        bytes: Vec<u8>,
        by: Option<u64>,
    ) -> Result<Result<ImportedPack, BankErrors>, RuntimeError> {
        let _one_at_a_time = self.inner.packs.writes.lock().await;
        let shipped = self.bank();
        let name = file_name.to_string();
        let checked = tokio::task::spawn_blocking(move || {
            pack::check(&shipped, &name, &bytes, Lint::Check).map(|p| (p, bytes))
        })
        .await
        .map_err(|e| RuntimeError::Refused(format!("checking the pack failed: {e}")))?;
        let (pack, bytes) = match checked {
            Ok(ok) => ok,
            Err(problems) => return Ok(Err(problems)),
        };
        let stored = StoredPack {
            guild_id: guild,
            file_name: file_name.to_string(),
            // `check` accepted it as UTF-8.
            yaml: String::from_utf8_lossy(&bytes).into_owned(),
            questions: pack.questions.len(),
            imported_by: by,
            imported_at: Timestamp::system_now(),
        };
        let replaced = self.inner.store.pack(guild).await?.map(|p| p.questions);
        self.inner.store.put_pack(&stored).await?;
        let imported = ImportedPack {
            questions: pack.questions.len(),
            by_topic: pack
                .counts_by_topic()
                .into_iter()
                .map(|(t, n)| (t.to_string(), n))
                .collect(),
            new_topics: pack.topics.keys().cloned().collect(),
            replaced,
        };
        let bank = Arc::new(self.bank().with_pack(guild, &pack));
        let entry = GuildPack {
            stored,
            built: Ok((pack, bank)),
        };
        self.inner.packs.replace(guild, Some(entry));
        self.announce(Change::PackChanged(guild)).await;
        Ok(Ok(imported))
    }

    /// The server's pack as stored (the source of truth), with this
    /// process's view of it: None for no pack.
    pub async fn pack(&self, guild: u64) -> Result<Option<GuildPack>, RuntimeError> {
        let Some(stored) = self.inner.store.pack(guild).await? else {
            return Ok(None);
        };
        let held = self
            .inner
            .packs
            .get(guild)
            .filter(|p| p.stored == stored)
            .map(|p| (*p).clone());
        Ok(Some(match held {
            Some(p) => p,
            None => build(&self.bank(), stored, Lint::Skip),
        }))
    }

    /// Removes the server's pack; its bank is the shipped one from now on.
    /// Returns the removed pack, None if it had none.
    pub async fn remove_pack(&self, guild: u64) -> Result<Option<StoredPack>, RuntimeError> {
        let _one_at_a_time = self.inner.packs.writes.lock().await;
        let old = self.inner.store.pack(guild).await?;
        if old.is_some() {
            self.inner.store.delete_pack(guild).await?;
        }
        self.inner.packs.replace(guild, None);
        self.announce(Change::PackChanged(guild)).await;
        Ok(old)
    }

    /// Rebuilds `guild`'s pack bank from the database (another process
    /// imported, replaced or removed it).
    pub async fn refresh_pack(&self, guild: u64) -> Result<(), RuntimeError> {
        let _one_at_a_time = self.inner.packs.writes.lock().await;
        let stored = self.inner.store.pack(guild).await?;
        self.put_stored(guild, stored).await
    }

    /// Re-reads every server's pack from the database, rebuilding those
    /// that changed and dropping those removed (after notices may have
    /// been missed).
    pub async fn sync_packs(&self) -> Result<(), RuntimeError> {
        let _one_at_a_time = self.inner.packs.writes.lock().await;
        let stored: HashMap<u64, StoredPack> = self
            .inner
            .store
            .packs()
            .await?
            .into_iter()
            .map(|p| (p.guild_id, p))
            .collect();
        let held: Vec<u64> = self.inner.packs.all().iter().map(|p| p.guild_id).collect();
        for guild in held.into_iter().filter(|g| !stored.contains_key(g)) {
            self.put_stored(guild, None).await?;
        }
        for (guild, pack) in stored {
            self.put_stored(guild, Some(pack)).await?;
        }
        Ok(())
    }

    /// Holds `stored` as `guild`'s pack (None: no pack), unless it is the
    /// one already held. The caller holds the writes lock.
    async fn put_stored(&self, guild: u64, stored: Option<StoredPack>) -> Result<(), RuntimeError> {
        let held = self.inner.packs.get(guild).map(|p| p.stored.clone());
        if held == stored {
            return Ok(());
        }
        let entry = match stored {
            None => None,
            Some(stored) => {
                let shipped = self.bank();
                let built =
                    tokio::task::spawn_blocking(move || build(&shipped, stored, Lint::Skip))
                        .await
                        .map_err(|e| {
                            RuntimeError::Refused(format!("building a pack failed: {e}"))
                        })?;
                Some(built)
            }
        };
        tracing::info!(
            guild,
            pack = entry.is_some(),
            "a server's pack changed in another process"
        );
        self.inner.packs.replace(guild, entry);
        Ok(())
    }
}
