//! Group commit for the hot writes (session transitions and starts).
//!
//! Every transition used to be its own `BEGIN IMMEDIATE` transaction on a
//! pool of four connections. SQLite lets one writer in at a time and makes
//! the others sleep in its busy handler (1, 2, 5 ... 100 ms naps), so eight
//! writers spent most of their time asleep: 482 answers a second, p99 38 ms.
//!
//! Here one writer writes: on SQLite a thread with its own connection
//! (`sqlite.rs`), on PostgreSQL a task on sqlx's `Any` driver (`any.rs`);
//! the writes themselves are written once, against `WriteConn`. It takes
//! every write that is waiting (up to `MAX_BATCH`) and runs them in one
//! transaction, each inside a SAVEPOINT of its own: a write that fails (a
//! conflict, a constraint, a row a trigger refuses) is rolled back to its
//! savepoint alone, and the rest of the batch commits. Nobody hears
//! "stored" before the COMMIT that stores them, so "every transition is
//! stored in one transaction before it is shown" still holds: a batch is
//! one transaction, and a transition is in exactly one.
//!
//! While one batch commits, the next one gathers, so a burst (1,000
//! deadlines firing in a second) costs a few commits instead of 1,000.

mod any;
mod checkpoint;
mod sqlite;
mod statement;

pub(crate) use statement::{stmt, Row, Stmt, WriteConn};

use super::backend::Backend;
use super::error::StoreError;
use futures::future::BoxFuture;
use futures::FutureExt;
use sqlx::AnyPool;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Writes stored in one transaction at most. Enough to take a whole burst's
/// waiting writes at once, small enough that one batch holds the write lock
/// for only a few milliseconds.
const MAX_BATCH: usize = 64;

/// One write: statements run on the writer's connection, inside a savepoint.
/// It must await nothing but that connection: on SQLite it is polled on the
/// writer's own thread, outside the runtime, where every statement is ready
/// at once.
pub(crate) type Work<T> =
    Box<dyn for<'c> FnOnce(&'c mut dyn WriteConn) -> BoxFuture<'c, Result<T, StoreError>> + Send>;

/// Makes a `Work` out of a closure (the HRTB needs a function to infer it).
pub(crate) fn work<T, F>(f: F) -> Work<T>
where
    F: for<'c> FnOnce(&'c mut dyn WriteConn) -> BoxFuture<'c, Result<T, StoreError>>
        + Send
        + 'static,
{
    Box::new(f)
}

#[derive(Clone)]
pub(crate) struct Writer {
    jobs: mpsc::UnboundedSender<Box<dyn Job>>,
    stats: Arc<Stats>,
}

/// Batches and writes so far, for tests and benchmarks.
#[derive(Debug, Default)]
struct Stats {
    batches: AtomicU64,
    writes: AtomicU64,
    queued: AtomicU64,
}

/// What the group-commit writer has done since the store opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteStats {
    /// Transactions committed.
    pub batches: u64,
    /// Writes in them (each in its own savepoint; one that failed alone
    /// counts too).
    pub writes: u64,
    /// Writes ever queued (stored, failed, or still waiting).
    pub queued: u64,
}

impl Writer {
    /// Starts the writer on a thread of its own, with its own connection
    /// to the SQLite file at `path`. It writes a batch only while it holds
    /// `turn`, as this process's other write transactions do (`Store::write`),
    /// so they queue behind its batches, and it behind them, instead of
    /// napping in SQLite's busy handler.
    pub(crate) fn spawn_sqlite(
        path: &Path,
        turn: Arc<tokio::sync::Mutex<()>>,
    ) -> Result<Writer, StoreError> {
        let (writer, rx) = Writer::channel();
        sqlite::spawn(path, turn, rx, Arc::clone(&writer.stats))?;
        Ok(writer)
    }

    /// Starts the writer task on `pool` (the one-connection write pool),
    /// through sqlx's `Any` driver: PostgreSQL's writer.
    pub(crate) fn spawn_any(pool: AnyPool, backend: Backend) -> Writer {
        let (writer, rx) = Writer::channel();
        tokio::spawn(any::run(pool, backend, rx, Arc::clone(&writer.stats)));
        writer
    }

    /// The queue's two ends, for whichever writer takes the jobs.
    fn channel() -> (Writer, Jobs) {
        let (jobs, rx) = mpsc::unbounded_channel();
        let stats = Arc::new(Stats::default());
        (Writer { jobs, stats }, rx)
    }

