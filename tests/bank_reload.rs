//! A bank reload that drops the question an interview is on: the interview
//! still answers, times out and ends with the bank it began with; new
//! interviews use the new bank.

mod common;

use interview_bot::bank::{Bank, DifficultyChoice};
use interview_bot::interview::*;
use interview_bot::runtime::StartRequest;
use std::sync::Arc;
use std::time::Duration;

use common::{mini_bank, setup, Setup};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interview_on_a_question_the_reload_removed_still_finishes() {
    let Setup {
        _dir, clock, rt, ..
    } = setup().await;
    let user = rt.store().local_user("ann").await.expect("user");
    let settings = Settings {
        seconds_override: Some(60.0),
        ..Settings::default()
    };
    let req = StartRequest {
        seed: Some(1),
        ..StartRequest::solo(user, "ann", vec![], DifficultyChoice::Mixed, 2, settings)
    };
    let start = rt.start(req).await.expect("start");
    let id = start.session.id;
    let plan: Vec<String> = start
        .session
        .state
        .plan
        .iter()
        .map(|p| p.question_id.clone())
        .collect();

    // The reload keeps every question but the two this interview asks.
    let old = mini_bank();
    let kept = old
        .questions
        .iter()
        .filter(|q| !plan.contains(&q.id))
        .cloned()
        .collect();
    rt.set_bank(Arc::new(Bank::from_parts(old.topics.clone(), kept)));
    assert!(rt.bank().question(&plan[0]).is_none());

    let d = rt
        .handle(
            id,
            Event::SubmitWith {
                by: user,
                text: "An answer.".into(),
            },
        )
        .await
        .expect("the answer to a removed question is still taken");
    assert!(
        d.effects.iter().any(|e| matches!(e, Effect::Feedback(_))),
        "{:?}",
        d.effects
    );
    // The rating window closes, and the second question (also removed) is
    // asked and times out: each step is a firing on the moved clock.
    let mut state = rt.session(id).await.expect("load").state;
    for _ in 0..400 {
        if !state.is_running() {
            break;
        }
        if rt.armed_at(id).is_some_and(|at| at <= clock.now()) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        } else {
            clock.advance(Duration::from_secs(5 * 60));
        }
        state = rt.session(id).await.expect("load").state;
    }
    assert!(
        !state.is_running(),
        "the interview ended: {:?}",
        state.phase
    );
    assert_eq!(state.results.len(), 2);
}
