//! The buttons and modals of a running panel's thread. Every press is
//! checked against the role its presser holds in the panel, and a wrong
//! role is told, privately, what it can do instead; nothing changes.

use super::cards::{self, interviewer_view};
use super::controls::{Control, PanelId};
use crate::discord::buttons::{answer_modal, answering_at, modal_value, new_posts, thread_posts};
use crate::discord::render::{Card, Post, GREEN};
use crate::discord::respond::{respond_in_time, Answer, Target};
use crate::discord::{reply, BotError, Data};
use crate::interview::{Event, Phase, QuestionResult, Role, Scorecard, SessionState, UserId};
use crate::store::StoredSession;
use poise::serenity_prelude as serenity;
use serenity::{
    ComponentInteraction, CreateActionRow, CreateEmbed, CreateInputText, CreateInteractionResponse,
    CreateModal, Http, InputTextStyle, ModalInteraction,
};

pub const NOT_IN_PANEL: &str = "You are not in this panel, so nothing was changed: only its candidates answer and only its interviewers score. Join the next one from its lobby.";
pub const CANDIDATES_DO_NOT_SCORE: &str = "Candidates don't score or see the interviewer view, so nothing was changed. The interviewers' scores and notes are shown to you at the end.";
pub const MAY_NOT_END: &str = "Only the person who created this panel, someone with the server's interviewer role or someone with Manage Server can end it.";
const ENDED: &str = "This panel has ended.";
const CLOSED: &str = "That question is already closed; the current one is further down the thread.";

/// Who pressed, as far as the panel is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seat {
    Candidate(UserId),
    Interviewer(UserId),
    /// Not in the panel (or left it); the store's id if they have one.
    Outsider(Option<UserId>),
}

async fn seat_of(data: &Data, state: &SessionState, discord_id: u64) -> Result<Seat, BotError> {
    let Some(user) = data.runtime.store().find_discord_user(discord_id).await? else {
        return Ok(Seat::Outsider(None));
    };
    Ok(match state.participant(user).filter(|p| !p.left) {
        Some(p) if p.role == Role::Candidate => Seat::Candidate(user),
        Some(_) => Seat::Interviewer(user),
        None => Seat::Outsider(Some(user)),
    })
}

fn asked(state: &SessionState, position: usize) -> Option<&QuestionResult> {
    state.results.iter().find(|r| r.position == position)
}

/// Why `seat` may not act as the candidate of the question at `position`.
fn not_the_candidate(state: &SessionState, seat: Seat, position: usize) -> Option<String> {
    let turn = asked(state, position).map(|r| r.candidate);
    let whose = turn
        .map(|c| cards::name(state, c))
        .unwrap_or_else(|| "another candidate".into());
    match seat {
        Seat::Candidate(u) if Some(u) == turn => None,
        Seat::Candidate(_) => Some(format!(
            "It is {whose}'s turn, so nothing was changed; your own questions come in turn."
        )),
        Seat::Interviewer(_) => Some(format!(
            "Interviewers don't answer, so nothing was changed: {whose} answers this one. Use Interviewer view and Score."
        )),
        Seat::Outsider(_) => Some(NOT_IN_PANEL.to_string()),
    }
}

fn not_an_interviewer(seat: Seat) -> Option<&'static str> {
    match seat {
        Seat::Interviewer(_) => None,
        Seat::Candidate(_) => Some(CANDIDATES_DO_NOT_SCORE),
        Seat::Outsider(_) => Some(NOT_IN_PANEL),
    }
}

/// Whether the question at `position` is the one still being answered or scored.
fn open_at(s: &StoredSession, position: usize) -> bool {
    s.state.current().is_some_and(|c| c.position == position)
}

pub async fn on_component(
    http: &Http,
    data: &Data,
    c: &ComponentInteraction,
    id: PanelId,
) -> Result<(), BotError> {
    let presser = c.user.id.get();
    match id.control {
        Control::Answer | Control::Score => {
            // A modal must be the first response: decide on one quick read.
            let s = data.runtime.session(id.session).await?;
            let seat = seat_of(data, &s.state, presser).await?;
            let refusal = refuse_modal(&s, seat, id);
            let response = match (refusal, seat) {
                (Some(text), _) => reply::ephemeral_response(text),
                (None, Seat::Interviewer(me)) if id.control == Control::Score => {
                    CreateInteractionResponse::Modal(score_modal(&s.state, id, me))
                }
                (None, _) => CreateInteractionResponse::Modal(answer_modal(
                    PanelId::new(id.session, id.position, Control::AnswerModal).encode(),
                    id.position,
                )),
            };
            Ok(c.create_response(http, response).await?)
        }
        Control::AnswerModal | Control::ScoreModal => Ok(()),
        _ => {
            // Only End panel needs to know (it costs a read of the server's settings).
            let elevated =
                id.control == Control::End && super::elevated(data.runtime.store(), c).await?;
            let work = press(data, id, presser, elevated, c.message.embeds.clone());
            respond_in_time(http, Target::Component(c), work).await
        }
    }
}

