//! Changes every process must see: the shipped bank reloaded, a server's
//! pack imported or removed. Each process caches what they change (the
//! bank it read from its folder, each server's pack bank), so the one
//! that made the change tells the others.
//!
//! On PostgreSQL that is LISTEN/NOTIFY on one channel. sqlx's `Any` pool
//! cannot listen, so the listener opens a connection of its own (sqlx's
//! `PgListener`) from the same URL. On SQLite there is one bot process (a
//! file on one machine), so announcing does nothing and nobody listens.

use super::db::Store;
use super::error::StoreError;
use super::ids;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use std::str::FromStr;

/// The NOTIFY channel.
const CHANNEL: &str = "interview_bot_changes";
/// How the listener's connection names itself in `pg_stat_activity`.
pub const LISTENER_NAME: &str = "interview-bot changes";

/// A change to something every process caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// `/bank reload`: each process re-reads its own bank folder.
    BankReloaded,
    /// A server's pack was imported, replaced or removed.
    PackChanged(u64),
}

/// What the listener heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    /// A change, and the process (its runtime's `origin`) that made it.
    Change { change: Change, origin: u64 },
    /// The connection dropped and is back: notifications sent meanwhile
    /// are lost, so whatever they would have changed must be re-read.
    Reconnected,
}

impl Change {
    fn payload(self, origin: u64) -> String {
        match self {
            Change::BankReloaded => format!("bank {origin}"),
            Change::PackChanged(guild) => format!("pack {origin} {}", ids::to_db(guild)),
        }
    }

    fn parse(payload: &str) -> Option<(Change, u64)> {
        let mut words = payload.split(' ');
        let kind = words.next()?;
        let origin = words.next()?.parse().ok()?;
        let change = match (kind, words.next()) {
            ("bank", None) => Change::BankReloaded,
            ("pack", Some(g)) => Change::PackChanged(ids::from_db(g.parse().ok()?)),
            _ => return None,
        };
        words.next().is_none().then_some((change, origin))
    }
}

/// A LISTEN connection on the changes channel.
pub struct ChangeListener {
    listener: PgListener,
}

impl ChangeListener {
    /// The next change from another process, or word that the connection
    /// was lost (and, if `Ok`, is back). An error means it could not be
    /// re-established: open a new listener.
    pub async fn next(&mut self) -> Result<Heard, StoreError> {
        loop {
            let Some(n) = self.listener.try_recv().await? else {
                return Ok(Heard::Reconnected);
            };
            match Change::parse(n.payload()) {
                Some((change, origin)) => return Ok(Heard::Change { change, origin }),
                None => tracing::warn!(payload = n.payload(), "an unknown change notice; ignored"),
            }
        }
    }
}

impl Store {
    /// Tells every other process of `change` (made by `origin`). Nothing
    /// to do on SQLite.
    pub async fn announce(&self, change: Change, origin: u64) -> Result<(), StoreError> {
        if self.listen_url.is_none() {
            return Ok(());
        }
        // pg_notify returns void, which `Any` cannot carry: select a constant.
        sqlx::query("SELECT CAST(1 AS BIGINT) FROM (SELECT pg_notify($1, $2)) AS sent")
            .bind(CHANNEL)
            .bind(change.payload(origin))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A listener for other processes' changes; None on SQLite, where there
    /// are no other bot processes.
    pub async fn listen(&self) -> Result<Option<ChangeListener>, StoreError> {
        let Some(url) = &self.listen_url else {
            return Ok(None);
        };
        let open_err = |source| StoreError::Open {
            path: self.path().display().to_string(),
            source,
        };
        let options = PgConnectOptions::from_str(url)
            .map_err(open_err)?
            .application_name(LISTENER_NAME);
        // One connection, kept for as long as the process runs.
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_with(options)
            .await
            .map_err(open_err)?;
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(CHANNEL).await?;
        Ok(Some(ChangeListener { listener }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_and_strangers_are_refused() {
        for change in [
            Change::BankReloaded,
            Change::PackChanged(u64::MAX),
            Change::PackChanged(1),
        ] {
            assert_eq!(Change::parse(&change.payload(42)), Some((change, 42)));
        }
        for bad in [
            "",
            "bank",
            "bank x",
            "pack 1",
            "pack 1 2 3",
            "bank 1 2",
            "other 1",
        ] {
            assert_eq!(Change::parse(bad), None, "{bad:?}");
        }
    }
}
