//! The writer on SQLite: a thread of its own with its own connection, so a
//! batch's statements run where the database is, without a handoff each.
//!
//! Through sqlx every statement is sent to the connection's thread and its
//! answer sent back, two thread wake-ups whatever the statement does; that,
//! not SQL, bounded the writes (README, "Writes"). Here the batch is one
//! wake-up of this thread, and its statements are plain calls.

use super::checkpoint::Checkpoints;
use super::statement::{Arg, Cell, Row, Stmt, WriteConn};
use super::{gather, settle, write_batch, Jobs, Stats};
use crate::store::db::SQLITE_PRAGMAS;
use crate::store::error::StoreError;
use futures::future::BoxFuture;
use rusqlite::types::ValueRef;
use rusqlite::{CachedStatement, Connection};
use std::path::Path;
use std::sync::Arc;
use tokio::sync::Mutex;

/// Distinct statements the writes use, with room for the notes' IN lists
/// of every length a question has key points for.
const STATEMENT_CACHE: usize = 64;

/// Opens the connection here, so a file that cannot be opened fails the
/// store's open, and starts the thread.
pub(super) fn spawn(
    path: &Path,
    turn: Arc<Mutex<()>>,
    rx: Jobs,
    stats: Arc<Stats>,
) -> Result<(), StoreError> {
    let conn = SqliteWriteConn::open(path)?;
    let checkpoints = Checkpoints::start(path, Arc::clone(&turn))?;
    std::thread::Builder::new()
        .name("sqlite-writer".into())
        .spawn(move || run(conn, &turn, rx, stats, checkpoints))
        .map_err(StoreError::WriterStart)?;
    Ok(())
}

fn run(
    mut conn: SqliteWriteConn,
    turn: &Mutex<()>,
    mut rx: Jobs,
    stats: Arc<Stats>,
    mut checkpoints: Checkpoints,
) {
    // Ends when every `Writer` (every clone of the store) is dropped.
    while let Some(first) = rx.blocking_recv() {
        let mut batch = vec![first];
        let held = turn.blocking_lock();
        // Every future of a batch here is ready at once (its statements are
        // plain calls), so polling it is all this executor does.
        let result = futures::executor::block_on(async {
            conn.control("BEGIN IMMEDIATE").await?;
            gather(&mut rx, &mut batch);
            let written = match write_batch(&mut conn, &mut batch).await {
                Ok(()) => conn.control("COMMIT").await,
                Err(e) => Err(e),
            };
            if written.is_err() {
                // Nothing of the batch is stored; a failed rollback leaves
                // the transaction to the next BEGIN to report.
                let _ = conn.control("ROLLBACK").await;
            }
            written
        });
        drop(held);
        if result.is_ok() {
            checkpoints.committed();
        }
        settle(result, batch, &stats);
    }
}

/// A rusqlite connection to the file, set as every connection of the store
/// is (`SQLITE_PRAGMAS`).
pub(super) fn connect(path: &Path) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open(path)?;
    conn.execute_batch(SQLITE_PRAGMAS)?;
    Ok(conn)
}

pub(super) struct SqliteWriteConn(Connection);

impl SqliteWriteConn {
    fn open(path: &Path) -> Result<SqliteWriteConn, StoreError> {
        let conn = connect(path)?;
        // Each write's savepoint keeps the pages it changes in a statement
        // journal; in memory, rather than a temporary file opened, written
        // and deleted under the write lock (seen in the writers' profile).
        // The checkpointer thread copies the WAL back (see `checkpoint`).
        // 64 MiB of page cache, not SQLite's 2 MiB: with less, a batch
        // read the pages of the indexes and leaderboard tables it writes
        // back from the file (11% of the writer's profile, in `pread`).
        // The cache survives between batches because this connection does
        // every hot write (`Store::write_one`): a commit by any other
        // connection makes SQLite drop it whole.
        conn.execute_batch(
            "PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -65536",
        )?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(SqliteWriteConn(conn))
    }