fn refuse_modal(s: &StoredSession, seat: Seat, id: PanelId) -> Option<String> {
    if !s.state.is_running() {
        return Some(ENDED.into());
    }
    if id.control == Control::Score {
        if let Some(text) = not_an_interviewer(seat) {
            return Some(text.into());
        }
        return (!open_at(s, id.position)).then(|| CLOSED.into());
    }
    not_the_candidate(&s.state, seat, id.position)
        .or_else(|| (!answering_at(s, id.position)).then(|| CLOSED.into()))
}

const RATING_INPUTS: [(&str, &str); 3] = [
    ("technical", "Technical accuracy (1-5)"),
    ("communication", "Communication (1-5)"),
    ("problem_solving", "Problem solving (1-5)"),
];

/// Three 1-5 ratings and an optional note, filled in with the interviewer's
/// earlier card when they score again.
fn score_modal(state: &SessionState, id: PanelId, me: UserId) -> CreateModal {
    let earlier = asked(state, id.position)
        .and_then(|r| r.scorecards.iter().find(|c| c.interviewer == me))
        .cloned();
    let mut rows: Vec<CreateActionRow> = RATING_INPUTS
        .iter()
        .enumerate()
        .map(|(i, (cid, label))| {
            let mut input = CreateInputText::new(InputTextStyle::Short, *label, *cid)
                .placeholder("1 = weak, 5 = strong")
                .min_length(1)
                .max_length(1)
                .required(true);
            if let Some(c) = &earlier {
                let v = [c.technical, c.communication, c.problem_solving][i];
                input = input.value(v.to_string());
            }
            CreateActionRow::InputText(input)
        })
        .collect();
    let mut note = CreateInputText::new(
        InputTextStyle::Paragraph,
        "Note for the candidate (optional)",
        "note",
    )
    .placeholder("Shown to the candidate at the end and saved to their /notes.")
    .max_length(1000)
    .required(false);
    if let Some(n) = earlier.and_then(|c| c.note) {
        note = note.value(n);
    }
    rows.push(CreateActionRow::InputText(note));
    CreateModal::new(
        PanelId::new(id.session, id.position, Control::ScoreModal).encode(),
        format!("Score question {}", id.position + 1),
    )
    .components(rows)
}

/// The card typed into the modal, or what to fix (saying the note back, so
/// that a typo in a rating loses nothing).
fn parse_card(interviewer: UserId, values: [String; 4]) -> Result<Scorecard, String> {
    let [t, c, p, note] = values;
    let mut problems = Vec::new();
    let mut rating = |text: &str, label: &str| match text.trim().parse::<u8>() {
        Ok(r) if (1..=5).contains(&r) => r,
        _ => {
            problems.push(format!(
                "{label} must be a whole number from 1 to 5 (you typed “{}”).",
                crate::discord::text::truncate(text.trim(), 20)
            ));
            0
        }
    };
    let technical = rating(&t, "Technical accuracy");
    let communication = rating(&c, "Communication");
    let problem_solving = rating(&p, "Problem solving");
    let note = Some(note.trim().to_string()).filter(|n| !n.is_empty());
    if !problems.is_empty() {
        let mut text = format!(
            "Nothing was saved. {} Press Score again.",
            problems.join(" ")
        );
        if let Some(n) = &note {
            text.push_str(&format!("\nYour note, to paste back: {n}"));
        }
        return Err(text);
    }
    Ok(Scorecard {
        interviewer,
        technical,
        communication,
        problem_solving,
        note,
    })
}

pub async fn on_modal(
    http: &Http,
    data: &Data,
    m: &ModalInteraction,
    id: PanelId,
) -> Result<(), BotError> {
    let presser = m.user.id.get();
    match id.control {
        Control::AnswerModal => {
            let text = modal_value(m, "answer");
            let work = submit_answer(data, id, presser, text);
            respond_in_time(http, Target::Modal(m), work).await
        }
        Control::ScoreModal => {
            let values = ["technical", "communication", "problem_solving", "note"]
                .map(|cid| modal_value(m, cid));
            let work = submit_score(data, id, presser, values);
            respond_in_time(http, Target::Modal(m), work).await
        }
        _ => Ok(()),
    }
}

