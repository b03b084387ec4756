//! The interview engine: a pure state machine shared by every front end.
//!
//! Events go in with the time they happened; the new state and a list of
//! effects come out. No I/O, no clock reads, no Discord and no SQL here.

mod effects;
mod engine;
mod ids;
pub mod limits;
pub mod opinion;
mod press;
mod review;
mod scorecard;
pub mod scoring;
pub mod scrub;
mod summary;
mod types;

pub use effects::*;
pub use engine::{plan, reminder_lead};
pub use opinion::{Judgement, Opinion, OpinionShown, PointOpinion, Review, Trouble, Withheld};
pub use press::{Control, Press};
pub use summary::{
    dimensions_text, CandidateRow, Disagreement, Summary, SummaryRow, TopicRow, DIMENSIONS,
};
pub use types::*;
