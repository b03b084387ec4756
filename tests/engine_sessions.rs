//! The engine through whole sessions, with explicit times.

mod common;

use interview_bot::bank::Bank;
use interview_bot::interview::*;
use interview_bot::time::Timestamp;
use std::time::Duration;

const T0: Timestamp = Timestamp(1_800_000_000_000);
const ALICE: UserId = UserId(1);
const BOB: UserId = UserId(2);
const IVY: UserId = UserId(3);
const IAN: UserId = UserId(4);
const EVE: UserId = UserId(9);

fn at(secs: u64) -> Timestamp {
    T0.plus(Duration::from_secs(secs))
}

fn person(user: UserId, role: Role) -> Participant {
    Participant {
        user,
        name: format!("user{}", user.0),
        role,
        left: false,
    }
}

fn solo(bank: &Bank, ids: &[&str]) -> (SessionState, Vec<Effect>) {
    let plan = ids
        .iter()
        .map(|id| PlannedQuestion {
            question_id: id.to_string(),
            candidate: ALICE,
        })
        .collect();
    SessionState::start(
        bank,
        SessionKind::Solo,
        ALICE,
        vec![person(ALICE, Role::Candidate)],
        plan,
        Settings::default(),
        T0,
    )
    .expect("starts")
}

fn feedback(fx: &[Effect]) -> &Feedback {
    fx.iter()
        .find_map(|e| {
            if let Effect::Feedback(f) = e {
                Some(f)
            } else {
                None
            }
        })
        .expect("feedback")
}

fn summary(fx: &[Effect]) -> &Summary {
    fx.iter()
        .find_map(|e| {
            if let Effect::Ended(s) = e {
                Some(&**s)
            } else {
                None
            }
        })
        .expect("summary")
}

