//! Where the store lives (a SQLite file, or a PostgreSQL database) and the
//! few places where the two need different SQL: how a write transaction
//! begins and how a read-modify-write keeps others out.
//!
//! Everything else is one query text for both (see `db.rs` for why).

use crate::redact::redact_url;
use sqlx::AnyConnection;
use std::path::PathBuf;

/// What the `database` setting (or `--database`) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A file path, or a `sqlite:` URL's path.
    Sqlite(PathBuf),
    /// A `postgres://` (or `postgresql://`) URL, credentials included.
    Postgres(String),
}

impl Location {
    /// `postgres://...` and `postgresql://...` are PostgreSQL; `sqlite://P`
    /// and `sqlite:P` are the file P; anything else is a file path.
    pub fn parse(setting: &str) -> Location {
        let lower = setting.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            return Location::Postgres(setting.to_string());
        }
        let path = ["sqlite://", "sqlite:"]
            .iter()
            .find_map(|p| lower.starts_with(p).then(|| &setting[p.len()..]))
            // A URL's query (`?mode=rwc`) is not part of the file's name.
            .map(|rest| rest.split('?').next().unwrap_or(rest))
            .unwrap_or(setting);
        Location::Sqlite(PathBuf::from(path))
    }

    /// How it is named in messages and logs: the path, or the URL without
    /// its credentials and query.
    pub fn display(&self) -> String {
        match self {
            Location::Sqlite(p) => p.display().to_string(),
            Location::Postgres(url) => redact_url(url),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// What a transaction-level advisory lock protects (the first key of
/// `pg_advisory_xact_lock(int, int)`), so keys of different kinds never
/// wait on each other by accident.
#[derive(Debug, Clone, Copy)]
#[repr(i32)]
pub(crate) enum LockKind {
    /// One server's `/config` row, which may not exist yet.
    GuildSettings = 1,
}

impl Backend {
    /// The statement that opens a write transaction. SQLite's `BEGIN
    /// IMMEDIATE` takes the database's write lock at once, so a transaction
    /// that reads and then writes never fails with "database is locked"
    /// (busy_timeout does not retry a deferred one). PostgreSQL locks rows,
    /// not the database: a plain BEGIN, and the read-modify-writes lock what
    /// they read (`for_update`, `lock`).
    pub(crate) fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// Appended to a SELECT whose rows a transaction then changes. On
    /// PostgreSQL a row lock: a second process's read-modify-write of the
    /// same row waits for this commit, then reads the committed row (READ
    /// COMMITTED re-reads), so neither change is lost; it lasts until the
    /// transaction ends, which is also why it works behind a transaction-
    /// pooling proxy (pgbouncer). SQLite has no row locks and needs none:
    /// `BEGIN IMMEDIATE` already holds the only write lock.
    pub(crate) fn for_update(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    /// Serialises read-modify-writes of something that may have no row yet
    /// (a row lock needs a row). A transaction-level advisory lock: released
    /// by COMMIT or ROLLBACK, so a transaction-pooling proxy, which hands the
    /// server connection to someone else after each transaction, cannot
    /// leave it held (a session-level `pg_advisory_lock` would be). Keys are
    /// folded to 32 bits; two keys that fold alike only wait for each other.
    /// On SQLite, `BEGIN IMMEDIATE` already excludes every other writer.
    pub(crate) async fn lock(
        self,
        conn: &mut AnyConnection,
        kind: LockKind,
        key: i64,
    ) -> Result<(), sqlx::Error> {
        if self == Backend::Postgres {
            let folded = ((key >> 32) ^ key) as i32;
            sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
                .bind(kind as i32)
                .bind(folded)
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Location;
    use std::path::PathBuf;

    #[test]
    fn a_database_setting_is_a_path_a_sqlite_url_or_a_postgres_url() {
        let file = |p: &str| Location::Sqlite(PathBuf::from(p));
        assert_eq!(Location::parse("data/bot.db"), file("data/bot.db"));
        assert_eq!(Location::parse("sqlite://data/bot.db"), file("data/bot.db"));
        assert_eq!(
            Location::parse("sqlite:///tmp/b.db?mode=rwc"),
            file("/tmp/b.db")
        );
        assert_eq!(Location::parse("sqlite:b.db"), file("b.db"));
        let url = "postgres://bot:secret@db.internal:5432/bot";
        assert_eq!(Location::parse(url), Location::Postgres(url.into()));
        assert_eq!(
            Location::parse("postgresql://h/db"),
            Location::Postgres("postgresql://h/db".into())
        );
        assert!(!Location::parse(url).display().contains("secret"));
    }
}