    /// Queues `work` for the next batch and waits until its batch commits
    /// (or it fails alone).
    pub(crate) async fn write<T: Send + 'static>(&self, work: Work<T>) -> Result<T, StoreError> {
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Pending {
            work: Some(work),
            result: None,
            reply,
        });
        self.jobs.send(job).map_err(|_| StoreError::WriterGone)?;
        self.stats.queued.fetch_add(1, Ordering::Relaxed);
        answer.await.unwrap_or(Err(StoreError::WriterGone))
    }

    pub(crate) fn stats(&self) -> WriteStats {
        WriteStats {
            batches: self.stats.batches.load(Ordering::Relaxed),
            writes: self.stats.writes.load(Ordering::Relaxed),
            queued: self.stats.queued.load(Ordering::Relaxed),
        }
    }
}

/// A queued write, its outcome once run, and who waits for it.
trait Job: Send {
    /// Runs the write; true when it worked (its savepoint is kept).
    fn run<'c>(&'c mut self, conn: &'c mut dyn WriteConn) -> BoxFuture<'c, bool>;
    /// The batch as a whole failed: a write that worked is not stored.
    fn fail(&mut self, why: &Arc<StoreError>);
    /// Tells the waiting caller.
    fn finish(self: Box<Self>);
}

struct Pending<T> {
    work: Option<Work<T>>,
    result: Option<Result<T, StoreError>>,
    reply: oneshot::Sender<Result<T, StoreError>>,
}

impl<T: Send + 'static> Job for Pending<T> {
    fn run<'c>(&'c mut self, conn: &'c mut dyn WriteConn) -> BoxFuture<'c, bool> {
        Box::pin(async move {
            let Some(work) = self.work.take() else {
                return false;
            };
            // A panic in one write must not take the writer (and every
            // later write) down: it fails that write alone.
            let result = AssertUnwindSafe(work(conn))
                .catch_unwind()
                .await
                .unwrap_or(Err(StoreError::WriterGone));
            let ok = result.is_ok();
            self.result = Some(result);
            ok
        })
    }

    fn fail(&mut self, why: &Arc<StoreError>) {
        if !matches!(self.result, Some(Err(_))) {
            self.result = Some(Err(StoreError::Batch(Arc::clone(why))));
        }
    }

    fn finish(self: Box<Self>) {
        let result = self.result.unwrap_or(Err(StoreError::WriterGone));
        // The caller may have stopped waiting (its task was cancelled);
        // the write is stored either way.
        let _ = self.reply.send(result);
    }
}

type Jobs = mpsc::UnboundedReceiver<Box<dyn Job>>;

/// Adds whatever else is waiting to `batch`. Called once the transaction
/// has begun (on SQLite, once the write lock is held): whatever queued
/// while that was awaited (another process's writer, or a slow disk) joins
/// this transaction instead of waiting for the next.
fn gather(rx: &mut Jobs, batch: &mut Vec<Box<dyn Job>>) {
    while batch.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
}

/// Counts a committed batch, or gives each write the batch's error, and
/// tells every caller.
fn settle(result: Result<(), StoreError>, mut batch: Vec<Box<dyn Job>>, stats: &Stats) {
    match result {
        Ok(()) => {
            stats.batches.fetch_add(1, Ordering::Relaxed);
            stats
                .writes
                .fetch_add(batch.len() as u64, Ordering::Relaxed);
        }
        Err(e) => {
            tracing::error!(error = %e, writes = batch.len(), "a batch of writes failed");
            let e = Arc::new(e);
            batch.iter_mut().for_each(|j| j.fail(&e));
        }
    }
    batch.into_iter().for_each(|j| j.finish());
}

/// One savepoint per write in the batch's transaction, which the caller has
/// begun and commits. An error here is the batch's (a savepoint that cannot
/// be rolled back): the transaction is rolled back and no write of it is
/// stored. A write that fails is rolled back to its savepoint alone;
/// PostgreSQL needs that before the transaction can go on, and SQLite
/// behaves the same.
///
/// The end of one write's savepoint and the start of the next go in one
/// call (on PostgreSQL, one round trip), and the last one ends with the
/// COMMIT, which releases it.
async fn write_batch(
    conn: &mut dyn WriteConn,
    batch: &mut [Box<dyn Job>],
) -> Result<(), StoreError> {
    conn.control("SAVEPOINT one_write").await?;
    let last = batch.len().saturating_sub(1);
    for (i, job) in batch.iter_mut().enumerate() {
        if !job.run(conn).await {
            conn.control("ROLLBACK TO one_write").await?;
        }
        if i < last {
            conn.control("RELEASE one_write; SAVEPOINT one_write")
                .await?;
        }
    }
    Ok(())
}