#[test]
fn a_solo_session_asks_scores_and_summarises_every_question() {
    let bank = common::mini_bank();
    let (mut s, fx) = solo(&bank, &["alpha-easy", "alpha-medium", "alpha-hard"]);
    // Easy by default has 3 minutes; the reminder comes a fifth before (36 s).
    assert_eq!(
        fx,
        vec![Effect::Ask {
            position: 0,
            number: 1,
            total: 3,
            question_id: "alpha-easy".into(),
            candidate: ALICE,
            deadline: at(180)
        }]
    );
    assert_eq!(s.next_wakeup(), Some(at(144)));

    // The answer arrives in two pieces, then one hint, then submit.
    s.apply(
        &bank,
        Event::Answer {
            by: ALICE,
            text: "It is BLUE".into(),
        },
        at(10),
    )
    .expect("answer");
    s.apply(
        &bank,
        Event::Answer {
            by: ALICE,
            text: "and round".into(),
        },
        at(20),
    )
    .expect("answer");
    let fx = s
        .apply(&bank, Event::Hint { by: ALICE }, at(30))
        .expect("hint");
    assert_eq!(
        fx,
        vec![Effect::Hint {
            position: 0,
            number: 1,
            text: "Think colour.".into(),
            penalty: 10
        }]
    );
    let fx = s
        .apply(&bank, Event::Submit { by: ALICE }, at(40))
        .expect("submit");
    let f = feedback(&fx);
    assert_eq!((f.outcome, f.coverage), (Outcome::Answered, 50));
    assert_eq!(
        f.covered,
        vec![CoveredPoint {
            point: "Gizmos are blue.".to_string(),
            heard: "BLUE".to_string()
        }],
        "the feedback quotes the words that earned the point"
    );
    assert_eq!(f.missed, vec!["Gizmos spin.".to_string()]);
    assert_eq!(f.rate_until, Some(at(160)), "two minutes to rate");
    assert_eq!(s.current().expect("open").answer, "It is BLUE\nand round");

    // Rating 5 → round(0.5·100 + 0.5·50) − 10 = 65; easy weight 1 → 0.65 points.
    let fx = s
        .apply(
            &bank,
            Event::Rate {
                by: ALICE,
                rating: Some(5),
            },
            at(50),
        )
        .expect("rate");
    assert!(
        fx.contains(&Effect::Scored {
            position: 0,
            candidate: ALICE,
            score: Some(65),
            points: 0.65
        }),
        "{fx:?}"
    );
    // The medium question sets its own 2-minute limit.
    assert!(
        matches!(fx.last(), Some(Effect::Ask { question_id, deadline, .. }) if question_id == "alpha-medium" && *deadline == at(50 + 120))
    );

    // Skip scores 0 and shows the model answer, with no rating asked.
    let fx = s
        .apply(&bank, Event::Skip { by: ALICE }, at(60))
        .expect("skip");
    assert_eq!(feedback(&fx).rate_until, None);
    assert!(fx.contains(&Effect::Scored {
        position: 1,
        candidate: ALICE,
        score: Some(0),
        points: 0.0
    }));

    // Hard: 8 minutes; reminder one minute before; the deadline submits the draft.
    s.apply(
        &bank,
        Event::Answer {
            by: ALICE,
            text: "teeth matter".into(),
        },
        at(70),
    )
    .expect("answer");
    assert_eq!(
        s.apply(&bank, Event::Tick, at(100)).expect("early tick"),
        vec![],
        "nothing is due yet"
    );
    let fx = s.apply(&bank, Event::Tick, at(60 + 420)).expect("reminder");
    assert_eq!(
        fx,
        vec![Effect::Remind {
            position: 2,
            candidate: ALICE,
            deadline: at(540)
        }]
    );
    assert!(s
        .apply(&bank, Event::Tick, at(60 + 421))
        .expect("no second reminder")
        .is_empty());
    let fx = s.apply(&bank, Event::Tick, at(540)).expect("deadline");
    assert_eq!(
        (feedback(&fx).outcome, feedback(&fx).coverage),
        (Outcome::TimedOut, 50)
    );
    // Nobody rates: after the window, coverage alone (50) counts; hard weight 3.
    let fx = s
        .apply(&bank, Event::Tick, at(540 + 120))
        .expect("rating timeout");
    assert!(
        fx.contains(&Effect::Scored {
            position: 2,
            candidate: ALICE,
            score: Some(50),
            points: 1.5
        }),
        "{fx:?}"
    );
    let sum = summary(&fx);
    assert_eq!(sum.status, Status::Finished);
    assert_eq!(
        sum.rows.iter().map(|r| r.score).collect::<Vec<_>>(),
        vec![Some(65), Some(0), Some(50)]
    );
    assert_eq!(sum.total_points(), 2.15);
    // The skipped question scores 0 points but is not an answer to average.
    assert_eq!(sum.average(), Some(57.5));
    // A note for every missed key point: 1 + 3 (skipped) + 1.
    assert_eq!(sum.notes.len(), 5);
    assert!(sum
        .notes
        .iter()
        .all(|n| n.subject == ALICE && n.author.is_none()));
    assert_eq!(
        sum.topics,
        vec![TopicRow {
            topic: "alpha".into(),
            questions: 3,
            average: Some(57.5)
        }]
    );
    assert!(!s.is_running());
    assert_eq!(
        s.apply(&bank, Event::Hint { by: ALICE }, at(700)),
        Err(EngineError::Ended)
    );
}

#[test]
fn a_deadline_with_nothing_typed_scores_zero_and_moves_on() {
    let bank = common::mini_bank();
    let (mut s, _) = solo(&bank, &["alpha-easy", "beta-easy"]);
    let fx = s.apply(&bank, Event::Tick, at(180)).expect("deadline");
    assert_eq!(feedback(&fx).outcome, Outcome::Unanswered);
    assert!(fx.contains(&Effect::Scored {
        position: 0,
        candidate: ALICE,
        score: Some(0),
        points: 0.0
    }));
    assert!(
        matches!(fx.last(), Some(Effect::Ask { question_id, .. }) if question_id == "beta-easy")
    );
}

#[test]
fn refused_events_leave_the_state_unchanged() {
    let bank = common::mini_bank();
    let (mut s, _) = solo(&bank, &["alpha-easy"]);
    let before = s.clone();
    assert_eq!(
        s.apply(&bank, Event::Submit { by: ALICE }, at(1)),
        Err(EngineError::EmptyAnswer)
    );
    assert_eq!(
        s.apply(
            &bank,
            Event::Answer {
                by: EVE,
                text: "x".into()
            },
            at(1)
        ),
        Err(EngineError::NotAParticipant)
    );
    assert_eq!(
        s.apply(
            &bank,
            Event::Rate {
                by: ALICE,
                rating: Some(3)
            },
            at(1)
        ),
        Err(EngineError::NothingToRate)
    );
    assert_eq!(
        s.apply(
            &bank,
            Event::End {
                by: Actor::person(EVE)
            },
            at(1)
        ),
        Err(EngineError::NotOwner)
    );
    s.apply(&bank, Event::Hint { by: ALICE }, at(1))
        .expect("hint 1");
    s.apply(&bank, Event::Hint { by: ALICE }, at(2))
        .expect("hint 2");
    let after_hints = s.clone();
    assert_eq!(
        s.apply(&bank, Event::Hint { by: ALICE }, at(3)),
        Err(EngineError::NoMoreHints)
    );
    assert_eq!(s, after_hints);
    assert_ne!(before, after_hints);
}

