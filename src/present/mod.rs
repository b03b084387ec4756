//! What the bot shows, as plain data: cards (title, text, fields, colour)
//! and rows of buttons that carry what they are for. One renderer serves
//! solo interviews and panels, branching only where their texts differ. The
//! Discord front end only turns these into embeds and components. Every
//! text is cut to Discord's limits here, so a long bank entry can never make
//! Discord refuse a message.

pub mod action;
pub mod ai;
mod card;
mod feedback;
pub mod form;
mod interviewer;
pub mod lobby;
mod opinion;
pub mod packs;
pub mod reports;
pub mod review;
mod session;
mod summary;
pub mod text;

pub use card::{
    pack, resolved_notes, Button, Card, Post, Row, Style, AMBER, BLUE, GREEN, GREY, PURPLE,
};
pub use interviewer::{interviewer_view, others_cards, ratings, scorecard_saved};
pub use reports::deleted;
pub use session::{delivery, hint_update, restart_notice, status, transition, View};
