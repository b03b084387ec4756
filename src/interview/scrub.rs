//! Forgetting a person in a session's state (`/privacy delete`).
//!
//! The person first leaves, through the engine's own `Event::Leave`, so a
//! running panel goes on exactly as if they had walked out. Then every trace
//! of them goes: their name, their answers (with the words heard in them) and
//! the scorecards and notes they gave as an interviewer. A nameless stand-in
//! with a negative id takes their seat: no stored user has such an id, so the
//! plan keeps its length, the thread can still say "… left the panel" with
//! the right role, and no later transition writes a row that points at the
//! deleted user (which the foreign keys would refuse, wedging the session).

use super::effects::*;
use super::summary::Summary;
use super::types::*;
use crate::bank::Bank;
use crate::time::Timestamp;

/// How a forgotten person is named from then on.
pub const FORGOTTEN_NAME: &str = "(deleted member)";

impl UserId {
    /// Whether this is the stand-in for someone who deleted their data
    /// (the store numbers people from 1).
    pub fn is_forgotten(self) -> bool {
        self.0 < 0
    }
}

impl SessionState {
    /// Whether anything in the state belongs to `user`.
    pub fn mentions(&self, user: UserId) -> bool {
        self.owner == user
            || self.participants.iter().any(|p| p.user == user)
            || self.plan.iter().any(|q| q.candidate == user)
            || self
                .results
                .iter()
                .any(|r| r.candidate == user || r.scorecards.iter().any(|c| c.interviewer == user))
    }

    /// Makes `user` leave (when the session runs and they are still in it),
    /// then forgets them. The effects of the leave come back with the person
    /// replaced by their stand-in, and a summary (if the leave ended the
    /// session) drawn from the scrubbed state.
    pub fn leave_and_forget(
        &mut self,
        bank: &Bank,
        user: UserId,
        now: Timestamp,
    ) -> Result<Vec<Effect>, EngineError> {
        let still_in = self.participant(user).is_some_and(|p| !p.left);
        let effects = if self.is_running() && still_in {
            self.apply(bank, Event::Leave { user }, now)?
        } else {
            Vec::new()
        };
        Ok(match self.forget(user) {
            Some(stand_in) => self.without(effects, user, stand_in, bank),
            None => effects,
        })
    }

    /// Removes every trace of `user` and returns the stand-in put in their
    /// seat, or None when the state never mentioned them. Call it only once
    /// they have left: their open question would otherwise vanish mid-answer.
    fn forget(&mut self, user: UserId) -> Option<UserId> {
        if !self.mentions(user) {
            return None;
        }
        let stand_in = self.unused_stand_in();
        let swap = |u: &mut UserId| {
            if *u == user {
                *u = stand_in;
            }
        };
        swap(&mut self.owner);
        for p in self.participants.iter_mut().filter(|p| p.user == user) {
            p.user = stand_in;
            p.name = FORGOTTEN_NAME.to_string();
            p.left = true;
        }
        for q in &mut self.plan {
            swap(&mut q.candidate);
        }
        // Their own questions go whole (answer, words heard, hints, the
        // ratings others gave them). On other people's questions only their
        // cards go: the candidate's settled score stands, as it was given.
        self.results.retain(|r| r.candidate != user);
        for r in &mut self.results {
            r.scorecards.retain(|c| c.interviewer != user);
        }
        Some(stand_in)
    }

    /// A stand-in id no one in this state has yet, so two people forgotten
    /// in one panel stay two seats with their own roles.
    fn unused_stand_in(&self) -> UserId {
        let lowest = self
            .participants
            .iter()
            .map(|p| p.user)
            .chain(self.plan.iter().map(|q| q.candidate))
            .chain(std::iter::once(self.owner))
            .filter(|u| u.is_forgotten())
            .map(|u| u.0)
            .min()
            .unwrap_or(0);
        UserId(lowest - 1)
    }

