//! Opening the store: a SQLite file (the embedded default) or a PostgreSQL
//! database (for several processes sharing state).
//!
//! Why sqlx's `Any` driver rather than a backend enum with two pools: every
//! query here is written once, in SQL both databases read (`$1` placeholders,
//! `ON CONFLICT ... excluded.`, `RETURNING`, integer epoch milliseconds), and
//! uses only what `Any` carries in 0.8: i64, f64, String and NULLs (its
//! bools decode only from a real BOOLEAN, so flags are 0/1 integers in both
//! schemas, as SQLite has always stored them). With an enum every statement
//! would exist twice, or be generic over the database with a wall of trait
//! bounds; with `Any` the differences are the few lines in `backend.rs`
//! (how a write transaction begins, row and advisory locks) plus casts that
//! both read (`CAST(AVG(x) AS DOUBLE PRECISION)`: PostgreSQL's AVG of
//! integers is NUMERIC, which `Any` cannot carry). The cost: each row is
//! copied into `Any`'s own values (not yet measured against the native
//! driver: `cargo bench --bench load writers` is the figure to compare), and
//! SQLite's connection settings, which `Any` cannot express, are set as
//! pragmas on every new connection.
//!
//! One exception: on SQLite the group-commit writer (`writer/sqlite.rs`)
//! runs the same statement texts on a rusqlite connection of its own
//! thread, because sqlx's handoff of every statement to its connection's
//! thread and back bounded the writes.
//!
//! Migrations are two sets with the same numbers: `migrations/` for SQLite
//! (unchanged, so existing files keep their recorded checksums) and
//! `migrations/postgres/` (BIGINT ids, identity keys, DOUBLE PRECISION).

use super::backend::{Backend, Location};
use super::error::StoreError;
use super::writer::{work, Row, Stmt, WriteStats, Writer};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Connection, Executor, Transaction};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// WAL lets reads run beside the writer; NORMAL sync is durable at each WAL
/// checkpoint and safe against corruption; a writer from another process
/// makes ours wait up to 10 s instead of failing at once.
pub(super) const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
     PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";

#[derive(Clone)]
pub struct Store {
    /// Reads (and migrations): WAL lets them run beside the writer.
    pub(crate) pool: AnyPool,
    /// The one pool connection this process writes through besides the
    /// group-commit writer: transactions (`write`) and single statements
    /// (`write_conn`). On SQLite both hold `turn`, as the writer's batches
    /// do, so writers queue in order instead of napping in SQLite's busy
    /// handler (which is what capped concurrent writers before). On
    /// PostgreSQL it is also the writer's connection, which keeps the group
    /// commit's batches (one round trip of COMMIT for many transitions);
    /// other processes write beside it.
    pub(crate) writes: AnyPool,
    /// Group commit for transitions and starts (see `writer`).
    pub(crate) writer: Writer,
    /// On SQLite, held by whoever writes in this process: the writer for a
    /// batch, its checkpointer's second pass, and `write` and `write_conn`
    /// while their connection is out.
    turn: Option<Arc<Mutex<()>>>,
    pub(crate) backend: Backend,
    /// The file, or the PostgreSQL URL without its credentials.
    path: PathBuf,
    /// The PostgreSQL URL with its credentials, for the change listener's
    /// own connection (`changes`); never shown.
    pub(crate) listen_url: Option<std::sync::Arc<str>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("backend", &self.backend)
            .finish()
    }
}

