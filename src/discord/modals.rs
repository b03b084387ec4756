//! The text boxes the bot opens: an answer, a note, a scorecard.

use crate::interview::{SessionState, UserId};
use crate::present::action::{Ctl, Target};
use crate::store::SessionId;
use poise::serenity_prelude as serenity;
use serenity::{
    ActionRowComponent, CreateActionRow, CreateInputText, CreateModal, InputTextStyle,
    ModalInteraction,
};

/// The text box an answer is written in (solo and panel).
pub fn answer_modal(session: SessionId, position: usize) -> CreateModal {
    let input = CreateInputText::new(InputTextStyle::Paragraph, "Your answer", "answer")
        .placeholder("Explain as you would out loud: what, why, trade-offs, an example.")
        .min_length(1)
        .max_length(4000)
        .required(true);
    CreateModal::new(
        Target::session(session, position, Ctl::AnswerModal).encode(),
        format!("Answer question {}", position + 1),
    )
    .components(vec![CreateActionRow::InputText(input)])
}

pub fn note_modal(session: SessionId, position: usize) -> CreateModal {
    let input = CreateInputText::new(InputTextStyle::Paragraph, "Note", "note")
        .placeholder("Something to revisit later, e.g. \"read about the GIL and asyncio\".")
        .min_length(1)
        .max_length(1000)
        .required(true);
    CreateModal::new(
        Target::session(session, position, Ctl::NoteModal).encode(),
        "Add a note",
    )
    .components(vec![CreateActionRow::InputText(input)])
}

/// The value of the modal's text input `custom_id` (empty when left empty).
pub fn value(m: &ModalInteraction, custom_id: &str) -> String {
    m.data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|c| match c {
            ActionRowComponent::InputText(t) if t.custom_id == custom_id => t.value.clone(),
            _ => None,
        })
        .unwrap_or_default()
}

const RATING_INPUTS: [(&str, &str); 3] = [
    ("technical", "Technical accuracy (1-5)"),
    ("communication", "Communication (1-5)"),
    ("problem_solving", "Problem solving (1-5)"),
];

/// Three 1-5 ratings and an optional note, filled in with the interviewer's
/// earlier card when they score again.
pub fn score_modal(
    state: &SessionState,
    session: SessionId,
    position: usize,
    me: UserId,
) -> CreateModal {
    let earlier = state
        .results
        .iter()
        .find(|r| r.position == position)
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
        Target::session(session, position, Ctl::ScoreModal).encode(),
        format!("Score question {}", position + 1),
    )
    .components(rows)
}