#[test]
fn follow_ups_can_be_asked_and_ending_early_keeps_the_answer() {
    let bank = common::mini_bank();
    let (mut s, _) = solo(&bank, &["alpha-easy", "alpha-hard"]);
    let fx = s
        .apply(
            &bank,
            Event::FollowUp {
                by: ALICE,
                index: 1,
            },
            at(5),
        )
        .expect("follow-up");
    assert_eq!(
        fx,
        vec![Effect::FollowUp {
            position: 0,
            text: "Why spin?".into()
        }]
    );
    assert_eq!(
        s.apply(
            &bank,
            Event::FollowUp {
                by: ALICE,
                index: 7
            },
            at(5)
        ),
        Err(EngineError::NoSuchFollowUp(8))
    );
    s.apply(
        &bank,
        Event::Answer {
            by: ALICE,
            text: "it spins".into(),
        },
        at(6),
    )
    .expect("answer");
    let fx = s
        .apply(
            &bank,
            Event::End {
                by: Actor::person(ALICE),
            },
            at(7),
        )
        .expect("end");
    let sum = summary(&fx);
    assert_eq!(
        sum.rows.len(),
        1,
        "the unasked question is not in the summary"
    );
    assert_eq!(
        (sum.rows[0].outcome, sum.rows[0].score),
        (Some(Outcome::TimedOut), Some(50))
    );
    assert_eq!(s.results[0].follow_ups_asked, vec![1]);
}

fn panel(bank: &Bank) -> SessionState {
    let people = vec![
        person(ALICE, Role::Candidate),
        person(BOB, Role::Candidate),
        person(IVY, Role::Interviewer),
        person(IAN, Role::Interviewer),
    ];
    let qs: Vec<&interview_bot::bank::Question> =
        ["alpha-easy", "beta-easy", "alpha-hard", "beta-medium"]
            .iter()
            .map(|id| bank.question(id).expect("q"))
            .collect();
    let plan = plan(&qs, &[ALICE, BOB], 2);
    let (s, fx) = SessionState::start(
        bank,
        SessionKind::Panel,
        IVY,
        people,
        plan,
        Settings::default(),
        T0,
    )
    .expect("starts");
    assert!(matches!(&fx[..], [Effect::Ask { candidate, .. }] if *candidate == ALICE));
    s
}

fn card(interviewer: UserId, t: u8, c: u8, p: u8, note: Option<&str>) -> Event {
    Event::Score {
        card: Scorecard {
            interviewer,
            technical: t,
            communication: c,
            problem_solving: p,
            note: note.map(String::from),
        },
    }
}

