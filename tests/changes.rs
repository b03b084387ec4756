//! Changes reaching every process: two runtimes on one PostgreSQL database
//! (two processes, each with its own pool and its own listener) see each
//! other's pack imports, removals and bank reloads through LISTEN/NOTIFY,
//! and a listener whose connection is cut catches up on what it missed.
//! On SQLite there is one bot process, so there is nothing to follow.
//! Waits are bounded polls of a condition, never fixed sleeps.

mod common;

use common::{eventually, repo_path, Db, T0};
use interview_bot::bank::Bank;
use interview_bot::runtime::Runtime;
use interview_bot::store::{StoredPack, LISTENER_NAME};
use interview_bot::time::{Clock, Timestamp};
use std::path::Path;
use std::sync::Arc;

const GUILD: u64 = 111_222_333_444_555_666;
const QUIET: u64 = 222_333_444_555_666_777;

/// A copy of the mini bank that the test may change, as every process's
/// own copy of the same bank files.
fn bank_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(repo_path("tests/fixtures/mini-bank")).expect("bank") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    dir
}

fn load(dir: &Path) -> Arc<Bank> {
    Arc::new(interview_bot::bank::load(dir).expect("the bank loads"))
}

async fn process(db: &Db, dir: &Path) -> Runtime {
    Runtime::new(db.open().await, load(dir), Clock::manual(T0)).0
}

/// The fixture pack's own topic and questions (its last question is on a
/// shipped topic the mini bank lacks).
fn acme() -> Vec<u8> {
    let text =
        std::fs::read_to_string(repo_path("tests/fixtures/packs/acme.yaml")).expect("fixture");
    let cut = text
        .find("\n  - id: core-python-walrus")
        .expect("the third question");
    text.as_bytes()[..=cut].to_vec()
}

fn has(rt: &Runtime, guild: u64, id: &str) -> bool {
    rt.bank_for(Some(guild))
        .question(&format!("{guild}:{id}"))
        .is_some()
}

const NEW_QUESTION: &str = "  - id: beta-hard
    difficulty: hard
    tags: [three]
    prompt: How do you check a weld for flaws?
    key_points:
      - point: An X-ray shows hidden flaws.
        keywords: [x-ray, xray]
      - point: A dye test shows surface cracks.
        keywords: [dye]
    model_answer: An x-ray shows hidden flaws and a dye test shows surface cracks.
    hints: [Look inside.]
    follow_ups: [Ultrasound?]
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pack_changes_and_bank_reloads_in_one_process_reach_the_other() {
    let Some(db) = Db::postgres().await else {
        return;
    };
    let folder = bank_folder();
    let dir = folder.path().to_path_buf();
    let (one, two) = (process(&db, &dir).await, process(&db, &dir).await);
    let _f1 = one.follow_changes(dir.clone()).await.expect("listens");
    let _f2 = two.follow_changes(dir.clone()).await.expect("listens");
    assert!(_f1.is_some() && _f2.is_some(), "PostgreSQL has listeners");

    let imported = one
        .import_pack(GUILD, "acme.yaml", acme(), Some(7))
        .await
        .expect("no internal error")
        .expect("a valid pack");
    assert_eq!(imported.questions, 2);
    assert!(has(&one, GUILD, "acme-orm-flush-order"));
    eventually("the other process builds the imported pack", || {
        has(&two, GUILD, "acme-orm-flush-order")
    })
    .await;
    assert!(
        !has(&two, QUIET, "acme-orm-flush-order"),
        "only that server's"
    );

    one.remove_pack(GUILD).await.expect("removes");
    eventually("the other process drops the removed pack", || {
        !has(&two, GUILD, "acme-orm-flush-order")
    })
    .await;

    // The bank files change (on every machine), and one process reloads.
    let before = two.bank().questions.len();
    let beta = dir.join("beta.yaml");
    let mut text = std::fs::read_to_string(&beta).expect("read");
    text.push_str(NEW_QUESTION);
    std::fs::write(&beta, text).expect("write");
    let reloaded = one
        .reload_bank(&dir)
        .await
        .expect("no internal error")
        .unwrap_or_else(|e| panic!("the changed bank is valid: {e}"));
    assert_eq!(reloaded.questions.len(), before + 1);
    eventually("the other process re-reads its bank folder", || {
        two.bank().question("beta-hard").is_some()
    })
    .await;
    assert_eq!(two.bank().questions.len(), before + 1);

    // A pack stored with no notice (as if the notice were lost), then every
    // listener's connection is cut: on reconnecting, each re-reads the packs.
    let stored = StoredPack {
        guild_id: QUIET,
        file_name: "acme.yaml".into(),
        yaml: String::from_utf8(acme()).expect("utf-8"),
        questions: 2,
        imported_by: None,
        imported_at: Timestamp(T0.0),
    };
    two.store().put_pack(&stored).await.expect("stored");
    assert!(!has(&two, QUIET, "acme-orm-flush-order"), "nobody was told");
    let cut = terminate_listeners(&db).await;
    assert_eq!(cut, 2, "both processes' listeners were connected");
    eventually("a reconnected listener catches up on the packs", || {
        has(&two, QUIET, "acme-orm-flush-order") && has(&one, QUIET, "acme-orm-flush-order")
    })
    .await;
    // And it still hears new notices afterwards.
    one.remove_pack(QUIET).await.expect("removes");
    eventually("notices reach the reconnected listener", || {
        !has(&two, QUIET, "acme-orm-flush-order")
    })
    .await;
}

/// Ends the listeners' server processes, as a restarted server or a
/// network cut would; returns how many there were.
async fn terminate_listeners(db: &Db) -> i64 {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&db.url)
        .await
        .expect("connects");
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = $1) AS cut",
    )
    .bind(LISTENER_NAME)
    .fetch_one(&mut conn)
    .await
    .expect("terminates")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite_there_is_no_other_process_to_follow_and_reloads_stay_local() {
    let db = Db::sqlite();
    let folder = bank_folder();
    let rt = process(&db, folder.path()).await;
    let follower = rt
        .follow_changes(folder.path().to_path_buf())
        .await
        .expect("no error");
    assert!(
        follower.is_none(),
        "one bot process on SQLite: nothing to listen to"
    );
    std::fs::write(folder.path().join("beta.yaml"), "questions: [").expect("break it");
    let refused = rt
        .reload_bank(folder.path())
        .await
        .expect("no internal error");
    let problems = refused.map(|_| ()).expect_err("a broken file is refused");
    assert!(problems.to_string().contains("beta.yaml"), "{problems}");
    assert!(
        rt.bank().question("beta-easy").is_some(),
        "the old bank stays"
    );
}