    /// The effects of the leave as they may be shown and stored now.
    fn without(
        &self,
        mut effects: Vec<Effect>,
        user: UserId,
        stand_in: UserId,
        bank: &Bank,
    ) -> Vec<Effect> {
        effects.retain(|e| match e {
            // Feedback quotes the words heard in their answer.
            Effect::Feedback(f) => f.candidate != user,
            Effect::AiOpinion(o) => o.candidate != user,
            Effect::ScoreRecorded { interviewer, .. } => *interviewer != user,
            _ => true,
        });
        for e in &mut effects {
            match e {
                Effect::Ask { candidate, .. }
                | Effect::Remind { candidate, .. }
                | Effect::Scored { candidate, .. }
                | Effect::ParticipantLeft { user: candidate }
                    if *candidate == user =>
                {
                    *candidate = stand_in;
                }
                // Its notes are what the store saves: none may be by or about them.
                Effect::Ended(summary) => **summary = Summary::of(self, bank),
                _ => {}
            }
        }
        effects
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interview::Actor;
    use std::path::Path;
    use std::time::Duration;

    const T0: Timestamp = Timestamp(1_800_000_000_000);
    const BOB: UserId = UserId(2);
    const CAROL: UserId = UserId(3);
    const DAVE: UserId = UserId(4);
    const ERIN: UserId = UserId(5);
    const BOBS_ANSWER: &str = "Gizmos spin and they are blue, says Bob";

    fn bank() -> Bank {
        crate::bank::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini-bank"))
            .expect("the mini bank loads")
    }

    fn at(secs: u64) -> Timestamp {
        T0.plus(Duration::from_secs(secs))
    }

    fn seat(user: UserId, name: &str, role: Role) -> Participant {
        Participant {
            user,
            name: name.to_string(),
            role,
            left: false,
        }
    }

    /// Bob and Carol answer two questions each, in turn; Dave and Erin score.
    fn panel(bank: &Bank) -> SessionState {
        let ids = ["alpha-easy", "alpha-medium", "beta-easy", "beta-medium"];
        let plan = ids
            .iter()
            .zip([BOB, CAROL, BOB, CAROL])
            .map(|(q, candidate)| PlannedQuestion {
                question_id: q.to_string(),
                candidate,
            })
            .collect();
        let people = vec![
            seat(BOB, "Bob", Role::Candidate),
            seat(CAROL, "Carol", Role::Candidate),
            seat(DAVE, "Dave", Role::Interviewer),
            seat(ERIN, "Erin", Role::Interviewer),
        ];
        let (state, _) = SessionState::start(
            bank,
            SessionKind::Panel,
            DAVE,
            people,
            plan,
            Settings::default(),
            T0,
        )
        .expect("starts");
        state
    }

    fn card(interviewer: UserId, note: &str) -> Event {
        Event::Score {
            card: Scorecard {
                interviewer,
                technical: 4,
                communication: 3,
                problem_solving: 5,
                note: Some(note.to_string()),
            },
        }
    }

    /// Bob answers the first question in writing and both score it, with notes.
    fn after_bobs_first_answer(bank: &Bank) -> SessionState {
        let mut s = panel(bank);
        let answer = Event::SubmitWith {
            by: BOB,
            text: BOBS_ANSWER.into(),
        };
        s.apply(bank, answer, at(10)).expect("answers");
        s.apply(bank, card(DAVE, "Dave thinks Bob rushed"), at(20))
            .expect("Dave scores");
        s.apply(bank, card(ERIN, "Erin liked it"), at(21))
            .expect("Erin scores");
        assert_eq!(s.current().map(|c| c.candidate), Some(CAROL));
        s
    }

    /// Whether the JSON has `"key":id` as a whole value.
    fn holds_id(json: &str, key: &str, id: UserId) -> bool {
        let field = format!("\"{key}\":{}", id.0);
        json.match_indices(&field)
            .any(|(i, m)| matches!(json[i + m.len()..].chars().next(), Some(',' | '}' | ']')))
    }

    fn json(s: &SessionState) -> String {
        serde_json::to_string(s).expect("serialises")
    }

    #[test]
    fn a_forgotten_candidate_leaves_no_name_answer_or_id_in_the_stored_state() {
        let bank = bank();
        let mut s = after_bobs_first_answer(&bank);
        let fx = s.leave_and_forget(&bank, BOB, at(30)).expect("forgets");

        let stored = json(&s);
        for gone in ["Bob", BOBS_ANSWER, "spin"] {
            assert!(!stored.contains(gone), "{gone} is still stored: {stored}");
        }
        for key in ["user", "candidate", "owner"] {
            assert!(
                !holds_id(&stored, key, BOB),
                "{key} {BOB:?} is still stored: {stored}"
            );
        }
        assert!(!s.mentions(BOB));
        let stand_in = s.participants[0].user;
        assert!(stand_in.is_forgotten());
        assert_eq!(s.participants[0].name, FORGOTTEN_NAME);
        assert!(s.participants[0].left);
        assert_eq!(fx, vec![Effect::ParticipantLeft { user: stand_in }]);

        // Carol's turn goes on, and Bob's second turn is passed over.
        assert!(s.is_running());
        assert_eq!(s.plan.len(), 4, "numbering stays");
        let carol = Event::SubmitWith {
            by: CAROL,
            text: "Widgets are cheap".into(),
        };
        s.apply(&bank, carol, at(40)).expect("Carol answers");
        s.apply(&bank, card(DAVE, ""), at(41)).expect("scored");
        let fx = s.apply(&bank, card(ERIN, ""), at(42)).expect("scored");
        let asked: Vec<usize> = fx
            .iter()
            .filter_map(|e| match e {
                Effect::Ask { position, .. } => Some(*position),
                _ => None,
            })
            .collect();
        assert_eq!(asked, [3], "Bob's question 3 is dropped");
    }

    #[test]
    fn a_summary_after_forgetting_has_no_card_or_note_for_the_forgotten() {
        let bank = bank();
        let mut s = after_bobs_first_answer(&bank);
        s.leave_and_forget(&bank, BOB, at(30)).expect("forgets");
        let fx = s
            .apply(&bank, Event::End { by: Actor::System }, at(50))
            .expect("ends");
        let Some(Effect::Ended(summary)) = fx.last() else {
            panic!("no summary: {fx:?}");
        };
        let names: Vec<&str> = summary.candidates.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Carol"]);
        assert!(summary.rows.iter().all(|r| r.candidate == CAROL));
        assert!(summary.notes.iter().all(|n| n.subject == CAROL));
    }

    #[test]
    fn a_leave_that_ends_the_panel_brings_a_summary_without_the_forgotten() {
        let bank = bank();
        let mut s = after_bobs_first_answer(&bank);
        s.apply(&bank, Event::Leave { user: CAROL }, at(25))
            .expect("Carol leaves");
        // Carol's leave passed the turn back to Bob: his leave ends the panel.
        let fx = s.leave_and_forget(&bank, BOB, at(30)).expect("forgets");
        assert!(!s.is_running());
        let Some(Effect::Ended(summary)) = fx.last() else {
            panic!("no summary: {fx:?}");
        };
        assert!(
            summary.notes.iter().all(|n| n.subject != BOB),
            "{summary:?}"
        );
        assert!(summary.candidates.iter().all(|c| c.candidate != BOB));
        assert!(!json(&s).contains("Bob"));
    }

    #[test]
    fn a_forgotten_interviewer_loses_their_cards_and_is_no_longer_waited_for() {
        let bank = bank();
        let mut s = after_bobs_first_answer(&bank);
        let carol = Event::SubmitWith {
            by: CAROL,
            text: "Widgets are cheap".into(),
        };
        s.apply(&bank, carol, at(40)).expect("Carol answers");
        s.apply(&bank, card(ERIN, "Erin: fine"), at(41))
            .expect("Erin scores");
        // Waiting for Dave; forgetting him closes Carol's question.
        let fx = s.leave_and_forget(&bank, DAVE, at(42)).expect("forgets");
        let stand_in = s.participants[2].user;
        assert!(stand_in.is_forgotten());
        assert_eq!(s.owner, stand_in, "he had created the panel");
        assert!(
            matches!(
                fx.as_slice(),
                [
                    Effect::ParticipantLeft { user },
                    Effect::Scored { candidate: CAROL, .. },
                    Effect::Ask { candidate: BOB, .. },
                ] if *user == stand_in
            ),
            "{fx:?}"
        );
        let stored = json(&s);
        assert!(!stored.contains("Dave"), "{stored}");
        for key in ["user", "interviewer", "owner"] {
            assert!(
                !holds_id(&stored, key, DAVE),
                "{key} {DAVE:?} is still stored: {stored}"
            );
        }
        assert!(stored.contains("Erin liked it") && stored.contains("Erin: fine"));
        let cards: Vec<usize> = s.results.iter().map(|r| r.scorecards.len()).collect();
        assert_eq!(
            cards,
            [1, 1, 0],
            "Erin's cards stay; Bob's new question has none yet"
        );
    }

    #[test]
    fn two_forgotten_people_get_seats_of_their_own() {
        let bank = bank();
        let mut s = after_bobs_first_answer(&bank);
        s.leave_and_forget(&bank, DAVE, at(30)).expect("Dave");
        s.leave_and_forget(&bank, BOB, at(31)).expect("Bob");
        let forgotten: Vec<(UserId, Role)> = s
            .participants
            .iter()
            .filter(|p| p.user.is_forgotten())
            .map(|p| (p.user, p.role))
            .collect();
        assert_eq!(forgotten.len(), 2);
        assert_ne!(forgotten[0].0, forgotten[1].0);
        assert_eq!(
            s.participant(forgotten[0].0).map(|p| p.role),
            Some(Role::Candidate)
        );
        assert_eq!(
            s.participant(forgotten[1].0).map(|p| p.role),
            Some(Role::Interviewer)
        );
    }

    #[test]
    fn a_finished_session_is_scrubbed_without_anything_to_show() {
        let bank = bank();
        let mut s = after_bobs_first_answer(&bank);
        s.apply(&bank, Event::End { by: Actor::System }, at(30))
            .expect("ends");
        let fx = s.leave_and_forget(&bank, BOB, at(40)).expect("forgets");
        assert!(fx.is_empty());
        assert!(!json(&s).contains("Bob"));
        assert_eq!(s.status, Status::Finished);
    }

    #[test]
    fn forgetting_someone_the_session_never_had_changes_nothing() {
        let bank = bank();
        let mut s = after_bobs_first_answer(&bank);
        let before = s.clone();
        let fx = s
            .leave_and_forget(&bank, UserId(99), at(30))
            .expect("no-op");
        assert!(fx.is_empty());
        assert_eq!(s, before);
    }
}