impl Store {
    /// Opens (creating it and its folder if needed) and migrates a SQLite file.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_at(&Location::Sqlite(path.to_path_buf())).await
    }

    /// Opens what the `database` setting names: a path, a `sqlite:` URL or
    /// a `postgres://` URL (see `Location::parse`), and migrates it.
    pub async fn connect(database: &str) -> Result<Store, StoreError> {
        Store::open_at(&Location::parse(database)).await
    }

    pub async fn open_at(location: &Location) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let shown = location.display();
        let open_err = |source| StoreError::Open {
            path: shown.clone(),
            source,
        };
        let (backend, options) = match location {
            Location::Sqlite(path) => (Backend::Sqlite, sqlite_options(path)?),
            Location::Postgres(url) => (
                Backend::Postgres,
                url.parse::<AnyConnectOptions>().map_err(open_err)?,
            ),
        };
        // One connection first, on its own: a pool retries a failing connect
        // until its acquire timeout (30 s) and then reports only "timed
        // out", where this reports the cause (refused, unknown host, bad
        // password) at once.
        let probe = options.connect().await.map_err(open_err)?;
        let _ = probe.close().await;
        let pool = pool_options(backend, 4)
            .connect_with(options.clone())
            .await
            .map_err(open_err)?;
        // Migrate before the write connection opens, so it sees the schema.
        migrate(&pool, backend, &shown).await?;
        let writes = pool_options(backend, 1)
            .connect_with(options)
            .await
            .map_err(open_err)?;
        let (writer, turn) = match location {
            Location::Sqlite(path) => {
                let turn = Arc::new(Mutex::new(()));
                (Writer::spawn_sqlite(path, Arc::clone(&turn))?, Some(turn))
            }
            Location::Postgres(_) => (Writer::spawn_any(writes.clone(), backend), None),
        };
        Ok(Store {
            writer,
            turn,
            writes,
            pool,
            backend,
            path: PathBuf::from(shown),
            listen_url: match location {
                Location::Postgres(url) => Some(url.as_str().into()),
                Location::Sqlite(_) => None,
            },
        })
    }

    /// The SQLite file, or the PostgreSQL URL without its credentials.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this store is on PostgreSQL (shared by several processes).
    pub fn is_postgres(&self) -> bool {
        self.backend == Backend::Postgres
    }

    /// A write transaction on the write connection (so it waits its turn
    /// behind the batch being written, never in SQLite's busy handler),
    /// begun as `Backend::begin_write` says.
    pub(crate) async fn write(&self) -> Result<WriteTx, StoreError> {
        let turn = self.turn().await;
        let tx = self.writes.begin_with(self.backend.begin_write()).await?;
        Ok(Turned {
            conn: tx,
            _turn: turn,
        })
    }

    /// The write connection for statements that are each a transaction of
    /// their own, holding this process's turn to write as `write` does.
    /// Only for the few that read back whole rows through sqlx (a lobby's
    /// `RETURNING`) or share their code with a transaction (settings);
    /// every other single statement is `write_one`'s.
    pub(crate) async fn write_conn(&self) -> Result<WriteConnection, StoreError> {
        let turn = self.turn().await;
        let conn = self.writes.acquire().await?;
        Ok(Turned { conn, _turn: turn })
    }

    /// Runs one statement as a write of the group-commit writer (a
    /// savepoint of its next batch): how many rows it changed. On SQLite a
    /// write through any other connection makes the writer's connection
    /// drop its whole page cache, so the writer takes single statements too.
    pub(crate) async fn write_one(&self, statement: Stmt) -> Result<u64, StoreError> {
        self.writer
            .write(work(move |conn| conn.execute(statement)))
            .await
    }

    /// As `write_one`, for a statement that returns one row (`RETURNING`).
    pub(crate) async fn write_fetch_one(&self, statement: Stmt) -> Result<Row, StoreError> {
        self.writer
            .write(work(move |conn| conn.fetch_one(statement)))
            .await
    }

    /// As `write_one`, for a statement that may return a row.
    pub(crate) async fn write_fetch_optional(
        &self,
        statement: Stmt,
    ) -> Result<Option<Row>, StoreError> {
        let rows = self
            .writer
            .write(work(move |conn| conn.fetch(statement)))
            .await?;
        Ok(rows.into_iter().next())
    }

    async fn turn(&self) -> Option<OwnedMutexGuard<()>> {
        match &self.turn {
            Some(turn) => Some(Arc::clone(turn).lock_owned().await),
            None => None,
        }
    }

    /// How the group-commit writer has batched writes since the store
    /// opened (tests and benchmarks read it).
    pub fn write_stats(&self) -> WriteStats {
        self.writer.stats()
    }

    pub async fn close(&self) {
        self.writes.close().await;
        self.pool.close().await;
    }
}

/// A connection of the write pool (a transaction, or the connection
/// itself) that holds this process's turn to write until it is dropped.
pub(crate) struct Turned<C> {
    // Declared first so it is dropped (a transaction's rollback queued, a
    // connection back in the pool) before the turn is handed on.
    conn: C,
    _turn: Option<OwnedMutexGuard<()>>,
}

/// A write transaction: committed, or rolled back when dropped.
pub(crate) type WriteTx = Turned<Transaction<'static, Any>>;

/// The write connection for statements that are each their own transaction.
pub(crate) type WriteConnection = Turned<PoolConnection<Any>>;

impl WriteTx {
    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        self.conn.commit().await
    }
}

impl<C: std::ops::Deref<Target = AnyConnection>> std::ops::Deref for Turned<C> {
    type Target = AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.conn
    }
}

impl<C: std::ops::DerefMut<Target = AnyConnection>> std::ops::DerefMut for Turned<C> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.conn
    }
}

/// The file (and its folder) created if missing, as a URL `Any` accepts:
/// sqlx's own encoder, so a `?` or `#` in the path stays part of the name.
fn sqlite_options(path: &Path) -> Result<AnyConnectOptions, StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let url = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .to_url_lossy();
    AnyConnectOptions::from_url(&url).map_err(|source| StoreError::Open {
        path: path.display().to_string(),
        source,
    })
}

fn pool_options(backend: Backend, max: u32) -> AnyPoolOptions {
    let options = AnyPoolOptions::new().max_connections(max);
    match backend {
        // No ping before each use: a SQLite connection is a file handle on
        // a thread, which cannot drop the way a socket does, and the ping is
        // a round trip to that thread on every read and every batch of
        // writes (README, "Writes").
        Backend::Sqlite => options.test_before_acquire(false).after_connect(|conn, _| {
            Box::pin(async move { conn.execute(SQLITE_PRAGMAS).await.map(drop) })
        }),
        Backend::Postgres => options,
    }
}

async fn migrate(pool: &AnyPool, backend: Backend, shown: &str) -> Result<(), StoreError> {
    let migrator = match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    let known = migrator.iter().map(|m| m.version).max().unwrap_or(0);
    // A fresh database has no table yet: nothing newer there.
    let found: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(pool)
            .await
            .unwrap_or(None);
    if let Some(found) = found.filter(|&f| f > known) {
        return Err(StoreError::NewerSchema {
            path: shown.to_string(),
            found,
            known,
        });
    }
    migrator
        .run(pool)
        .await
        .map_err(|source| StoreError::Migrate {
            path: shown.to_string(),
            source,
        })
}
