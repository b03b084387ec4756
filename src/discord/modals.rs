//! `present`'s forms as Discord modals, and the values they bring back.

use crate::present::form::Form;
use poise::serenity_prelude as serenity;
use serenity::{
    ActionRowComponent, CreateActionRow, CreateInputText, CreateModal, InputTextStyle,
    ModalInteraction,
};

pub fn modal(form: &Form) -> CreateModal {
    let rows = form
        .inputs
        .iter()
        .map(|i| {
            let style = if i.long {
                InputTextStyle::Paragraph
            } else {
                InputTextStyle::Short
            };
            let mut input = CreateInputText::new(style, i.label, i.id)
                .placeholder(i.placeholder)
                .max_length(i.max_chars)
                .required(i.required);
            if i.required {
                input = input.min_length(1);
            }
            if let Some(v) = &i.value {
                input = input.value(v);
            }
            CreateActionRow::InputText(input)
        })
        .collect();
    CreateModal::new(form.target.encode(), &form.title).components(rows)
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