#[test]
fn a_panel_takes_turns_and_scores_by_interviewer_mean() {
    let bank = common::mini_bank();
    let mut s = panel(&bank);
    assert_eq!(
        s.plan.iter().map(|p| p.candidate).collect::<Vec<_>>(),
        vec![ALICE, BOB, ALICE, BOB]
    );

    // Roles are enforced.
    assert_eq!(
        s.apply(
            &bank,
            Event::Answer {
                by: BOB,
                text: "x".into()
            },
            at(1)
        ),
        Err(EngineError::NotYourTurn)
    );
    assert_eq!(
        s.apply(
            &bank,
            Event::Answer {
                by: IVY,
                text: "x".into()
            },
            at(1)
        ),
        Err(EngineError::CandidatesOnly)
    );
    assert_eq!(
        s.apply(&bank, card(ALICE, 5, 5, 5, None), at(1)),
        Err(EngineError::InterviewersOnly)
    );
    assert_eq!(
        s.apply(&bank, card(EVE, 5, 5, 5, None), at(1)),
        Err(EngineError::NotAParticipant)
    );
    assert_eq!(
        s.apply(
            &bank,
            Event::FollowUp {
                by: ALICE,
                index: 0
            },
            at(1)
        ),
        Err(EngineError::InterviewersOnly)
    );
    assert!(s
        .apply(&bank, Event::FollowUp { by: IAN, index: 0 }, at(1))
        .is_ok());

    // Alice writes and submits; interviewers score; the second card moves on.
    s.apply(
        &bank,
        Event::Answer {
            by: ALICE,
            text: "blue and spinning".into(),
        },
        at(10),
    )
    .expect("answer");
    let fx = s
        .apply(&bank, Event::Submit { by: ALICE }, at(20))
        .expect("submit");
    assert_eq!(
        feedback(&fx).rate_until,
        Some(at(180 + 120)),
        "panels score until two minutes after the deadline"
    );
    let fx = s
        .apply(&bank, card(IVY, 5, 4, 3, Some("Crisp answer")), at(30))
        .expect("card 1");
    assert_eq!(
        fx,
        vec![Effect::ScoreRecorded {
            position: 0,
            interviewer: IVY,
            waiting_for: 1
        }]
    );
    let fx = s
        .apply(&bank, card(IAN, 3, 4, 5, None), at(40))
        .expect("card 2");
    // mean of 100,75,50,50,75,100 = 75; easy → 0.75
    assert!(
        fx.contains(&Effect::Scored {
            position: 0,
            candidate: ALICE,
            score: Some(75),
            points: 0.75
        }),
        "{fx:?}"
    );
    assert!(
        matches!(fx.last(), Some(Effect::Ask { candidate, question_id, .. }) if *candidate == BOB && question_id == "beta-easy")
    );

    // Bob answers out loud: both interviewers score before the deadline.
    s.apply(&bank, card(IVY, 2, 2, 2, None), at(50))
        .expect("card");
    let fx = s
        .apply(&bank, card(IAN, 4, 4, 4, Some("Knew flanges")), at(60))
        .expect("card");
    assert!(
        fx.contains(&Effect::Scored {
            position: 1,
            candidate: BOB,
            score: Some(50),
            points: 0.5
        }),
        "{fx:?}"
    );

    // Ian never scores Alice's second answer: two minutes after the deadline
    // it closes with Ivy's card alone.
    s.apply(&bank, card(IVY, 4, 4, 4, None), at(100))
        .expect("card");
    let fx = s.apply(&bank, Event::Tick, at(60 + 480)).expect("deadline");
    assert!(matches!(feedback(&fx).outcome, Outcome::Unanswered));
    let fx = s
        .apply(&bank, Event::Tick, at(60 + 480 + 120))
        .expect("scoring window");
    assert!(
        fx.contains(&Effect::Scored {
            position: 2,
            candidate: ALICE,
            score: Some(75),
            points: 2.25
        }),
        "{fx:?}"
    );

    // Nobody scores Bob's last: it ends unscored.
    let deadline = match s.phase {
        Phase::Answering { deadline, .. } => deadline,
        ref p => panic!("{p:?}"),
    };
    s.apply(&bank, Event::Tick, deadline).expect("deadline");
    let fx = s
        .apply(&bank, Event::Tick, deadline.plus(Duration::from_secs(120)))
        .expect("end");
    let sum = summary(&fx);
    assert_eq!(
        sum.rows.iter().map(|r| r.score).collect::<Vec<_>>(),
        vec![Some(75), Some(50), Some(75), None]
    );
    let alice = sum
        .candidates
        .iter()
        .find(|c| c.candidate == ALICE)
        .expect("alice row");
    assert_eq!((alice.questions, alice.points), (2, 3.0));
    // Ivy 2 vs Ian 4 on Bob's first answer: flagged in every dimension.
    assert_eq!(sum.rows[1].disagreements.len(), 3);
    assert_eq!(
        sum.rows[0].disagreements,
        vec![
            Disagreement {
                dimension: "technical",
                low: 3,
                high: 5
            },
            Disagreement {
                dimension: "problem solving",
                low: 3,
                high: 5
            }
        ]
    );
    assert_eq!(sum.rows[0].dimensions, Some([4.0, 4.0, 4.0]));
    let interviewer_notes: Vec<_> = sum
        .notes
        .iter()
        .filter(|n| n.author.is_some())
        .map(|n| (n.subject, n.text.as_str()))
        .collect();
    assert_eq!(
        interviewer_notes,
        vec![(ALICE, "Crisp answer"), (BOB, "Knew flanges")]
    );
}

