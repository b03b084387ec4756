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
    /// The transaction of a batch of writes failed as a whole (each write
    /// of the batch gets the same cause).
    #[error("{0}")]
    Batch(std::sync::Arc<sqlx::Error>),
    #[error("the database writer has stopped")]
    WriterGone,
}
