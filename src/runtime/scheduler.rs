//! One task holds every armed deadline in a `DelayQueue` (tens of bytes per
//! entry), so ten thousand idle interviews cost one task, not ten thousand.

use super::Inner;
use crate::store::SessionId;
use crate::time::{Clock, Timestamp};
use futures::StreamExt;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use tokio::sync::mpsc;
use tokio_util::time::{delay_queue, DelayQueue};

enum Command {
    Arm(SessionId, Option<Timestamp>),
}

pub(super) struct Scheduler {
    commands: mpsc::UnboundedSender<Command>,
    armed: Arc<AtomicUsize>,
}

impl Scheduler {
    pub(super) fn spawn(clock: Clock, runtime: Weak<Inner>) -> Scheduler {
        let (tx, rx) = mpsc::unbounded_channel();
        let armed = Arc::new(AtomicUsize::new(0));
        tokio::spawn(run(clock, runtime, rx, Arc::clone(&armed)));
        Scheduler {
            commands: tx,
            armed,
        }
    }

    /// Sets (or with None clears) the one deadline of a session.
    pub(super) fn arm(&self, id: SessionId, at: Option<Timestamp>) {
        let _ = self.commands.send(Command::Arm(id, at));
    }

    pub(super) fn armed(&self) -> usize {
        self.armed.load(Ordering::Relaxed)
    }
}

async fn run(
    clock: Clock,
    runtime: Weak<Inner>,
    mut rx: mpsc::UnboundedReceiver<Command>,
    armed: Arc<AtomicUsize>,
) {
    let mut queue: DelayQueue<SessionId> = DelayQueue::new();
    let mut keys: HashMap<SessionId, delay_queue::Key> = HashMap::new();
    loop {
        tokio::select! {
            cmd = rx.recv() => match cmd {
                Some(Command::Arm(id, at)) => {
                    if let Some(key) = keys.remove(&id) {
                        queue.remove(&key);
                    }
                    if let Some(at) = at {
                        keys.insert(id, queue.insert_at(id, clock.instant_at(at)));
                    }
                    armed.store(keys.len(), Ordering::Relaxed);
                }
                None => break,
            },
            Some(expired) = queue.next(), if !queue.is_empty() => {
                let id = expired.into_inner();
                keys.remove(&id);
                armed.store(keys.len(), Ordering::Relaxed);
                let Some(rt) = runtime.upgrade() else { break };
                tokio::spawn(async move { rt.fire(id).await });
            }
        }
    }
}
