//! What the operators' endpoint reads from a running bot: its sessions and
//! deadlines, whether every shard of this process is connected, and
//! whether the database answers.

use crate::metrics::server::Probe;
use crate::runtime::Runtime;
use futures::future::BoxFuture;
use poise::serenity_prelude as serenity;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub struct BotProbe {
    pub runtime: Runtime,
    pub shards: Arc<serenity::ShardManager>,
    /// Set when the client gave up (a fatal gateway error such as a bad
    /// token): its shards' last stage is then stale.
    pub stopped: Arc<AtomicBool>,
}

impl Probe for BotProbe {
    fn levels(&self) -> BoxFuture<'_, (usize, usize)> {
        Box::pin(async move {
            let running = match self.runtime.running_here().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "could not count running sessions for /metrics");
                    0
                }
            };
            (running, self.runtime.armed())
        })
    }

    fn gateway_connected(&self) -> BoxFuture<'_, bool> {
        Box::pin(async move {
            if self.stopped.load(Ordering::Relaxed) {
                return false;
            }
            let runners = self.shards.runners.lock().await;
            !runners.is_empty()
                && runners
                    .values()
                    .all(|r| r.stage == serenity::ConnectionStage::Connected)
        })
    }

    fn database_reachable(&self) -> BoxFuture<'_, bool> {
        Box::pin(self.runtime.store().reachable())
    }
}
