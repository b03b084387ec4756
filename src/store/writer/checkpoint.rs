//! WAL checkpoints beside the SQLite writer rather than inside its commits.
//!
//! SQLite checkpoints in the commit that takes the WAL past 1,000 frames,
//! so the writer copied pages back into the database and waited for two
//! fsyncs while the transitions queued behind it waited too (11% of all
//! samples in the writers' profile; moved out, their p99 went from 11-16 ms
//! to 7-9 ms in runs back to back). Here a thread of its own checkpoints
//! every `COMMITS_PER_CHECKPOINT` commits.
//!
//! A checkpoint beside a busy writer never quite finishes: frames arrive
//! while it copies, and a WAL that is never completely copied back is never
//! started over, so it would grow without end. So a first pass runs beside
//! the writer (most of the copying and syncing), and a second one holds the
//! turn to write for the few frames written meanwhile; the writer's next
//! transaction then starts the WAL from its beginning.

use super::sqlite::connect;
use crate::store::error::StoreError;
use rusqlite::{Connection, ErrorCode};
use std::path::Path;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;
use tokio::sync::Mutex;

/// About 10,000 frames (40 MB of WAL) in the writers' benchmark, which
/// writes about 40 pages a commit. Every 32 (SQLite's own 1,000 frames)
/// measured 1,090-1,232 answers a second there against 1,496 and 1,866,
/// p99 10-13 ms against 6 ms, in runs back to back (README, "Writes"):
/// each checkpoint's second pass holds the writer.
const COMMITS_PER_CHECKPOINT: u32 = 256;

/// The writer's side: counts commits and wakes the checkpointer.
pub(super) struct Checkpoints {
    wake: SyncSender<()>,
    every: u32,
    commits: u32,
}

impl Checkpoints {
    /// Opens the checkpointer's own connection and starts its thread, which
    /// ends when this is dropped (with the writer).
    pub(super) fn start(path: &Path, turn: Arc<Mutex<()>>) -> Result<Checkpoints, StoreError> {
        Checkpoints::every(COMMITS_PER_CHECKPOINT, path, turn)
    }

    fn every(commits: u32, path: &Path, turn: Arc<Mutex<()>>) -> Result<Checkpoints, StoreError> {
        let conn = connect(path)?;
        // One wake waiting at most: commits while a checkpoint runs are
        // all copied by the next one.
        let (wake, woken) = sync_channel::<()>(1);
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                while woken.recv().is_ok() {
                    checkpoint(&conn);
                    let held = turn.blocking_lock();
                    checkpoint(&conn);
                    drop(held);
                }
            })
            .map_err(StoreError::WriterStart)?;
        Ok(Checkpoints {
            wake,
            every: commits,
            commits: 0,
        })
    }

    pub(super) fn committed(&mut self) {
        self.commits += 1;
        if self.commits >= self.every {
            self.commits = 0;
            let _ = self.wake.try_send(());
        }
    }
}

/// A PASSIVE checkpoint: copies what no reader still needs, never waits
/// for one. Busy only means another connection is checkpointing.
fn checkpoint(conn: &Connection) {
    let done = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
    });
    match done {
        Ok((frames, copied)) => {
            tracing::debug!(frames, copied, "WAL checkpoint")
        }
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::DatabaseBusy => {}
        Err(e) => tracing::warn!(error = %e, "a WAL checkpoint failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How often the WAL was started over: its header's checkpoint
    /// sequence number (bytes 12..16, big-endian), which each restart
    /// increments.
    fn wal_restarts(db: &Path) -> u32 {
        use std::io::Read;
        let mut header = [0_u8; 16];
        std::fs::File::open(db.with_extension("db-wal"))
            .and_then(|mut f| f.read_exact(&mut header))
            .map(|()| u32::from_be_bytes([header[12], header[13], header[14], header[15]]))
            .unwrap_or(0)
    }

    #[test]
    fn a_busy_writer_s_wal_is_copied_back_and_started_over_instead_of_growing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("c.db");
        let writer = connect(&db).expect("opens");
        writer
            .execute_batch("PRAGMA wal_autocheckpoint = 0")
            .and_then(|()| writer.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
            .and_then(|()| writer.execute_batch("INSERT INTO t (id, v) VALUES (1, '')"))
            .expect("set up");
        let turn = Arc::new(Mutex::new(()));
        let mut checkpoints = Checkpoints::every(10, &db, Arc::clone(&turn)).expect("starts");
        // Commits as fast as the writer can make them, until the WAL has
        // been started over three times. Without the checkpointer (the
        // writer's own checkpoints are off) it never is.
        let (mut commits, most) = (0_u32, 200_000_u32);
        while wal_restarts(&db) < 3 && commits < most {
            // Held as the writer holds it, so the second pass gets its turn.
            let held = turn.blocking_lock();
            writer
                .execute("UPDATE t SET v = ?1 WHERE id = 1", [commits.to_string()])
                .expect("update");
            drop(held);
            checkpoints.committed();
            commits += 1;
        }
        assert!(
            wal_restarts(&db) >= 3,
            "the WAL was started over {} times in {commits} commits",
            wal_restarts(&db)
        );
        let row: String = writer
            .query_row("SELECT v FROM t WHERE id = 1", [], |r| r.get(0))
            .expect("reads");
        assert_eq!(row, (commits - 1).to_string());
    }
}
