//! The terminal front end: practice mode and the text reports.

pub mod export;
pub mod grade;
mod opinion;
pub mod pack_check;
pub mod practice;
pub mod render;
pub mod reports;
pub mod review;
