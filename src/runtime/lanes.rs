//! One lane per key (a front end's thread or channel): a key's jobs run one
//! after another in the order they came, while different keys never wait
//! for each other (a rate-limited thread holds up only itself). A lane exists only while it has
//! work, so ten thousand threads that got one reminder each leave nothing
//! behind, and a fixed number of slots bounds how many jobs run at once.

use futures::future::BoxFuture;
use futures::FutureExt;
use std::collections::{HashMap, VecDeque};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::AbortHandle;

type Work<J> = dyn Fn(J) -> BoxFuture<'static, ()> + Send + Sync;

pub struct Lanes<J> {
    inner: Arc<Inner<J>>,
}

impl<J> Clone for Lanes<J> {
    fn clone(&self) -> Self {
        Lanes {
            inner: Arc::clone(&self.inner),
        }
    }
}

/// A running lane: the jobs behind the one in flight, and its task.
struct Lane<J> {
    queue: VecDeque<J>,
    task: AbortHandle,
}

struct LaneMap<J> {
    /// A lane's entry is present while its task runs.
    lanes: HashMap<u64, Lane<J>>,
    closed: bool,
}

struct Inner<J> {
    state: Mutex<LaneMap<J>>,
    slots: Semaphore,
    /// A job that takes longer is given up, so a request that never returns
    /// cannot keep a slot (and its lane) forever.
    limit: Duration,
    work: Box<Work<J>>,
}

impl<J: Send + 'static> Lanes<J> {
    /// Lanes running at most `slots` jobs at once, each with `work`.
    pub fn new(
        slots: usize,
        limit: Duration,
        work: impl Fn(J) -> BoxFuture<'static, ()> + Send + Sync + 'static,
    ) -> Lanes<J> {
        Lanes {
            inner: Arc::new(Inner {
                state: Mutex::new(LaneMap {
                    lanes: HashMap::new(),
                    closed: false,
                }),
                slots: Semaphore::new(slots.max(1)),
                limit,
                work: Box::new(work),
            }),
        }
    }

    /// Queues `job` behind the lane's earlier ones (starting the lane if it
    /// is idle). Must be called inside a tokio runtime; does nothing once
    /// the lanes are closed.
    pub fn push(&self, lane: u64, job: J) {
        let mut state = self.inner.lock();
        if state.closed {
            return;
        }
        if let Some(running) = state.lanes.get_mut(&lane) {
            running.queue.push_back(job);
            return;
        }
        // Spawned under the lock: the task cannot look for its next job
        // before its entry (and handle) are in place.
        let task = tokio::spawn(drain(Arc::clone(&self.inner), lane, job));
        let queue = VecDeque::new();
        let task = task.abort_handle();
        state.lanes.insert(lane, Lane { queue, task });
    }

    /// Lanes with work queued or in flight.
    #[cfg(test)]
    pub fn busy(&self) -> usize {
        self.inner.lock().lanes.len()
    }

    /// Stops every lane (jobs in flight are aborted, queued ones dropped)
    /// and ignores later pushes.
    pub fn close(&self) {
        let mut state = self.inner.lock();
        state.closed = true;
        for (_, lane) in state.lanes.drain() {
            lane.task.abort();
        }
    }

    pub fn is_closed(&self) -> bool {
        self.inner.lock().closed
    }
}

/// Closes the lanes when dropped: the task that feeds them stopping (or
/// being aborted) stops them too.
pub struct CloseOnDrop<J: Send + 'static>(pub Lanes<J>);

impl<J: Send + 'static> Drop for CloseOnDrop<J> {
    fn drop(&mut self) {
        self.0.close();
    }
}

impl<J> Inner<J> {
    fn lock(&self) -> std::sync::MutexGuard<'_, LaneMap<J>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The lane's next job, or None after removing the idle lane (under the
    /// same lock `push` takes, so no job can slip in between).
    fn next(&self, lane: u64) -> Option<J> {
        let mut state = self.lock();
        let job = state.lanes.get_mut(&lane).and_then(|l| l.queue.pop_front());
        if job.is_none() {
            state.lanes.remove(&lane);
        }
        job
    }
}

async fn drain<J: Send + 'static>(inner: Arc<Inner<J>>, lane: u64, first: J) {
    let mut job = first;
    loop {
        run(&inner, lane, job).await;
        match inner.next(lane) {
            Some(next) => job = next,
            None => return,
        }
    }
}