async fn submit_answer(
    data: &Data,
    id: PanelId,
    presser: u64,
    text: String,
) -> Result<Answer, BotError> {
    if text.trim().is_empty() {
        return Ok(Answer::Ephemeral(
            "Your answer was empty: press Answer and write it, or answer out loud.".into(),
        ));
    }
    let lock = data.locks.get(id.session);
    let _guard = lock.lock().await;
    let s = data.runtime.session(id.session).await?;
    let seat = seat_of(data, &s.state, presser).await?;
    if let Some(text) = refuse_modal(
        &s,
        seat,
        PanelId {
            control: Control::Answer,
            ..id
        },
    ) {
        return Ok(Answer::Ephemeral(text));
    }
    let Seat::Candidate(by) = seat else {
        return Ok(Answer::Ephemeral(NOT_IN_PANEL.into()));
    };
    let d = data
        .runtime
        .handle_at(id.session, id.position, Event::SubmitWith { by, text })
        .await?;
    new_posts(data, &d).await
}

async fn submit_score(
    data: &Data,
    id: PanelId,
    presser: u64,
    values: [String; 4],
) -> Result<Answer, BotError> {
    let lock = data.locks.get(id.session);
    let _guard = lock.lock().await;
    let s = data.runtime.session(id.session).await?;
    let seat = seat_of(data, &s.state, presser).await?;
    let note_back = || {
        Some(values[3].trim())
            .filter(|n| !n.is_empty())
            .map(|n| format!("\nYour note, to keep: {n}"))
            .unwrap_or_default()
    };
    if let Some(text) = refuse_modal(
        &s,
        seat,
        PanelId {
            control: Control::Score,
            ..id
        },
    ) {
        return Ok(Answer::Ephemeral(format!("{text}{}", note_back())));
    }
    let Seat::Interviewer(me) = seat else {
        return Ok(Answer::Ephemeral(NOT_IN_PANEL.into()));
    };
    let card = match parse_card(me, values.clone()) {
        Ok(c) => c,
        Err(text) => return Ok(Answer::Ephemeral(text)),
    };
    let d = data
        .runtime
        .handle_at(id.session, id.position, Event::Score { card: card.clone() })
        .await?;
    let state = &d.session.state;
    let waiting = d.effects.iter().find_map(|e| match e {
        crate::interview::Effect::ScoreRecorded { waiting_for, .. } => Some(*waiting_for),
        _ => None,
    });
    let mut private = Card::new(
        &format!("Your scorecard for question {} is saved", id.position + 1),
        &cards::ratings(&card),
        GREEN,
    );
    if let Some(note) = &card.note {
        private = private.field("Your note", note);
    }
    if let Some(others) = asked(state, id.position).and_then(|r| cards::others_cards(state, r, me))
    {
        private = private.field("Other interviewers", &others);
    }
    private = private.footer(&match waiting {
        Some(n) if n > 0 => format!(
            "Waiting for {n} more interviewer(s). You may score again to change your card until the question closes."
        ),
        _ => "Every interviewer has scored: the panel moves on.".to_string(),
    });
    let (posts, archive) = thread_posts(data, &d).await?;
    Ok(Answer::Private {
        private: Post {
            cards: vec![private],
            components: Vec::new(),
        },
        content: String::new(),
        posts,
        archive,
    })
}

