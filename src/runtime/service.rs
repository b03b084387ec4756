//! The runtime as a long-running front end starts it.

use super::shards::Ownership;
use super::{Delivery, Runtime, RuntimeError};
use crate::ai::AiConfig;
use crate::bank::Bank;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::time::Clock;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// A service's runtime, ready before it connects.
pub struct Service {
    pub runtime: Runtime,
    pub deliveries: mpsc::UnboundedReceiver<Delivery>,
    /// Follows other processes' bank reloads and pack changes (PostgreSQL).
    pub changes: Option<JoinHandle<()>>,
}

impl Runtime {
    /// The runtime of a long-running front end (the bot): this process's
    /// shards, other processes' changes followed, every server's pack
    /// loaded, and the AI reviewer when `ai` configures one.
    pub async fn for_service(
        (store, bank, clock, metrics): (Store, Arc<Bank>, Clock, Metrics),
        shards: Ownership,
        bank_dir: PathBuf,
        ai: &AiConfig,
    ) -> Result<Service, RuntimeError> {
        let (runtime, deliveries) = Runtime::owning(store.clone(), bank, clock, metrics, shards);
        // Listening before the packs load, so no change falls in between.
        let changes = runtime.follow_changes(bank_dir).await?;
        // Before recovery: a running interview may be on a pack question.
        runtime.load_packs().await?;
        runtime.use_reviewer_from(ai, store);
        // Ends by itself with the runtime (it holds no strong reference).
        runtime.spawn_board_sweep();
        Ok(Service {
            runtime,
            deliveries,
            changes,
        })
    }
}