    /// The statement with its arguments bound. `$N` is the Nth argument,
    /// wherever it appears and however often, as sqlx reads it.
    fn prepare(&self, stmt: &Stmt) -> Result<CachedStatement<'_>, rusqlite::Error> {
        let mut prepared = self.0.prepare_cached(&stmt.text)?;
        let count = prepared.parameter_count();
        for index in 1..=count {
            let n = prepared
                .parameter_name(index)
                .and_then(|name| name.strip_prefix('$'))
                .and_then(|digits| digits.parse::<usize>().ok())
                .unwrap_or(index);
            let arg = n.checked_sub(1).and_then(|i| stmt.args.get(i)).ok_or(
                rusqlite::Error::InvalidParameterCount(stmt.args.len(), count),
            )?;
            match arg {
                Arg::Int(v) => prepared.raw_bind_parameter(index, v)?,
                Arg::Real(v) => prepared.raw_bind_parameter(index, v)?,
                Arg::Text(v) => prepared.raw_bind_parameter(index, v)?,
            }
        }
        Ok(prepared)
    }

    fn execute_now(&self, stmt: &Stmt) -> Result<u64, StoreError> {
        Ok(self.prepare(stmt)?.raw_execute()? as u64)
    }

    fn fetch_now(&self, stmt: &Stmt) -> Result<Vec<Row>, StoreError> {
        let mut prepared = self.prepare(stmt)?;
        let columns = prepared.column_count();
        let mut rows = prepared.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let cells = (0..columns)
                .map(|i| row.get_ref(i).map(cell))
                .collect::<Result<_, _>>()?;
            out.push(Row(cells));
        }
        Ok(out)
    }
}

fn cell(value: ValueRef<'_>) -> Cell {
    match value {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(v) => Cell::Int(v),
        ValueRef::Real(v) => Cell::Real(v),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            Cell::Text(String::from_utf8_lossy(t).into_owned())
        }
    }
}

impl WriteConn for SqliteWriteConn {
    fn execute(&mut self, stmt: Stmt) -> BoxFuture<'_, Result<u64, StoreError>> {
        Box::pin(futures::future::ready(self.execute_now(&stmt)))
    }

    fn fetch(&mut self, stmt: Stmt) -> BoxFuture<'_, Result<Vec<Row>, StoreError>> {
        Box::pin(futures::future::ready(self.fetch_now(&stmt)))
    }

    fn control(&mut self, sql: &'static str) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(futures::future::ready(
            self.0.execute_batch(sql).map_err(StoreError::from),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::statement::stmt;
    use super::*;

    fn open() -> (tempfile::TempDir, SqliteWriteConn) {
        let dir = tempfile::tempdir().expect("temp dir");
        let conn = SqliteWriteConn::open(&dir.path().join("w.db")).expect("opens");
        (dir, conn)
    }

    #[test]
    fn a_numbered_placeholder_takes_its_own_argument_wherever_and_however_often_it_appears() {
        let (_dir, conn) = open();
        let rows = conn
            .fetch_now(
                &stmt("SELECT $2, $1, $2, $3, $4")
                    .bind(7_i64)
                    .bind("x")
                    .bind(None::<i64>)
                    .bind(0.5),
            )
            .expect("runs");
        let x = || Cell::Text("x".into());
        assert_eq!(
            rows,
            vec![Row(vec![
                x(),
                Cell::Int(7),
                x(),
                Cell::Null,
                Cell::Real(0.5)
            ])]
        );
    }

    #[test]
    fn a_placeholder_without_an_argument_is_an_error_not_a_null() {
        let (_dir, conn) = open();
        let missing = conn.fetch_now(&stmt("SELECT $1, $2").bind(1_i64));
        assert!(
            matches!(
                missing,
                Err(StoreError::Sqlite(rusqlite::Error::InvalidParameterCount(
                    1, 2
                )))
            ),
            "{missing:?}"
        );
    }

    #[test]
    fn a_second_row_with_the_same_unique_key_is_a_unique_violation() {
        let (_dir, conn) = open();
        conn.execute_now(&stmt("CREATE TABLE t (k TEXT UNIQUE)"))
            .expect("table");
        let insert = || conn.execute_now(&stmt("INSERT INTO t (k) VALUES ($1)").bind("a"));
        assert_eq!(insert().expect("first row"), 1);
        let second = insert().expect_err("the same key again");
        assert!(second.is_unique_violation(), "{second:?}");
        let other = conn
            .execute_now(&stmt("INSERT INTO missing_table VALUES (1)"))
            .expect_err("no such table");
        assert!(!other.is_unique_violation(), "{other:?}");
    }
}