/// Runs one job in a slot; a panic or a hang is logged and the lane goes on.
async fn run<J>(inner: &Inner<J>, lane: u64, job: J) {
    // The semaphore is never closed; without a permit the job still runs.
    let _permit = inner.slots.acquire().await.ok();
    let work = AssertUnwindSafe((inner.work)(job)).catch_unwind();
    match tokio::time::timeout(inner.limit, work).await {
        Ok(Ok(())) => {}
        Ok(Err(_)) => tracing::error!(thread = lane, "posting to a thread panicked"),
        Err(_) => tracing::warn!(thread = lane, "posting to a thread timed out; moving on"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::sync::{mpsc, oneshot};

    /// A job: its lane and its number within the lane.
    type Numbered = (u64, u32);

    /// Jobs that record themselves when done; lane 1's first job waits for a gate.
    fn recording(
        gate: oneshot::Receiver<()>,
    ) -> (Lanes<Numbered>, mpsc::UnboundedReceiver<Numbered>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let gate = Arc::new(Mutex::new(Some(gate)));
        let lanes = Lanes::new(4, Duration::from_secs(30), move |(lane, n): Numbered| {
            let tx = tx.clone();
            let gate = if (lane, n) == (1, 0) {
                gate.lock().ok().and_then(|mut g| g.take())
            } else {
                None
            };
            async move {
                if let Some(g) = gate {
                    let _ = g.await;
                }
                let _ = tx.send((lane, n));
            }
            .boxed()
        });
        (lanes, rx)
    }

    /// Waits (in paused test time) until `want` lanes are left: a lane is
    /// removed just after its last job reports.
    async fn settle<J: Send + 'static>(lanes: &Lanes<J>, want: usize) {
        for _ in 0..1000 {
            if lanes.busy() == want {
                return;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        panic!("{} lanes left, not {want}", lanes.busy());
    }

    #[tokio::test(start_paused = true)]
    async fn a_blocked_lane_holds_up_only_itself_and_keeps_its_order() {
        let (open, gate) = oneshot::channel();
        let (lanes, mut done) = recording(gate);
        for n in 0..3 {
            lanes.push(1, (1, n));
        }
        lanes.push(2, (2, 0));
        assert_eq!(
            done.recv().await,
            Some((2, 0)),
            "lane 2 ran while lane 1 waited"
        );
        settle(&lanes, 1).await; // only the blocked lane is left
        let _ = open.send(());
        let mut lane1 = Vec::new();
        for _ in 0..3 {
            lane1.push(done.recv().await);
        }
        assert_eq!(lane1, vec![Some((1, 0)), Some((1, 1)), Some((1, 2))]);
    }

    #[tokio::test(start_paused = true)]
    async fn idle_lanes_are_dropped_once_their_jobs_are_done() {
        let (_open, gate) = oneshot::channel();
        let (lanes, mut done) = recording(gate);
        for lane in 2..202 {
            lanes.push(lane, (lane, 0));
            lanes.push(lane, (lane, 1));
        }
        for _ in 0..400 {
            assert!(done.recv().await.is_some());
        }
        settle(&lanes, 0).await;
    }

    #[tokio::test(start_paused = true)]
    async fn a_job_that_hangs_is_given_up_and_the_lane_goes_on() {
        let (tx, mut done) = mpsc::unbounded_channel();
        let lanes = Lanes::new(1, Duration::from_secs(60), move |n: u32| {
            let tx = tx.clone();
            async move {
                if n == 0 {
                    futures::future::pending::<()>().await;
                }
                let _ = tx.send(n);
            }
            .boxed()
        });
        lanes.push(7, 0);
        lanes.push(7, 1);
        assert_eq!(done.recv().await, Some(1));
    }

    #[tokio::test(start_paused = true)]
    async fn closed_lanes_drop_their_queued_jobs_and_take_no_more() {
        let (_open, gate) = oneshot::channel();
        let (lanes, mut done) = recording(gate);
        lanes.push(1, (1, 0)); // waits for the gate forever
        lanes.push(1, (1, 1));
        settle(&lanes, 1).await;
        lanes.close();
        assert!(lanes.is_closed());
        lanes.push(2, (2, 0));
        assert_eq!(lanes.busy(), 0);
        drop(lanes);
        // Every sender went with the lanes' tasks and work: nothing ran.
        let end = tokio::time::timeout(Duration::from_secs(60), done.recv()).await;
        assert_eq!(end, Ok(None));
    }
}
