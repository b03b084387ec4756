use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the database folder {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `path` is the file, or the PostgreSQL URL without its credentials.
    #[error("cannot open the database {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error(
        "the database {path} was written by a newer interview-bot (schema version {found}, this build knows up to {known}): upgrade interview-bot or use another --database"
    )]
    NewerSchema {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("cannot update the database schema of {path}: {source}")]
    Migrate {
        path: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error("the session changed while this update was prepared")]
    Conflict,
    #[error("a running interview already exists for this person here (session {0})")]
    AlreadyRunning(i64),
    #[error("stored session {id} cannot be read: {source}")]
    CorruptState { id: i64, source: serde_json::Error },
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    /// A statement of the SQLite writer's own connection.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// A returned column was not what the write reads from it.
    #[error("column {index} of a returned row is {found}, not {wanted}")]
    Column {
        index: usize,
        wanted: &'static str,
        found: &'static str,
    },
    /// The transaction of a batch of writes failed as a whole (each write
    /// of the batch gets the same cause).
    #[error("{0}")]
    Batch(std::sync::Arc<StoreError>),
    #[error("cannot start the database writer: {0}")]
    WriterStart(std::io::Error),
    #[error("the database writer has stopped")]
    WriterGone,
}

impl StoreError {
    /// A UNIQUE (or primary key) constraint refused the row, on either
    /// database.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Sql(sqlx::Error::Database(d)) => d.is_unique_violation(),
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ),
            _ => false,
        }
    }
}
