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
