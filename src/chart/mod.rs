//! Progress charts as PNG: average score per topic as bars (the weakest
//! marked) above the score over time, a line by week.
//!
//! Drawn with plotters into an RGB buffer and encoded with `png`. The font
//! is bundled (a DejaVu Sans subset, `assets/fonts`), so charts render the
//! same on a machine with no system fonts. The picture is a solid dark card
//! with light text, which reads the same in Discord's dark and light
//! themes, and 800 x 500 with large text, which stays legible when a phone
//! shows it at half size.

mod draw;

use crate::store::UserStats;
pub use crate::store::WeekPoint;
pub use crate::time::week_start;

pub const WIDTH: u32 = 800;
pub const HEIGHT: u32 = 500;
/// Topics drawn at most (the weakest ones), so bars stay tall enough to read.
pub const MAX_TOPICS: usize = 8;

/// One topic's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicBar {
    pub label: String,
    /// 0-100.
    pub average: f64,
    pub weakest: bool,
}

/// What a progress chart shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartData {
    pub title: String,
    pub topics: Vec<TopicBar>,
    pub weeks: Vec<WeekPoint>,
}

impl ChartData {
    /// Nothing answered: no chart, a friendly message instead.
    pub fn is_empty(&self) -> bool {
        self.topics.is_empty() && self.weeks.is_empty()
    }
}

impl ChartData {
    /// A person's chart from their statistics and weekly averages, with
    /// topic slugs shown as `title_of` names them.
    pub fn from_stats(
        title: &str,
        stats: &UserStats,
        weeks: Vec<WeekPoint>,
        title_of: impl Fn(&str) -> String,
    ) -> ChartData {
        let topics = stats
            .by_topic
            .iter()
            .map(|t| TopicBar {
                label: title_of(&t.topic),
                average: t.average,
                weakest: stats.weakest.iter().any(|w| w.topic == t.topic),
            })
            .collect();
        ChartData {
            title: title.to_string(),
            topics,
            weeks,
        }
    }
}

/// Why a chart could not be drawn (a bug, never the person's doing).
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("nothing to draw: no answered questions")]
    Empty,
    #[error("could not draw the chart: {0}")]
    Draw(String),
    #[error("could not encode the chart as PNG: {0}")]
    Encode(#[from] png::EncodingError),
}

/// The chart as PNG bytes, `WIDTH` x `HEIGHT`.
pub fn render_png(data: &ChartData) -> Result<Vec<u8>, ChartError> {
    if data.is_empty() {
        return Err(ChartError::Empty);
    }
    let mut rgb = vec![0_u8; (WIDTH * HEIGHT * 3) as usize];
    draw::draw(data, &mut rgb)?;
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&rgb)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    #[test]
    fn weeks_start_on_monday() {
        // 2024-03-06 (a Wednesday) 12:00 UTC -> Monday 2024-03-04.
        assert_eq!(
            week_start(Timestamp(1_709_726_400_000)),
            Timestamp(1_709_510_400_000)
        );
    }
}
