//! Helpers shared by the integration tests.
#![allow(dead_code)]

use interview_bot::bank::{self, Bank};
use std::path::{Path, PathBuf};

/// The `interview-bot` binary, run in `cwd` on the mini bank as user
/// `tester` with a quiet log.
pub fn bot_command(cwd: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_interview-bot"));
    c.current_dir(cwd)
        .env_remove("RUST_LOG")
        .env("USER", "tester")
        .arg("--bank")
        .arg(repo_path("tests/fixtures/mini-bank"));
    c
}

/// Runs `cmd` with `input` on its standard input, to its end.
pub fn run_with_input(cmd: &mut std::process::Command, input: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("writes");
    child.wait_with_output().expect("finishes")
}

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

/// A fresh database for one test: a SQLite file in a temp dir, or a fresh
/// schema of the PostgreSQL server that `INTERVIEW_BOT_TEST_POSTGRES` names
/// (`.ci/postgres` starts one), so tests stay independent on either.
pub struct Db {
    /// What the `database` setting would say: a path or a postgres URL.
    pub url: String,
    pub postgres: bool,
    _dir: Option<tempfile::TempDir>,
}

pub const POSTGRES_VAR: &str = "INTERVIEW_BOT_TEST_POSTGRES";

impl Db {
    pub fn sqlite() -> Db {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = dir.path().join("db/test.db").display().to_string();
        Db {
            url,
            postgres: false,
            _dir: Some(dir),
        }
    }

    /// A fresh schema on the test server, or None when no server is given.
    /// Under CI (`CI` set) a missing server fails the test: the PostgreSQL
    /// suite must run there, never pass by skipping. Elsewhere the skip is
    /// announced on the terminal (past the test harness's capture), once
    /// per test binary.
    pub async fn postgres() -> Option<Db> {
        let Some(base) = std::env::var(POSTGRES_VAR).ok().filter(|v| !v.is_empty()) else {
            if std::env::var("CI").is_ok_and(|v| !v.is_empty()) {
                panic!("{POSTGRES_VAR} is not set under CI: run the tests through .ci/postgres");
            }
            static NOTICE: std::sync::Once = std::sync::Once::new();
            NOTICE.call_once(|| {
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "note: the PostgreSQL tests of {} were SKIPPED: {POSTGRES_VAR} is not set \
                     (`.ci/postgres cargo test` starts a throwaway server and sets it)",
                    std::env::args().next().unwrap_or_default()
                );
            });
            return None;
        };
        use sqlx::Connection;
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let schema = format!(
            "t_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        );
        let mut conn = sqlx::PgConnection::connect(&base)
            .await
            .expect("the test PostgreSQL server answers");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut conn)
            .await
            .expect("a fresh schema");
        conn.close().await.expect("closes");
        let sep = if base.contains('?') { '&' } else { '?' };
        Some(Db {
            url: format!("{base}{sep}options=-c%20search_path%3D{schema}"),
            postgres: true,
            _dir: None,
        })
    }

    /// Opens (and migrates) the store, as a process starting would.
    pub async fn open(&self) -> interview_bot::store::Store {
        interview_bot::store::Store::connect(&self.url)
            .await
            .expect("the store opens")
    }

    /// A connection pool of its own, for looking under the store's API.
    pub async fn raw(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        let url = if self.postgres {
            self.url.clone()
        } else {
            format!("sqlite://{}", self.url)
        };
        sqlx::AnyPool::connect(&url)
            .await
            .expect("a raw connection")
    }
}

/// Runs each named `async fn NAME(db: common::Db)` twice, as the tests
/// `NAME::sqlite` and `NAME::postgres` (the latter skipped, with a notice,
/// when no PostgreSQL server is given; failing under CI).
#[allow(unused_macros)]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::common::Db::sqlite()).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = crate::common::Db::postgres().await {
                    super::$name(db).await
                }
            }
        }
    )*};
}

/// As `setup`, on `db`.
pub async fn setup_on(db: Db) -> (Db, Setup) {
    let store = db.open().await;
    let clock = interview_bot::time::Clock::manual(T0);
    let (rt, deliveries) = interview_bot::runtime::Runtime::new(
        store,
        std::sync::Arc::new(mini_bank()),
        clock.clone(),
    );
    let setup = Setup {
        _dir: tempfile::tempdir().expect("tempdir"),
        db: PathBuf::from(&db.url),
        clock,
        rt,
        deliveries,
    };
    (db, setup)
}
