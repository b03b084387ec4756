//! Helpers shared by the integration tests.
#![allow(dead_code)]

use interview_bot::bank::{self, Bank};
use std::path::{Path, PathBuf};

pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The small bank in tests/fixtures/mini-bank, whose questions tests know.
pub fn mini_bank() -> Bank {
    bank::load(&repo_path("tests/fixtures/mini-bank")).expect("the mini bank is valid")
}

/// The bank shipped in question-bank/, loaded once per test binary (a load
/// takes about a second in a debug build).
pub fn shipped_bank() -> &'static Bank {
    static BANK: std::sync::OnceLock<Bank> = std::sync::OnceLock::new();
    BANK.get_or_init(|| match bank::load(&repo_path("question-bank")) {
        Ok(b) => b,
        Err(e) => panic!("the shipped bank has problems:\n{e}"),
    })
}

/// A runtime over a fresh SQLite file with the mini bank and a manual clock
/// at `T0`, for the runtime's own tests.
pub struct Setup {
    pub _dir: tempfile::TempDir,
    pub db: PathBuf,
    pub clock: interview_bot::time::Clock,
    pub rt: interview_bot::runtime::Runtime,
    pub deliveries: tokio::sync::mpsc::UnboundedReceiver<interview_bot::runtime::Delivery>,
}

pub const T0: interview_bot::time::Timestamp = interview_bot::time::Timestamp(1_800_000_000_000);
/// Generous bound for work the runtime does once the clock has moved.
pub const T: std::time::Duration = std::time::Duration::from_secs(20);

pub async fn setup() -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("bot.db");
    let store = interview_bot::store::Store::open(&db).await.expect("opens");
    let clock = interview_bot::time::Clock::manual(T0);
    let (rt, deliveries) = interview_bot::runtime::Runtime::new(
        store,
        std::sync::Arc::new(mini_bank()),
        clock.clone(),
    );
    Setup {
        _dir: dir,
        db,
        clock,
        rt,
        deliveries,
    }
}

/// Waits (bounded by `T`) for the runtime's own work, not for any timer.
pub async fn eventually(what: &str, check: impl Fn() -> bool) {
    let until = tokio::time::Instant::now() + T;
    while !check() {
        assert!(tokio::time::Instant::now() < until, "never: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
}
