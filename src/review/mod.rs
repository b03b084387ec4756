//! Spaced review: which questions a person should see again, and when.
//!
//! Pure and deterministic, like the engine: time comes in as an argument.
//! `schedule` turns a question's scored answers into its next due time
//! (FSRS, through the `rs-fsrs` crate); `due` chooses what a review session
//! asks from those schedules, open notes and the weakest topics.

pub mod due;
pub mod schedule;

pub use due::{choose, DueChoice, DueItem, DueReason, ReviewInputs};
pub use schedule::{grade, replay, Grade, QuestionSchedule, ScoredAnswer};