/// Hint, Skip, Interviewer view, follow-ups and End panel.
#[tracing::instrument(skip_all, fields(session_id = id.session, position = id.position))]
async fn press(
    data: &Data,
    id: PanelId,
    presser: u64,
    elevated: bool,
    shown: Vec<serenity::Embed>,
) -> Result<Answer, BotError> {
    let lock = data.locks.get(id.session);
    let _guard = lock.lock().await;
    let s = data.runtime.session(id.session).await?;
    if !s.state.is_running() {
        return Ok(Answer::Ephemeral(ENDED.into()));
    }
    let seat = seat_of(data, &s.state, presser).await?;
    match id.control {
        Control::Hint(_) | Control::Skip => {
            if let Some(text) = not_the_candidate(&s.state, seat, id.position) {
                return Ok(Answer::Ephemeral(text));
            }
            if !answering_at(&s, id.position) {
                return Ok(Answer::Ephemeral(CLOSED.into()));
            }
        }
        Control::View | Control::FollowUp(_) => {
            if let Some(text) = not_an_interviewer(seat) {
                return Ok(Answer::Ephemeral(text.into()));
            }
            if !open_at(&s, id.position) {
                return Ok(Answer::Ephemeral(CLOSED.into()));
            }
        }
        _ => {}
    }
    let bank = data.runtime.bank();
    match (id.control, seat) {
        (Control::Hint(shown_hints), Seat::Candidate(by)) => {
            if s.state.current().map(|c| c.hints_used) != Some(shown_hints) {
                return Ok(Answer::Ephemeral(
                    "That hint is already shown above.".into(),
                ));
            }
            let d = data
                .runtime
                .handle_at(id.session, id.position, Event::Hint { by })
                .await?;
            Ok(hint_update(data, &d.session, shown))
        }
        (Control::Skip, Seat::Candidate(by)) => {
            let d = data
                .runtime
                .handle_at(id.session, id.position, Event::Skip { by })
                .await?;
            new_posts(data, &d).await
        }
        (Control::View, Seat::Interviewer(me)) => {
            let Some(r) = s.state.current() else {
                return Ok(Answer::Ephemeral(CLOSED.into()));
            };
            let (card, components) = interviewer_view(&bank, s.id, &s.state, r, me);
            Ok(Answer::Private {
                private: Post {
                    cards: vec![card],
                    components,
                },
                content: String::new(),
                posts: Vec::new(),
                archive: None,
            })
        }
        (Control::FollowUp(index), Seat::Interviewer(by)) => {
            if s.state
                .current()
                .is_some_and(|c| c.follow_ups_asked.contains(&index))
            {
                return Ok(Answer::Ephemeral(format!(
                    "Follow-up {} was already asked in the thread.",
                    index + 1
                )));
            }
            let d = data
                .runtime
                .handle_at(id.session, id.position, Event::FollowUp { by, index })
                .await?;
            let (posts, archive) = thread_posts(data, &d).await?;
            Ok(Answer::Private {
                private: Post::default(),
                content: format!("Follow-up {} asked in the thread.", index + 1),
                posts,
                archive,
            })
        }
        (Control::End, seat) => {
            let me = match seat {
                Seat::Candidate(u) | Seat::Interviewer(u) | Seat::Outsider(Some(u)) => Some(u),
                Seat::Outsider(None) => None,
            };
            let by = if me == Some(s.state.owner) {
                Some(s.state.owner)
            } else if elevated {
                None
            } else {
                return Ok(Answer::Ephemeral(MAY_NOT_END.into()));
            };
            let d = data.runtime.handle(id.session, Event::End { by }).await?;
            new_posts(data, &d).await
        }
        _ => Ok(Answer::Ephemeral(NOT_IN_PANEL.into())),
    }
}

/// The question message again with the hints shown so far, and a Hint
/// button that knows how many there are (so a double press shows one).
fn hint_update(data: &Data, s: &StoredSession, shown: Vec<serenity::Embed>) -> Answer {
    let bank = data.runtime.bank();
    let state = &s.state;
    let Some((r, q)) = state
        .current()
        .and_then(|r| bank.question(&r.question_id).map(|q| (r, q)))
    else {
        return Answer::Ephemeral(CLOSED.into());
    };
    let hints: Vec<String> = q
        .hints
        .iter()
        .take(r.hints_used as usize)
        .cloned()
        .collect();
    let card = cards::question_card(&bank, state, q, r, &hints);
    let mut embeds: Vec<CreateEmbed> = shown.into_iter().map(CreateEmbed::from).collect();
    embeds.pop();
    embeds.push(card.embed());
    let components = if matches!(state.phase, Phase::Answering { .. }) {
        cards::question_buttons(s.id, r.position, r.hints_used)
    } else {
        Vec::new()
    };
    Answer::Update(embeds, components)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(t: &str, c: &str, p: &str, note: &str) -> [String; 4] {
        [t, c, p, note].map(str::to_string)
    }

    #[test]
    fn a_scorecard_takes_three_ratings_from_one_to_five_and_an_optional_note() {
        let card = parse_card(UserId(7), values("4", " 3 ", "5", "  ")).expect("valid");
        assert_eq!(
            (card.technical, card.communication, card.problem_solving),
            (4, 3, 5)
        );
        assert_eq!(card.note, None);
        let card = parse_card(UserId(7), values("1", "1", "1", "Talk slower")).expect("valid");
        assert_eq!(card.note.as_deref(), Some("Talk slower"));
    }

    #[test]
    fn a_bad_rating_says_which_and_gives_the_note_back() {
        let err = parse_card(UserId(7), values("6", "x", "3", "Good use of examples"))
            .expect_err("refused");
        assert!(err.contains("Technical accuracy must be"), "{err}");
        assert!(err.contains("Communication must be"), "{err}");
        assert!(!err.contains("Problem solving must"), "{err}");
        assert!(err.contains("Good use of examples"), "{err}");
        assert!(err.starts_with("Nothing was saved"), "{err}");
    }
}