#[test]
fn a_candidate_who_leaves_is_passed_over_and_the_panel_goes_on() {
    let bank = common::mini_bank();
    let mut s = panel(&bank);
    let fx = s
        .apply(&bank, Event::Leave { user: ALICE }, at(5))
        .expect("leave");
    assert!(fx.contains(&Effect::ParticipantLeft { user: ALICE }));
    // Alice's open question closes unanswered and Bob's turn starts.
    assert!(
        matches!(fx.last(), Some(Effect::Ask { candidate, .. }) if *candidate == BOB),
        "{fx:?}"
    );
    s.apply(&bank, card(IVY, 3, 3, 3, None), at(10))
        .expect("card");
    let fx = s
        .apply(&bank, card(IAN, 3, 3, 3, None), at(11))
        .expect("card");
    // Alice's second question is skipped over: Bob again.
    assert!(
        matches!(fx.last(), Some(Effect::Ask { candidate, position: 3, .. }) if *candidate == BOB),
        "{fx:?}"
    );
    // An interviewer leaving means only the other one is waited for.
    s.apply(&bank, Event::Leave { user: IAN }, at(12))
        .expect("leave");
    let fx = s
        .apply(&bank, card(IVY, 4, 4, 4, None), at(13))
        .expect("card");
    assert_eq!(summary(&fx).rows.len(), 3);
    assert!(!s.is_running());
}

#[test]
fn an_answer_submitted_in_one_step_is_all_or_nothing() {
    let bank = common::mini_bank();
    let (mut s, _) = solo(&bank, &["alpha-easy"]);
    let before = s.clone();
    let err = s.apply(
        &bank,
        Event::SubmitWith {
            by: ALICE,
            text: "   ".into(),
        },
        at(1),
    );
    assert_eq!(err, Err(EngineError::EmptyAnswer));
    assert_eq!(
        s, before,
        "a refused submit leaves no partial answer behind"
    );
    let fx = s
        .apply(
            &bank,
            Event::SubmitWith {
                by: ALICE,
                text: "blue, spinning".into(),
            },
            at(2),
        )
        .expect("submit");
    assert_eq!(
        (feedback(&fx).outcome, feedback(&fx).coverage),
        (Outcome::Answered, 100)
    );
    // After the deadline the same press is refused: the answer time is over.
    let (mut late, _) = solo(&bank, &["alpha-easy"]);
    late.apply(&bank, Event::Tick, at(180)).expect("deadline");
    assert!(late
        .apply(
            &bank,
            Event::SubmitWith {
                by: ALICE,
                text: "x".into()
            },
            at(181)
        )
        .is_err());
}

#[test]
fn a_panel_answer_given_out_loud_leaves_interviewer_notes_but_no_review_list() {
    let bank = common::mini_bank();
    let mut s = panel(&bank);
    // Alice answers out loud: both interviewers score before her deadline.
    s.apply(&bank, card(IVY, 4, 4, 4, Some("Name the trade-off")), at(5))
        .expect("ivy");
    s.apply(&bank, card(IAN, 4, 3, 4, None), at(6))
        .expect("ian");
    // Bob writes an answer that covers nothing, and nobody scores it.
    s.apply(
        &bank,
        Event::SubmitWith {
            by: BOB,
            text: "no idea".into(),
        },
        at(10),
    )
    .expect("bob answers");
    let fx = s
        .apply(
            &bank,
            Event::End {
                by: Actor::person(s.owner),
            },
            at(11),
        )
        .expect("end");
    let Some(Effect::Ended(sum)) = fx.last() else {
        panic!("no summary: {fx:?}")
    };
    let alice: Vec<&str> = sum
        .notes
        .iter()
        .filter(|n| n.subject == ALICE)
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(
        alice,
        ["Name the trade-off"],
        "nothing written, nothing to review"
    );
    assert!(
        sum.notes
            .iter()
            .any(|n| n.subject == BOB && n.author.is_none() && n.text.starts_with("Review")),
        "a written answer's missed key points are listed: {:?}",
        sum.notes
    );
}

#[test]
fn a_typed_piece_sent_before_the_current_question_was_asked_is_refused_as_stale() {
    let bank = common::mini_bank();
    let (mut s, _) = solo(&bank, &["alpha-easy", "alpha-medium"]);
    let sent_during_q1 = at(1);
    s.apply(&bank, Event::Skip { by: ALICE }, at(2))
        .expect("skip");
    let press = Press {
        position: None,
        control: Control::Typed {
            text: "late".into(),
            sent_at: sent_during_q1,
        },
    };
    assert_eq!(
        s.check(Actor::person(ALICE), &press),
        Err(EngineError::StaleQuestion)
    );
    let fresh = Press {
        position: None,
        control: Control::Typed {
            text: "on time".into(),
            sent_at: at(3),
        },
    };
    assert_eq!(s.check(Actor::person(ALICE), &fresh), Ok(()));
}
